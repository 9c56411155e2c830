import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import { describeEventStoreContract } from '../../event-store/test/event-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'itsm-es-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
describeEventStoreContract(
  'SQLite (file, WAL, dense positions)',
  async () => new SqliteEventStore({ filename: join(dir, `store-${n++}.sqlite`), positions: 'dense' }),
);
describeEventStoreContract(
  'SQLite (file, WAL, server-shaped sparse positions)',
  async () => new SqliteEventStore({ filename: join(dir, `store-${n++}.sqlite`), positions: 'sparse' }),
);
