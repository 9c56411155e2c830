import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { APP_CONFIG, type AppConfig } from '@itsm/config';
import { HealthController } from './health/health.controller';
import { EventStoreLifecycle, eventStoreProvider } from './event-store.provider';

@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController],
      providers: [{ provide: APP_CONFIG, useValue: config }, eventStoreProvider, EventStoreLifecycle],
    };
  }
}
