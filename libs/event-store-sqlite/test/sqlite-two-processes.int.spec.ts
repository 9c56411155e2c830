import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@itsm/event-store-sqlite';

/**
 * The embedded store is shared by processes (the API and apps/projector, the CLI): while another
 * process commits all the time, every append of this one still lands (it waits for the lock,
 * never fails with "database is locked").
 */
describe('SQLite event store shared by two processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-2proc-'));
  const file = join(dir, 'itsm.sqlite');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('appends while another process writes continuously', async () => {
    const store = new SqliteEventStore({ filename: file });
    await store.append('warm-up', [{ id: randomUUID(), type: 'WarmedUp', data: {} }], { expectedRevision: 'no_stream' });
    // The other writer: short IMMEDIATE transactions of raw inserts for 3 s.
    const other = spawn(
      process.execPath,
      [
        '-e',
        `
      const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(file)}); db.pragma('busy_timeout = 5000');
      const ins = db.prepare("INSERT INTO events (id, stream_id, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, 'Other', '{}', '{}', '2024-01-01T00:00:00Z')");
      const until = Date.now() + 3000; let n = 0;
      while (Date.now() < until) db.transaction(() => { for (let i = 0; i < 20; i++, n++) ins.run('o-' + n, 'other-' + n, 0); }).immediate();
      console.log(n);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let otherCount = '';
    other.stdout.on('data', (d) => (otherCount += d));
    const exited = new Promise((r) => other.once('exit', r));
    await new Promise((r) => setTimeout(r, 200));
    const results = await Promise.allSettled(
      Array.from({ length: 400 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 5));
        return store.append(`mine-${i}`, [{ id: randomUUID(), type: 'Mine', data: { i } }], { expectedRevision: 'no_stream' });
      }),
    );
    await exited;
    expect(results.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([]);
    expect(Number(otherCount)).toBeGreaterThan(100);
    let mine = 0;
    for await (const e of store.readAll()) if (e.type === 'Mine') mine++;
    expect(mine).toBe(400);
    await store.close();
  }, 30_000);
});
