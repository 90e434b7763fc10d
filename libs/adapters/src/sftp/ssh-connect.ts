/**
 * Opening an SSH connection with the host key pinned. The fingerprint format is OpenSSH's
 * (`SHA256:` + unpadded base64 of the SHA-256 of the public key blob), so users can paste what
 * `ssh-keygen -lf` or `ssh-keyscan | ssh-keygen -lf -` prints.
 */
import { createHash } from 'node:crypto';

import { Client, type SFTPWrapper } from 'ssh2';

import type { SftpAdapterConfig, SftpAdapterSecrets } from '@integrixs/domain';

import { StepFailure } from '../shared/explain-error';

export function sshFingerprint(publicKeyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '');
}

/** Fingerprints compare without the optional trailing `=` some tools print. */
export function sameFingerprint(a: string, b: string): boolean {
  return a.replace(/=+$/, '') === b.replace(/=+$/, '');
}

export interface SshHandshake {
  /** Fingerprint the server presented, once the handshake got that far. */
  seenFingerprint?: string;
}

/** Connects and authenticates; rejects with a StepFailure that says which part went wrong. */
export function connectSsh(
  address: string,
  config: SftpAdapterConfig,
  secrets: SftpAdapterSecrets,
  timeoutMs: number,
  handshake: SshHandshake = {},
): Promise<Client> {
  const client = new Client();
  return new Promise<Client>((resolve, reject) => {
    client.once('ready', () => resolve(client));
    // `on`, not `once`: ssh2 can emit a second error while tearing down (e.g. "connection lost
    // before handshake" after a timeout), and an unheard 'error' would crash the process.
    // Errors after 'ready' surface on the SFTP calls themselves.
    let settled = false;
    client.once('ready', () => (settled = true));
    client.on('error', (err: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      const seen = handshake.seenFingerprint;
      if (seen && !sameFingerprint(seen, config.hostKeyFingerprint))
        reject(
          new StepFailure(
            `host key fingerprint mismatch (expected ${config.hostKeyFingerprint}, got ${seen})`,
          ),
        );
      else if (err.level === 'client-authentication')
        reject(new StepFailure(`authentication failed for user ${config.username}`));
      else reject(err);
    });
    client.connect({
      host: address,
      port: config.port ?? 22,
      username: config.username,
      password: secrets.password,
      privateKey: secrets.privateKey,
      passphrase: secrets.passphrase,
      readyTimeout: timeoutMs,
      // Without a password or key ssh2 would try "none" and fail with a vague message.
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        handshake.seenFingerprint = sshFingerprint(key);
        return sameFingerprint(handshake.seenFingerprint, config.hostKeyFingerprint);
      },
    });
  });
}

export function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))),
  );
}

/** SFTP status codes (draft-ietf-secsh-filexfer) as plain words. */
export function explainSftpError(error: unknown, path: string, what: string): Error {
  const code = (error as { code?: unknown }).code;
  if (code === 2) return new StepFailure(`${what} ${path} does not exist`);
  if (code === 3) return new StepFailure(`permission denied on ${what} ${path}`);
  return error instanceof Error ? error : new Error(String(error));
}
