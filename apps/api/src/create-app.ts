import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LogLevel } from '@nestjs/common';
import type { AppConfig } from '@itsm/config';
import { AppModule } from './app.module';

export interface CreateAppOptions {
  logger?: LogLevel[] | false;
}

/** Builds the whole HTTP application; shared by main.ts and the e2e tests. */
export async function createApp(config: AppConfig, options: CreateAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config), { logger: options.logger ?? ['error', 'warn', 'log'] });
  app.enableShutdownHooks();
  return app;
}
