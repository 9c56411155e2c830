import type { benchAppend } from './append.bench';
import type { benchHttp } from './http.bench';
import type { benchImport } from './import.bench';
import type { benchQueries } from './queries.bench';
import type { benchReadAll } from './read-all.bench';
import type { benchRebuild } from './rebuild.bench';
import type { benchReplay } from './replay.bench';
import type { benchSlaTimer } from './sla-timer.bench';

/** What a bench function resolves to: its section's JSON is exactly that (the sections return plain data). */
type Result<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

/** One report query's figures; the queries section holds one per query beside its totals. */
export type QueryFigures = Result<typeof benchQueries>[string];
export interface QueriesResult {
  events: number;
  peakRssMb: number;
  [query: string]: QueryFigures | number;
}

/** The http section: both projector placements' runs, and the API's peak RSS over them. */
export interface HttpResult {
  results: Result<typeof benchHttp>['results'];
  peakRssMb: number;
}

/** Each section's JSON in docs/benchmarks.json, as bench/*.bench.ts return it (run.ts adds the totals of queries and http). */
export interface SectionResults {
  append: Result<typeof benchAppend>;
  'read-all': Result<typeof benchReadAll>;
  rebuild: Result<typeof benchRebuild>;
  replay: Result<typeof benchReplay>;
  queries: QueriesResult;
  http: HttpResult;
  'sla-timer': Result<typeof benchSlaTimer>;
  import: Result<typeof benchImport>;
}
export type Section = keyof SectionResults;

/**
 * docs/benchmarks.json. A run may measure only some sections (--only), keeping the others from the
 * previous file, so a section may be missing or come from an older run that lacked a newer field:
 * render.ts guards those fields.
 */
export interface BenchReport {
  date: string;
  machine: { cpu: string; cores: number; memoryGb: number; os: string; node: string };
  events: number;
  results: Partial<SectionResults>;
}
