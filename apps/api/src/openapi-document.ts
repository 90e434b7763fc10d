import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type OpenAPIObject } from '@nestjs/swagger';

import { AppModule } from './app.module';
import { API_PREFIX, openApiDocument } from './bootstrap';
import { loadConfig } from './core/config/app-config';

/**
 * The OpenAPI document without a database: Nest's preview mode scans modules, controllers and
 * DTO metadata but instantiates no provider, so TypeORM never connects (the URL is never used).
 * `tools/openapi/generate.mjs` writes it to `libs/api-client/openapi.json`.
 */
export async function buildOpenApiDocument(
  databaseUrl = 'postgres://unused/unused',
): Promise<OpenAPIObject> {
  const config = loadConfig({ INTEGRIXS_SEED_DEMO: 'false' });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl),
    new FastifyAdapter(),
    { preview: true, logger: false },
  );
  try {
    // Exactly as createApp() in bootstrap.ts, so the paths carry the /api prefix.
    app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
    return openApiDocument(app);
  } finally {
    await app.close();
  }
}
