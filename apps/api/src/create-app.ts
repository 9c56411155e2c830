import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LogLevel } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@itsm/config';
import { AppModule } from './app.module';
import type { Clock } from './common/clock';
import { ProblemDetails } from './common/problem-details';
import { strictValidationPipe } from './common/validation.pipe';

export interface CreateAppOptions {
  jwtSecret: string;
  logger?: LogLevel[] | false;
  clock?: Clock;
}

/** Builds the whole HTTP application; shared by main.ts and the e2e tests. */
export async function createApp(config: AppConfig, options: CreateAppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.register({ config, jwtSecret: options.jwtSecret, clock: options.clock }),
    { logger: options.logger ?? ['error', 'warn', 'log'], bodyParser: false },
  );
  // A body that is not JSON, or too large, is a 4xx answered by the problem filter, never a 500.
  app.useBodyParser('json', { limit: '256kb', type: ['application/json', 'application/*+json'] });
  app.useGlobalPipes(strictValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ITSM backend')
      .setDescription('Event-sourced IT service management for shared public-sector IT. Errors are RFC 9457 problem+json.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: [ProblemDetails] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
