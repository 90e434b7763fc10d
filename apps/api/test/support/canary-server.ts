import { createServer, request, type Server } from 'node:http';
import { type Socket } from 'node:net';

/**
 * A local HTTP server that answers every request with a useful-looking body (a valid schema, an
 * entity's text) and counts connections: a server-side fetch would both succeed and be seen.
 */
export interface CanaryServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /**
   * Connections made by anyone but the canary itself, counted after a connection of its own has
   * been accepted: one made earlier (say, by the request under test) was accepted before it.
   */
  connectionsSoFar(): Promise<number>;
  close(): Promise<void>;
}

const SENTINEL = '/__canary_sentinel';

export async function startCanaryServer(body: (path: string) => string): Promise<CanaryServer> {
  let connections = 0;
  let sentinels = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    if (req.url === SENTINEL) sentinels += 1;
    res.writeHead(200, { 'content-type': 'application/xml', connection: 'close' });
    res.end(body(req.url ?? '/'));
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;

  const sentinel = () =>
    new Promise<void>((resolve, reject) => {
      const call = request(`${url}${SENTINEL}`, { agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      call.on('error', reject);
      call.end();
    });

  return {
    url,
    connectionsSoFar: async () => {
      await sentinel();
      return connections - sentinels;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
