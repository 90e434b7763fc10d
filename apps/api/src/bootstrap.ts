import { readFileSync } from 'node:fs';

import fastifyCookie from '@fastify/cookie';
import { type FastifyHelmetOptions } from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { type Logger } from 'pino';

import { addAdapterConfigurationSchemas } from './adapter/adapter-openapi';
import { AppModule } from './app.module';
import { type AppConfig } from './core/config/app-config';
import { ValidationError } from './core/errors/app-error';
import { sendProblem } from './core/errors/problem-responder';
import { registerRequestHooks, requestIdOf } from './core/http/fastify-hooks';
import { registerJsonBodies } from './core/http/json-body';
import { ProblemDto } from './core/http/problem.dto';
import { helmetHeaders, registerStaticHeaders } from './core/http/security-headers';
import { registerWebConsole } from './core/http/web-console';
import { PinoNestLogger } from './core/logging/logger';
import { MetricsService } from './core/metrics/metrics.service';
import { addFlowGraphSchemas } from './flow/flow-openapi';
import { BearerAuthenticator } from './identity/strategies';
import { registerInboundBodies } from './runtime/inbound-body';
import { registerXmlBodies } from './schema/payload-body';

export const API_PREFIX = 'api';

function fastifyAdapter(
  config: AppConfig,
  logger: Logger,
  authenticator: () => BearerAuthenticator,
): FastifyAdapter {
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
    trustProxy: config.trustProxy === false ? false : (config.trustProxy as number | string[]),
    ...(config.tlsCertFile && config.tlsKeyFile
      ? { https: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } }
      : {}),
  });
  const fastify = adapter.getInstance();
  // JSON only: a text/plain body is a 415, not a string the DTO layer has to reject.
  // (Errors, including Fastify's own, reach the global ProblemDetailsFilter through Nest.)
  fastify.removeContentTypeParser('text/plain');
  if (config.trustProxy === false) warnOnceAboutProxies(fastify, logger);
  registerJsonBodies(fastify, config.bodyMaxDepth);
  registerXmlBodies(fastify);
  registerInboundBodies(fastify, config.runtimeMaxPayloadBytes, (request) =>
    authenticator().authenticate(request),
  );
  return adapter;
}

/**
 * Behind a proxy that TRUST_PROXY does not name, every client shares the proxy's address, so
 * one client's failed sign-ins lock everyone out: say so once, when the first forwarded request
 * arrives.
 */
function warnOnceAboutProxies(fastify: FastifyInstance, logger: Logger): void {
  let warned = false;
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (!warned && request.headers['x-forwarded-for'] !== undefined) {
      warned = true;
      logger.warn(
        'requests carry X-Forwarded-For but TRUST_PROXY is unset: clients are seen as the proxy (sign-in throttling then locks them out together); set TRUST_PROXY to the number of proxies in front or their addresses',
      );
    }
    done();
  });
}

/** Helmet's headers, with a CSP that fits the console and Swagger UI. */
const HELMET_OPTIONS: FastifyHelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      // Angular and Swagger UI set inline styles.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  },
};

/**
 * Security headers (helmet, with a CSP that fits the console and Swagger UI), cookies (the
 * console's refresh token) and CORS for the configured origins only (none by default).
 */
async function registerSecurity(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.register(fastifyCookie);
  registerStaticHeaders(app.getHttpAdapter().getInstance(), await helmetHeaders(HELMET_OPTIONS));
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      credentials: true,
      exposedHeaders: ['etag', 'location', 'retry-after', 'x-request-id', 'www-authenticate'],
    });
  }
}

export function openApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Integrixs API')
    .setDescription(
      'Integration package library and runtime. Errors are RFC 9457 problem+json; lists take q, filters, sort, limit and cursor and answer { items, total, nextCursor }; writes send the version they read (body or If-Match).',
    )
    .setVersion('0.1.0')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'An access token from POST /api/auth/login, or an API token (ixt_…).',
    })
    .build();
  // The adapter configuration and flow graph schemas are JSON Schemas from libs/domain, not DTO
  // classes.
  return addFlowGraphSchemas(
    addAdapterConfigurationSchemas(
      SwaggerModule.createDocument(app, config, { extraModels: [ProblemDto] }),
    ),
  );
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
  const adapter = fastifyAdapter(config, logger, () => app.get(BearerAuthenticator));
  const app: NestFastifyApplication = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, databaseUrl, logger),
    adapter,
    {
      logger: new PinoNestLogger(logger),
      bodyParser: false,
    },
  );
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
  await registerSecurity(app, config);
  registerRequestHooks(adapter.getInstance(), () => app.get(MetricsService));
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, openApiDocument(app), {
    jsonDocumentUrl: `${API_PREFIX}/docs-json`,
    customSiteTitle: 'Integrixs API',
  });
  await registerWebConsole(adapter.getInstance(), config.webDistDir);
  // Live events (apps/api/src/events): WebSocket upgrades on the same HTTP server.
  app.useWebSocketAdapter(new WsAdapter(app));
  await app.init();
  return app;
}
