import type { Provider } from '@nestjs/common';
import { OperationalQueue } from './operational-queue';

export { QueueController } from './queue.controller';

/** The live queue's read side, registered in AppModule. */
export const queueProviders: Provider[] = [OperationalQueue];
