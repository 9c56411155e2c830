import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@itsm/event-store-sqlite';
import type { LogPosition } from '@itsm/event-store';
import { ReportReplays } from '@itsm/projections';
import { median, peakRssMb, round, timed } from './measure';

/**
 * Report replays (asOfPosition) on the log: once the snapshots are brought up to the head (a
 * one-off, in the worker), a replay as of a position between two snapshots (applies the tail), and
 * one as of a position a snapshot was kept at (a published figure asked again). Each beside its
 * limit, a bare readAll of the log up to that position, interleaved; three runs, medians.
 */
export async function benchReplay(logFile: string, runs = 3) {
  const store = new SqliteEventStore({ filename: logFile });
  const work = mkdtempSync(join(tmpdir(), 'itsm-bench-replay-'));
  const snapshotDir = join(work, 'snapshots');
  try {
    const events = await store.countEventsAfter(undefined, Number.MAX_SAFE_INTEGER);
    /** The position of the n-th event (counted: positions are opaque), with the time a bare readAll to it took. */
    const bareTo = async (n: number) => {
      let seen = 0;
      let position: LogPosition | undefined;
      const t = await timed(async () => {
        for await (const e of store.readAll()) {
          position = e.position;
          if (++seen >= n) break;
        }
      });
      return { position: position!, ms: t.ms };
    };
    const replays = () => new ReportReplays(store, { snapshotDir, scratchDir: work, onNotice: () => undefined });
    const first = replays();
    const prepare = await timed(() => first.prepare());
    await first.close();

    const mid: Array<{ replayMs: number; bareMs: number; from: string | null | undefined }> = [];
    const kept: Array<{ replayMs: number; bareMs: number; builtIn: string }> = [];
    for (let run = 0; run < runs; run++) {
      // Between two snapshots (every 100,000 events): about 60,000 events of tail, a different position each run.
      const n = Math.floor(events / 2) + 60_000 + run * 1_000;
      const bare = await bareTo(n);
      const r = replays();
      const t = await timed(async () => (await r.at(bare.position)).from);
      mid.push({ replayMs: t.ms, bareMs: bare.ms, from: t.value });
      await r.close();
      // The same position asked again by another API process (its cache empty): the snapshot kept there.
      const again = replays();
      const k = await timed(async () => (await again.at(bare.position)).builtIn);
      const bareAgain = await bareTo(n);
      kept.push({ replayMs: k.ms, bareMs: bareAgain.ms, builtIn: k.value });
      await again.close();
    }
    return {
      events,
      prepareSeconds: round(prepare.ms / 1000, 1),
      betweenSnapshots: {
        medianSeconds: round(median(mid.map((m) => m.replayMs)) / 1000, 2),
        rangeSeconds: [round(Math.min(...mid.map((m) => m.replayMs)) / 1000, 2), round(Math.max(...mid.map((m) => m.replayMs)) / 1000, 2)],
        bareReadAllSeconds: round(median(mid.map((m) => m.bareMs)) / 1000, 2),
        startedFrom: mid[0]?.from,
      },
      atKeptSnapshot: {
        medianSeconds: round(median(kept.map((m) => m.replayMs)) / 1000, 3),
        rangeSeconds: [round(Math.min(...kept.map((m) => m.replayMs)) / 1000, 3), round(Math.max(...kept.map((m) => m.replayMs)) / 1000, 3)],
        bareReadAllSeconds: round(median(kept.map((m) => m.bareMs)) / 1000, 2),
        builtIn: kept[0]?.builtIn,
      },
      peakRssMb: peakRssMb(),
    };
  } finally {
    await store.close();
    rmSync(work, { recursive: true, force: true });
  }
}
