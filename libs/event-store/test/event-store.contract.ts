import { randomUUID } from 'node:crypto';
import { InvalidAppendError, StreamNotFoundError, WrongExpectedVersionError, type EventStore, type EventToAppend, type RecordedEvent } from '@itsm/event-store';

/**
 * The contract every EventStore adapter honours. Stream names carry a fresh suffix so the
 * suite also runs against a shared server that already holds other events.
 */
export function describeEventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const stream = (prefix = 'incident') => `${prefix}-${randomUUID()}`;
    const event = (type = 'IncidentRaised', data: Record<string, unknown> = { n: 1 }): EventToAppend => ({
      id: randomUUID(),
      type,
      data,
      metadata: { actor: 'contract-test' },
    });
    const read = async (iterable: AsyncIterable<RecordedEvent>) => {
      const out: RecordedEvent[] = [];
      for await (const e of iterable) out.push(e);
      return out;
    };

    describe('expected revision', () => {
      it("'no_stream' creates a stream and refuses an existing one, reporting the actual revision", async () => {
        const s = stream();
        const first = await store.append(s, [event(), event()], { expectedRevision: 'no_stream' });
        expect(first.nextRevision).toBe(1n);
        const err = await store.append(s, [event()], { expectedRevision: 'no_stream' }).catch((e) => e);
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err.expected).toBe('no_stream');
        expect(err.actual).toBe(1n);
      });

      it("'stream_exists' refuses a missing stream and accepts an existing one", async () => {
        const s = stream();
        const err = await store.append(s, [event()], { expectedRevision: 'stream_exists' }).catch((e) => e);
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err.actual).toBe('no_stream');
        await store.append(s, [event()], { expectedRevision: 'any' });
        const r = await store.append(s, [event()], { expectedRevision: 'stream_exists' });
        expect(r.nextRevision).toBe(1n);
      });

      it("'any' appends whatever the stream's state", async () => {
        const s = stream();
        expect((await store.append(s, [event()], { expectedRevision: 'any' })).nextRevision).toBe(0n);
        expect((await store.append(s, [event()], { expectedRevision: 'any' })).nextRevision).toBe(1n);
      });

      it('an exact revision appends only at that revision; a stale one carries expected and actual', async () => {
        const s = stream();
        await store.append(s, [event(), event(), event()], { expectedRevision: 'no_stream' });
        const ok = await store.append(s, [event()], { expectedRevision: 2n });
        expect(ok.nextRevision).toBe(3n);
        const err = await store.append(s, [event()], { expectedRevision: 2n }).catch((e) => e);
        expect(err).toBeInstanceOf(WrongExpectedVersionError);
        expect(err.expected).toBe(2n);
        expect(err.actual).toBe(3n);
        const missing = await store.append(stream(), [event()], { expectedRevision: 0n }).catch((e) => e);
        expect(missing).toBeInstanceOf(WrongExpectedVersionError);
        expect(missing.actual).toBe('no_stream');
      });

      it('a refused append writes nothing at all (atomic)', async () => {
        const s = stream();
        await store.append(s, [event()], { expectedRevision: 'no_stream' });
        await expect(store.append(s, [event(), event()], { expectedRevision: 5n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
        expect(await read(store.readStream(s))).toHaveLength(1);
      });
    });

    describe('idempotent retry', () => {
      it('the same event ids at the same expected revision write nothing and return the first result', async () => {
        const s = stream();
        await store.append(s, [event()], { expectedRevision: 'no_stream' });
        const batch = [event('IncidentAssigned'), event('IncidentResponded')];
        const first = await store.append(s, batch, { expectedRevision: 0n });
        const again = await store.append(s, batch, { expectedRevision: 0n });
        expect(again).toEqual(first);
        const events = await read(store.readStream(s));
        expect(events.map((e) => e.type)).toEqual(['IncidentRaised', 'IncidentAssigned', 'IncidentResponded']);
      });

      it('a retry after the stream has moved on is still a no-op that answers as the first append did', async () => {
        const s = stream();
        const batch = [event(), event('IncidentAssigned')];
        const first = await store.append(s, batch, { expectedRevision: 'no_stream' });
        await store.append(s, [event('IncidentResponded')], { expectedRevision: 1n });
        expect(await store.append(s, batch, { expectedRevision: 'no_stream' })).toEqual(first);
        expect((await read(store.readStream(s))).map((e) => e.type)).toEqual(['IncidentRaised', 'IncidentAssigned', 'IncidentResponded']);
      });

      it('an event id counts within its stream: the same id in another stream is another event', async () => {
        const [a, b] = [stream(), stream()];
        const shared = event();
        const inA = await store.append(a, [shared], { expectedRevision: 'no_stream' });
        const inB = await store.append(b, [shared], { expectedRevision: 'no_stream' });
        expect(inB.position > inA.position).toBe(true);
        const [readA, readB] = [await read(store.readStream(a)), await read(store.readStream(b))];
        expect(readA.map((e) => e.id)).toEqual([shared.id]);
        expect(readB.map((e) => [e.id, e.revision, e.position])).toEqual([[shared.id, 0n, inB.position]]);
      });

      it("a retried first append with 'no_stream' is also a no-op", async () => {
        const s = stream();
        const batch = [event()];
        const first = await store.append(s, batch, { expectedRevision: 'no_stream' });
        expect(await store.append(s, batch, { expectedRevision: 'no_stream' })).toEqual(first);
        expect(await read(store.readStream(s))).toHaveLength(1);
      });
    });

    describe('concurrency', () => {
      it('50 concurrent appends at one expected revision: exactly one wins', async () => {
        const s = stream();
        await store.append(s, [event()], { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => store.append(s, [event('IncidentAssigned')], { expectedRevision: 0n })));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(losers).toHaveLength(49);
        losers.forEach((l) => expect(l.reason).toBeInstanceOf(WrongExpectedVersionError));
        expect(await read(store.readStream(s))).toHaveLength(2);
      });

      it('appends sent together are answered each on its own: a stale one fails alone and writes nothing', async () => {
        const streams = Array.from({ length: 10 }, () => stream());
        await Promise.all(streams.map((s) => store.append(s, [event()], { expectedRevision: 'no_stream' })));
        const outcomes = await Promise.allSettled(
          streams.map((s, i) =>
            store.append(s, [event('IncidentAssigned', { i }), event('IncidentResponded', { i })], { expectedRevision: i === 4 ? 7n : 0n }),
          ),
        );
        expect(outcomes.map((o) => o.status)).toEqual(streams.map((_, i) => (i === 4 ? 'rejected' : 'fulfilled')));
        expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
        for (const [i, s] of streams.entries()) {
          const events = await read(store.readStream(s));
          expect(events.map((e) => e.type)).toEqual(i === 4 ? ['IncidentRaised'] : ['IncidentRaised', 'IncidentAssigned', 'IncidentResponded']);
          const outcome = outcomes[i];
          if (outcome?.status === 'fulfilled') expect(outcome.value).toEqual({ nextRevision: 2n, position: events[2]?.position });
        }
      });

      it('50 concurrent writers that retry on conflict: nothing lost, no gap, no duplicate', async () => {
        const s = stream();
        const writer = async (i: number) => {
          const e = event('IncidentAssigned', { writer: i });
          for (;;) {
            const current = await read(store.readStream(s, { direction: 'backwards', maxCount: 1 })).catch(() => []);
            const expectedRevision = current[0]?.revision ?? ('no_stream' as const);
            try {
              return await store.append(s, [e], { expectedRevision });
            } catch (err) {
              if (!(err instanceof WrongExpectedVersionError)) throw err;
            }
          }
        };
        await Promise.all(Array.from({ length: 50 }, (_, i) => writer(i)));
        const events = await read(store.readStream(s));
        expect(events.map((e) => e.revision)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i)));
        expect(new Set(events.map((e) => e.data.writer)).size).toBe(50);
      });
    });

    describe('reading', () => {
      it('readAll resumes strictly after a position; counts the events after one; the head is the last append', async () => {
        const s = stream();
        const first = await store.append(s, [event(), event('IncidentAssigned')], { expectedRevision: 'no_stream' });
        const second = await store.append(s, [event('IncidentResponded')], { expectedRevision: 1n });
        expect(second.position > first.position).toBe(true);
        expect(await store.headPosition()).toBe(second.position);
        const after = await read(store.readAll({ after: first.position }));
        expect(after.map((e) => [e.streamId, e.type])).toEqual([[s, 'IncidentResponded']]);
        expect(after[0]?.position).toBe(second.position);
        expect(await read(store.readAll({ after: second.position }))).toEqual([]);
        expect(await store.countEventsAfter(first.position)).toBe(1);
        expect(await store.countEventsAfter(second.position)).toBe(0);
        // The append reports its last event's position: the first event of it lies before.
        const whole = (await read(store.readStream(s))).map((e) => e.position);
        expect(whole[1]).toBe(first.position);
        expect(whole[0]! < whole[1]!).toBe(true);
        expect((await read(store.readAll({ after: whole[0], maxCount: 1 })))[0]?.position).toBe(first.position);
      });

      it('readStream of a missing stream throws StreamNotFoundError', async () => {
        await expect(read(store.readStream(stream()))).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('readAll returns every stream in global commit order', async () => {
        const streams = Array.from({ length: 20 }, () => stream());
        const appended: string[] = [];
        const before = await store.headPosition();
        for (let round = 0; round < 5; round++) {
          for (const s of streams) {
            const e = event('IncidentAssigned', { round });
            await store.append(s, [e], { expectedRevision: 'any' });
            appended.push(e.id);
          }
        }
        const mine = new Set(streams);
        const all = (await read(store.readAll({ after: before }))).filter((e) => mine.has(e.streamId));
        expect(all.map((e) => e.id)).toEqual(appended);
        for (let i = 1; i < all.length; i++) expect(all[i]!.position > all[i - 1]!.position).toBe(true);
        for (const s of streams) {
          expect(all.filter((e) => e.streamId === s).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        }
      });

      it('a recorded event carries id, stream, revision, position, type, data, metadata and recordedAt', async () => {
        const s = stream();
        const e = event('IncidentRaised', { title: 'Printer down' });
        const r = await store.append(s, [e], { expectedRevision: 'no_stream' });
        const [got] = await read(store.readStream(s));
        expect(got).toEqual({
          id: e.id,
          streamId: s,
          revision: 0n,
          position: r.position,
          type: 'IncidentRaised',
          data: { title: 'Printer down' },
          metadata: { actor: 'contract-test' },
          recordedAt: expect.any(Date),
        });
      });

      it('a 10,000-event stream reads back whole, in order, forwards, backwards and in slices', async () => {
        const s = stream();
        for (let i = 0; i < 10_000; i += 1_000) {
          const batch = Array.from({ length: 1_000 }, (_, j) => event('IncidentAssigned', { i: i + j }));
          await store.append(s, batch, { expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1) });
        }
        const all = await read(store.readStream(s));
        expect(all).toHaveLength(10_000);
        expect(all.every((e, i) => e.revision === BigInt(i) && e.data.i === i)).toBe(true);
        const slice = await read(store.readStream(s, { fromRevision: 4_990n, maxCount: 20 }));
        expect(slice.map((e) => e.data.i)).toEqual(Array.from({ length: 20 }, (_, i) => 4_990 + i));
        const tail = await read(store.readStream(s, { direction: 'backwards', maxCount: 3 }));
        expect(tail.map((e) => e.revision)).toEqual([9_999n, 9_998n, 9_997n]);
      }, 120_000);
    });

    describe('payloads', () => {
      it('unicode survives the round trip', async () => {
        const s = stream();
        const data = { title: 'Imprimante en panne — Łódź 東京 🚨', reporter: 'Zoë Ó Briain', note: 'naïve\u0000tab\t' };
        await store.append(s, [event('IncidentRaised', data)], { expectedRevision: 'no_stream' });
        const [got] = await read(store.readStream(s));
        expect(got?.data).toEqual(data);
      });

      it('a 1 MB payload survives the round trip', async () => {
        const s = stream();
        const data = { description: 'x'.repeat(1_000_000) };
        await store.append(s, [event('IncidentRaised', data)], { expectedRevision: 'no_stream' });
        const [got] = await read(store.readStream(s));
        expect((got?.data.description as string).length).toBe(1_000_000);
      });
    });

    describe('validation', () => {
      it.each([
        ['', 'empty'],
        ['$all', 'reserved $ prefix'],
        ['has space', 'space'],
        ['x'.repeat(201), 'too long'],
      ])('refuses stream name %j (%s) with a clear error, writing nothing', async (bad) => {
        const err = await store.append(bad, [event()], { expectedRevision: 'any' }).catch((e) => e);
        expect(err).toBeInstanceOf(InvalidAppendError);
        expect(err.field).toBe('streamId');
        expect(err.message).toMatch(/streamId must match/);
      });

      it.each([['incidentRaised'], [''], ['Incident Raised'], ['$metadata']])('refuses event type %j', async (type) => {
        const err = await store.append(stream(), [{ ...event(), type }], { expectedRevision: 'any' }).catch((e) => e);
        expect(err).toBeInstanceOf(InvalidAppendError);
        expect(err.field).toBe('events[0].type');
      });

      it('refuses an empty append, a non-uuid id, a non-object payload and an oversized one', async () => {
        const s = stream();
        const attempts: Array<[EventToAppend[], string]> = [
          [[], 'events'],
          [[{ ...event(), id: 'not-a-uuid' }], 'events[0].id'],
          [[{ ...event(), data: [] as unknown as Record<string, unknown> }], 'events[0].data'],
          [[event(), { ...event(), data: { big: 'y'.repeat(1_200_000) } }], 'events[1]'],
        ];
        for (const [events, field] of attempts) {
          const err = await store.append(s, events, { expectedRevision: 'any' }).catch((e) => e);
          expect(err).toBeInstanceOf(InvalidAppendError);
          expect(err.field).toBe(field);
        }
        await expect(read(store.readStream(s))).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('subscribeToAll', () => {
      const take = async (it: AsyncIterator<RecordedEvent>, n: number, mine: (e: RecordedEvent) => boolean) => {
        const out: RecordedEvent[] = [];
        while (out.length < n) {
          const { value, done } = await it.next();
          if (done) break;
          if (mine(value)) out.push(value);
        }
        return out;
      };

      it('catches up, follows live appends, and resumes from a saved position with no loss and no repeat', async () => {
        const s = stream();
        const mine = (e: RecordedEvent) => e.streamId === s;
        const start = await store.headPosition();
        await store.append(s, [event(), event('IncidentAssigned')], { expectedRevision: 'no_stream' });
        const sub = store.subscribeToAll({ after: start });
        const it = sub[Symbol.asyncIterator]();
        const caughtUp = await take(it, 2, mine);
        expect(caughtUp.map((e) => e.revision)).toEqual([0n, 1n]);

        const live = take(it, 2, mine);
        await store.append(s, [event('IncidentResponded')], { expectedRevision: 1n });
        await store.append(s, [event('IncidentResolved')], { expectedRevision: 2n });
        const liveEvents = await live;
        expect(liveEvents.map((e) => e.type)).toEqual(['IncidentResponded', 'IncidentResolved']);
        const checkpoint = liveEvents[0]!.position; // pretend we crashed after saving the first live event
        await sub.close();
        expect((await it.next()).done).toBe(true);

        await store.append(s, [event('IncidentClosed')], { expectedRevision: 3n });
        const resumed = store.subscribeToAll({ after: checkpoint });
        const again = await take(resumed[Symbol.asyncIterator](), 2, mine);
        expect(again.map((e) => e.type)).toEqual(['IncidentResolved', 'IncidentClosed']);
        await resumed.close();
      });

      it('delivers every event exactly once while many writers append', async () => {
        const streams = Array.from({ length: 10 }, () => stream());
        const mine = new Set(streams);
        const head = await store.headPosition();
        const sub = store.subscribeToAll({ after: head });
        const received = take(sub[Symbol.asyncIterator](), 200, (e) => mine.has(e.streamId));
        await Promise.all(
          streams.map(async (s) => {
            for (let i = 0; i < 20; i++) await store.append(s, [event('IncidentAssigned', { i })], { expectedRevision: 'any' });
          }),
        );
        const got = await received;
        await sub.close();
        expect(got).toHaveLength(200);
        expect(new Set(got.map((e) => e.id)).size).toBe(200);
        for (let i = 1; i < got.length; i++) expect(got[i]!.position > got[i - 1]!.position).toBe(true);
      });
    });
  });
}
