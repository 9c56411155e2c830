import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@itsm/read-store-sqlite';
import { describeReadStoreContract } from '../../read-store/test/read-store.contract';

const dir = mkdtempSync(join(tmpdir(), 'itsm-rs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describeReadStoreContract('SQLite', async () => new SqliteReadStore(join(dir, 'rm.sqlite')));
