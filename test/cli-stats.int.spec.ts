import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '@itsm/config';
import { AUDIT_CHECKPOINT_STREAM } from '@itsm/event-audit';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import type { EventToAppend } from '@itsm/event-store';
import { runCli } from '../apps/cli/src/cli';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'itsm-cli-stats-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const fact = (type: string): EventToAppend => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data: { occurredAt: '2023-01-01T00:00:00.000Z' },
  metadata: { actor: 'seed' },
});

async function stats(): Promise<{ streams: number; streamsByKind: Record<string, number> }> {
  let stdout = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _e, done) => (append(String(chunk)), done()) });
  const config = { ...loadConfig({ ITSM_SQLITE_POSITIONS: process.env.ITSM_SQLITE_POSITIONS }), dataDir: dir };
  const code = await runCli(['stats'], { config, stdout: sink((s) => (stdout += s)), stderr: sink(() => undefined) });
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

describe('itsm stats', () => {
  it('counts streams by the kind the stream parser reads from their names, not by the text before the first dash', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'itsm.sqlite') });
    const streams = [
      'incident-CoL.INC-1',
      'incident-CoL.INC-2',
      'tenant-CoL',
      'tenantgroup-city',
      'resolver-group-desk',
      'sla-policy-CoL',
      'escalation-policy-CoL',
      'major-incidents-CoL',
      'publications-CoL',
      'webhooks-CoL',
      AUDIT_CHECKPOINT_STREAM,
      'something-else',
    ];
    for (const s of streams) await store.append(s, [fact('Noted')], { expectedRevision: 'no_stream' });
    await store.close();
    expect(await stats()).toMatchObject({
      streams: streams.length,
      streamsByKind: {
        incident: 2,
        tenant: 1,
        'tenant-group': 1,
        'resolver-group': 1,
        'sla-policy': 1,
        'escalation-policy': 1,
        'major-incident-register': 1,
        publications: 1,
        webhooks: 1,
        [AUDIT_CHECKPOINT_STREAM]: 1,
        other: 1,
      },
    });
  });
});
