/** The resolve and connect steps every network adapter starts with. */
import { connect, type Socket } from 'node:net';

import type { ConnectionTestOptions } from './adapter';
import { required } from './explain-error';
import type { StepRunner } from './steps';
import { resolveTarget, type ResolvedTarget } from './target-policy';

/** Opens a TCP connection to an already checked address; rejects with the libuv error. */
export function openSocket(address: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      socket.destroy();
      reject(err);
    });
  });
}

/**
 * resolve: DNS + target policy; connect: a TCP connection to the checked address, closed again
 * (the protocol client then connects to the same address). Returns the target, or undefined
 * when a step failed.
 */
export async function resolveAndConnect(
  runner: StepRunner,
  host: string,
  port: number,
  options: ConnectionTestOptions | undefined,
): Promise<ResolvedTarget | undefined> {
  const target = await runner.run(
    'resolve',
    () => resolveTarget(host, options?.policy),
    (t) => (t.address === host ? `${host} is allowed` : `${host} resolved to ${t.address}`),
  );
  await runner.run(
    'connect',
    async () => (await openSocket(required(target, 'target').address, port)).destroy(),
    () => `connected to ${target?.address ?? host}:${port}`,
  );
  return runner.ok ? target : undefined;
}
