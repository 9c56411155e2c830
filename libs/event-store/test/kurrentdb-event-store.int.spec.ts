import { KurrentDbEventStore } from '../src';
import { describeEventStoreContract } from './event-store.contract';

const connectionString = process.env.KURRENTDB_CONNECTION_STRING;

if (connectionString) {
  describeEventStoreContract(`KurrentDB at ${connectionString}`, async () => new KurrentDbEventStore(connectionString));
} else {
  // Said loudly: a skipped production-adapter suite must never look like a passing one.
  console.warn('SKIPPED: the KurrentDB contract suite needs KURRENTDB_CONNECTION_STRING (e.g. kurrentdb://localhost:2113?tls=false).');
  describe('EventStore contract: KurrentDB', () => {
    it.skip('SKIPPED: KURRENTDB_CONNECTION_STRING is not set, so the KurrentDB adapter was not run against a server', () => {});
  });
}
