import { existsSync } from 'node:fs';
import path from 'node:path';

import fastifyStatic from '@fastify/static';
import { type FastifyInstance } from 'fastify';

import { NotFoundError } from '../errors/app-error';

/**
 * Serves the built console at `/` from the same port as the API: files as they are, and
 * `index.html` for any other GET outside `/api` and `/metrics` (client-side routes).
 * Returns false when no built console is there (API-only).
 */
export async function registerWebConsole(
  fastify: FastifyInstance,
  webDistDir: string,
): Promise<boolean> {
  if (!existsSync(path.join(webDistDir, 'index.html'))) return false;
  await fastify.register(fastifyStatic, {
    root: webDistDir,
    wildcard: false,
    index: false,
    setHeaders: (reply, filePath) => {
      const hashed = /[.-][A-Z0-9]{8,}\.(js|css|woff2?)$/i.test(filePath);
      void reply.header(
        'cache-control',
        hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  fastify.get('/*', async (request, reply) => {
    const pathname = request.url.split('?', 1)[0] ?? '/';
    if (pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/metrics')) {
      throw new NotFoundError('Route', `GET ${pathname}`);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
  fastify.get('/', async (_request, reply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html'),
  );
  return true;
}
