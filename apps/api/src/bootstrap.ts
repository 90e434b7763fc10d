import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { type Logger } from 'pino';

import { AppModule } from './app.module';
import { type AppConfig } from './core/config/app-config';
import { ValidationError } from './core/errors/app-error';
import { sendProblem } from './core/errors/problem-responder';
import { registerRequestHooks, requestIdOf } from './core/http/fastify-hooks';
import { ProblemDto } from './core/http/problem.dto';
import { registerWebConsole } from './core/http/web-console';
import { PinoNestLogger } from './core/logging/logger';
import { MetricsService } from './core/metrics/metrics.service';

export const API_PREFIX = 'api';

function fastifyAdapter(config: AppConfig, logger: Logger): FastifyAdapter {
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // One log line per request, written by the onResponse hook (registerRequestHooks).
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimitBytes,
    genReqId: requestIdOf,
    // Router-level errors (a URL with broken percent-encoding) never reach Nest: answer them here.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(ValidationError.of('url', error.message, 'url'), request, reply),
    routerOptions: { maxParamLength: 200 },
  });
  const fastify = adapter.getInstance();
  // JSON only: a text/plain body is a 415, not a string the DTO layer has to reject.
  // (Errors, including Fastify's own, reach the global ProblemDetailsFilter through Nest.)
  fastify.removeContentTypeParser('text/plain');
  return adapter;
}

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Integrixs API')
    .setDescription(
      'Integration package library and runtime. Errors are RFC 9457 problem+json; lists take q, filters, sort, limit and cursor and answer { items, total, nextCursor }; writes send the version they read (body or If-Match).',
    )
    .setVersion('0.1.0')
    .build();
  return SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] });
}

/**
 * Builds the whole HTTP application (API under /api, /metrics, Swagger at /api/docs and the
 * console at /) on an already-migrated database. `main.ts` and the tests both start here.
 */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  logger: Logger,
): Promise<NestFastifyApplication> {
  const adapter = fastifyAdapter(config, logger);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl, logger),
    adapter,
    {
      logger: new PinoNestLogger(logger),
      bodyParser: false,
    },
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
  registerRequestHooks(adapter.getInstance(), () => app.get(MetricsService));
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, openApiDocument(app), {
    jsonDocumentUrl: `${API_PREFIX}/docs-json`,
    customSiteTitle: 'Integrixs API',
  });
  await registerWebConsole(adapter.getInstance(), config.webDistDir);
  await app.init();
  return app;
}
