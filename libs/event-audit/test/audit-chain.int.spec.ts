import { AUDIT_CHECKPOINT_STREAM, AuditCheckpointer, verifyLog } from '@itsm/event-audit';
import { eventHash, GENESIS_HASH, handleCommand, type EventStore } from '@itsm/event-store';
import { SqliteEventStore } from '@itsm/event-store-sqlite';

type Noted = { type: 'Noted'; data: { n: number; text: string } };

/** Appends `count` events to a stream through the command path, one command each. */
async function note(store: EventStore, streamId: string, tenantId: string, count: number, from = 0) {
  for (let i = from; i < from + count; i++) {
    await handleCommand<number, Noted>(store, {
      streamId,
      initialState: () => 0,
      evolve: (s) => s + 1,
      decide: () => [{ type: 'Noted', data: { n: i, text: `note ${i} é` } }],
      metadata: { commandId: `${streamId}/${i}`, actor: 'alice', tenantId, correlationId: 'c', causationId: 'c', requestHash: `h${i}` },
      schemaVersion: 1,
      now: () => new Date(Date.UTC(2024, 0, 1, 9, i)),
    });
  }
}

const row = (store: SqliteEventStore, streamId: string, revision: number) =>
  store.database.prepare('SELECT position, data, metadata FROM events WHERE stream_id = ? AND revision = ?').get(streamId, revision) as {
    position: bigint;
    data: string;
    metadata: string;
  };

describe('tamper evidence: hash chains and checkpoints', () => {
  let store: SqliteEventStore;
  beforeEach(async () => {
    store = new SqliteEventStore({ filename: ':memory:' });
    await note(store, 'incident-a', 'CoL', 5);
    await note(store, 'incident-b', 'LBB', 3);
    await note(store, 'incident-a', 'CoL', 2, 5);
  });
  afterEach(() => store.close());

  it('chains every event to the previous one of its stream', async () => {
    const events = [];
    for await (const e of store.readStream('incident-a')) events.push(e);
    let previous = GENESIS_HASH;
    for (const e of events) {
      expect(e.metadata.hash).toBe(eventHash(previous, e));
      previous = e.metadata.hash as string;
    }
    const report = await verifyLog(store);
    expect(report).toMatchObject({ ok: true, eventsChecked: 10, streamsChecked: 2, firstBreak: null, headPosition: (await store.headPosition())!.toString() });
    expect(report.headGlobalHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('locates an event edited directly in the database, and reports it once', async () => {
    const target = row(store, 'incident-a', 3);
    store.database.prepare('UPDATE events SET data = ? WHERE position = ?').run(target.data.replace('note 3', 'note 33'), target.position);
    const report = await verifyLog(store);
    expect(report.ok).toBe(false);
    expect(report.breaks).toHaveLength(1);
    expect(report.firstBreak).toMatchObject({ kind: 'event_altered', streamId: 'incident-a', revision: '3', position: String(target.position) });
  });

  it('locates an edit of the metadata (the actor) too', async () => {
    const target = row(store, 'incident-b', 1);
    store.database.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(target.metadata.replace('"alice"', '"mallory"'), target.position);
    expect((await verifyLog(store)).firstBreak).toMatchObject({ kind: 'event_altered', streamId: 'incident-b', revision: '1' });
  });

  it('reports a deleted event as a gap in its stream', async () => {
    store.database.prepare('DELETE FROM events WHERE stream_id = ? AND revision = 2').run('incident-a');
    expect((await verifyLog(store)).firstBreak).toMatchObject({ kind: 'revision_gap', streamId: 'incident-a', revision: '3' });
  });

  it('catches an edit whose stream was re-hashed by a checkpoint recorded before it', async () => {
    const checkpointer = new AuditCheckpointer(store, { now: () => new Date('2024-01-02T00:00:00Z') });
    const head = (await store.headPosition())!.toString();
    const cp = await checkpointer.checkpoint();
    expect(cp).toMatchObject({ position: head, eventCount: 10 });
    expect((await verifyLog(store)).ok).toBe(true);
    // The forger edits revision 1 of incident-b and recomputes every later hash of the stream.
    const rows = store.database
      .prepare('SELECT position, id, revision, type, data, metadata FROM events WHERE stream_id = ? ORDER BY revision')
      .all('incident-b') as Array<{ position: bigint; id: string; revision: bigint; type: string; data: string; metadata: string }>;
    let previous = GENESIS_HASH;
    for (const r of rows) {
      const data = JSON.parse(r.revision === 1n ? r.data.replace('note 1', 'note 99') : r.data);
      const metadata = JSON.parse(r.metadata);
      metadata.hash = eventHash(previous, { streamId: 'incident-b', revision: r.revision, id: r.id, type: r.type, data, metadata });
      previous = metadata.hash;
      store.database.prepare('UPDATE events SET data = ?, metadata = ? WHERE position = ?').run(JSON.stringify(data), JSON.stringify(metadata), r.position);
    }
    const report = await verifyLog(store);
    expect(report.breaks.map((b) => b.kind)).toEqual(['checkpoint_mismatch']);
    expect(report.firstBreak).toMatchObject({ streamId: AUDIT_CHECKPOINT_STREAM, position: (await store.headPosition())!.toString() });
    expect(report.firstBreak!.detail).toContain("the log's first 10 events");
  });

  it("catches the removal of a stream's last events before a checkpoint", async () => {
    await new AuditCheckpointer(store).checkpoint();
    store.database.prepare('DELETE FROM events WHERE stream_id = ? AND revision = 6').run('incident-a');
    expect((await verifyLog(store)).firstBreak).toMatchObject({ kind: 'checkpoint_mismatch' });
  });

  it("never names another tenant's stream to a tenant auditor", async () => {
    const target = row(store, 'incident-b', 0);
    store.database.prepare('UPDATE events SET data = ? WHERE position = ?').run(target.data.replace('note 0', 'x'), target.position);
    const forCol = await verifyLog(store, { tenantId: 'CoL' });
    expect(forCol.firstBreak).toEqual({ kind: 'event_altered', position: String(target.position), detail: 'in a stream of another tenant' });
    expect((await verifyLog(store, { tenantId: 'LBB' })).firstBreak).toMatchObject({ streamId: 'incident-b' });
  });

  it('checkpoints only when something but checkpoints happened, and resumes from the last one', async () => {
    const first = new AuditCheckpointer(store);
    const head = (await store.headPosition())!.toString();
    expect(await first.checkpoint()).toMatchObject({ position: head, eventCount: 10 });
    expect(await first.checkpoint()).toBeNull();
    await note(store, 'incident-b', 'LBB', 2, 3);
    const restarted = new AuditCheckpointer(store); // a new process: starts from the recorded checkpoint
    const last = (await store.headPosition())!.toString();
    expect(await restarted.checkpoint()).toMatchObject({ position: last, eventCount: 13 });
    const report = await verifyLog(store);
    expect(report).toMatchObject({ ok: true, checkpointsChecked: 2, eventsChecked: 14 });
  });

  it('records a checkpoint on its own once enough events are uncovered', async () => {
    const checkpointer = new AuditCheckpointer(store, { everyEvents: 5, pollMs: 10 });
    checkpointer.start();
    // Wait for it to act, however long the machine takes (bounded), never for a fixed time.
    const recorded = async () => {
      const found = [];
      try {
        for await (const e of store.readStream(AUDIT_CHECKPOINT_STREAM)) found.push(e.data);
      } catch {
        // no checkpoint stream yet
      }
      return found;
    };
    for (let i = 0; i < 3000 && (await recorded()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await checkpointer.stop();
    const checkpoints = await recorded();
    expect(checkpoints).toEqual([expect.objectContaining({ eventCount: 10 })]);
  });

  it('after a copy into a store that assigns its own positions (as KurrentDB does), verify matches checkpoints and the checkpointer starts over', async () => {
    await new AuditCheckpointer(store).checkpoint();
    // Copied event by event in log order through ordinary appends: ids, revisions and data kept, positions new.
    const copy = new SqliteEventStore({ filename: ':memory:', positions: store.positions === 'sparse' ? 'dense' : 'sparse' });
    for await (const e of store.readAll()) {
      await copy.append(e.streamId, [{ id: e.id, type: e.type, data: e.data, metadata: e.metadata }], {
        expectedRevision: e.revision === 0n ? 'no_stream' : e.revision - 1n,
      });
    }
    expect((await copy.headPosition())?.toString()).not.toBe((await store.headPosition())?.toString());
    expect(await verifyLog(copy)).toMatchObject({ ok: true, checkpointsChecked: 1, eventsChecked: 11 });
    await note(copy, 'incident-b', 'LBB', 1, 3);
    const head = (await copy.headPosition())!.toString();
    const recorded = await new AuditCheckpointer(copy).checkpoint();
    expect(recorded).toMatchObject({ position: head, eventCount: 12 });
    expect(await verifyLog(copy)).toMatchObject({ ok: true, checkpointsChecked: 2 });
    await copy.close();
  });
});
