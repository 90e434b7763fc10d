import { createServer, type Socket } from 'node:net';

/** A local TCP server that only counts connections: proof that nothing tried to fetch. */
export interface Listener {
  /** `http://127.0.0.1:<port>` */
  url: string;
  connections(): number;
  close(): Promise<void>;
}

export async function startListener(): Promise<Listener> {
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
