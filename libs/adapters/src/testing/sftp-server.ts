/**
 * A real SFTP server for the tests: ssh2's Server with an SFTP subsystem serving a temp folder,
 * password authentication, and an ed25519 host key whose fingerprint the tests pin.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, posix } from 'node:path';

import { Server, utils, type Attributes, type SFTPWrapper } from 'ssh2';

const { STATUS_CODE } = utils.sftp;

export interface TestSftpServer {
  port: number;
  fingerprint: string;
  close(): Promise<void>;
}

/**
 * ssh2 strips every leading zero byte of an ed25519 public key, so about one generated pair in 256
 * cannot be parsed back (mscdex/ssh2#1513, #1390); draw again until both halves parse.
 */
function hostKeyPair(): { privateKey: string; fingerprint: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    const parsed = utils.parseKey(pair.public);
    if (parsed instanceof Error || utils.parseKey(pair.private) instanceof Error) continue;
    const blob = parsed.getPublicSSH();
    const fingerprint =
      'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
    return { privateKey: pair.private, fingerprint };
  }
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function toAttrs(stat: fs.Stats): Attributes {
  return {
    mode: stat.mode,
    uid: stat.uid,
    gid: stat.gid,
    size: stat.size,
    atime: Math.floor(stat.atimeMs / 1000),
    mtime: Math.floor(stat.mtimeMs / 1000),
  };
}

/** Serves `root` as `/` with the SFTP requests the adapter uses. */
function serveFolder(sftp: SFTPWrapper, root: string): void {
  const real = (p: string) => join(root, posix.normalize('/' + p));
  const handles = new Map<number, { fd?: number; dir?: string; listed?: boolean }>();
  let next = 0;
  const newHandle = (entry: { fd?: number; dir?: string }) => {
    const id = next++;
    handles.set(id, entry);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id);
    return buf;
  };
  const lookup = (h: Buffer) => {
    const entry = handles.get(h.readUInt32BE(0));
    if (!entry) throw new Error('invalid handle');
    return entry;
  };
  const fdOf = (h: Buffer) => {
    const fd = lookup(h).fd;
    if (fd === undefined) throw new Error('not a file handle');
    return fd;
  };
  const fail = (reqId: number, err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    sftp.status(
      reqId,
      code === 'ENOENT'
        ? STATUS_CODE.NO_SUCH_FILE
        : code === 'EACCES'
          ? STATUS_CODE.PERMISSION_DENIED
          : STATUS_CODE.FAILURE,
    );
  };
  const attempt = (reqId: number, fn: () => void) => {
    try {
      fn();
    } catch (err) {
      fail(reqId, err);
    }
  };

  sftp.on('OPEN', (reqId, filename, flags) =>
    attempt(reqId, () => {
      const mode = utils.sftp.flagsToString(flags) ?? 'r';
      sftp.handle(reqId, newHandle({ fd: fs.openSync(real(filename), mode) }));
    }),
  );
  sftp.on('READ', (reqId, handle, offset, len) =>
    attempt(reqId, () => {
      const buf = Buffer.alloc(len);
      const n = fs.readSync(fdOf(handle), buf, 0, len, offset);
      if (n === 0) sftp.status(reqId, STATUS_CODE.EOF);
      else sftp.data(reqId, buf.subarray(0, n));
    }),
  );
  sftp.on('WRITE', (reqId, handle, offset, data) =>
    attempt(reqId, () => {
      fs.writeSync(fdOf(handle), data, 0, data.length, offset);
      sftp.status(reqId, STATUS_CODE.OK);
    }),
  );
  sftp.on('FSTAT', (reqId, handle) =>
    attempt(reqId, () => sftp.attrs(reqId, toAttrs(fs.fstatSync(fdOf(handle))))),
  );
  sftp.on('CLOSE', (reqId, handle) =>
    attempt(reqId, () => {
      const entry = lookup(handle);
      if (entry.fd !== undefined) fs.closeSync(entry.fd);
      handles.delete(handle.readUInt32BE(0));
      sftp.status(reqId, STATUS_CODE.OK);
    }),
  );
  sftp.on('OPENDIR', (reqId, path) =>
    attempt(reqId, () => {
      if (!fs.statSync(real(path)).isDirectory()) throw new Error('not a folder');
      sftp.handle(reqId, newHandle({ dir: real(path) }));
    }),
  );
  sftp.on('READDIR', (reqId, handle) =>
    attempt(reqId, () => {
      const entry = lookup(handle);
      const dir = entry.dir;
      if (dir === undefined || entry.listed) return sftp.status(reqId, STATUS_CODE.EOF);
      entry.listed = true;
      const names = fs.readdirSync(dir).map((filename) => {
        const attrs = toAttrs(fs.statSync(join(dir, filename)));
        return { filename, longname: filename, attrs };
      });
      sftp.name(reqId, names);
    }),
  );
  const stat = (reqId: number, path: string) =>
    attempt(reqId, () => sftp.attrs(reqId, toAttrs(fs.statSync(real(path)))));
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('REMOVE', (reqId, path) =>
    attempt(reqId, () => {
      fs.unlinkSync(real(path));
      sftp.status(reqId, STATUS_CODE.OK);
    }),
  );
  sftp.on('RENAME', (reqId, from, to) =>
    attempt(reqId, () => {
      // SFTP v3 semantics: renaming onto an existing file fails.
      if (fs.existsSync(real(to))) throw new Error('target exists');
      fs.renameSync(real(from), real(to));
      sftp.status(reqId, STATUS_CODE.OK);
    }),
  );
  sftp.on('MKDIR', (reqId, path) =>
    attempt(reqId, () => {
      fs.mkdirSync(real(path));
      sftp.status(reqId, STATUS_CODE.OK);
    }),
  );
  sftp.on('REALPATH', (reqId, path) =>
    sftp.name(reqId, [
      { filename: posix.normalize('/' + path), longname: '', attrs: {} as Attributes },
    ]),
  );
}

export async function startSftpServer(options: {
  root: string;
  username: string;
  password: string;
}): Promise<TestSftpServer> {
  const key = hostKeyPair();
  const server = new Server({ hostKeys: [key.privateKey] }, (client) => {
    client.on('authentication', (ctx) => {
      if (
        ctx.method === 'password' &&
        same(ctx.username, options.username) &&
        same(ctx.password, options.password)
      )
        ctx.accept();
      else ctx.reject(['password']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => serveFolder(acceptSftp(), options.root));
      });
    });
    client.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    fingerprint: key.fingerprint,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
