import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@itsm/config';
import { AppModule } from './app.module';
import type { Clock } from './common/clock';
import { JSON_BODY_LIMIT, refuseForbiddenKeys, requestBodyErrors, verifyJsonDepth } from './common/request-body';
import { securityHeaders } from './common/security-headers';
import { strictValidationPipe } from './common/validation.pipe';
import { buildOpenApiDocument } from './openapi/openapi-document';

export interface CreateAppOptions {
  jwtSecret: string;
  logger?: LogLevel[] | false;
  clock?: Clock;
}

/** Builds the whole HTTP application; shared by main.ts and the e2e tests. */
export async function createApp(config: AppConfig, options: CreateAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register({ config, jwtSecret: options.jwtSecret, clock: options.clock }), {
    logger: options.logger ?? ['error', 'warn', 'log'],
    bodyParser: false,
  });
  app.use(securityHeaders);
  // A body that is not JSON, too large (after gzip/deflate/br are undone), too deeply nested or in an
  // unknown Content-Encoding is a 4xx problem naming the field and rule, never a 500.
  app.useBodyParser('json', {
    limit: JSON_BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
    verify: verifyJsonDepth,
    reviver: refuseForbiddenKeys,
  });
  app.use(requestBodyErrors);
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
