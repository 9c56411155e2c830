import { dataset } from './dataset';
import { benchRebuild } from './rebuild.bench';

/** For `node --cpu-prof dist/bench/profile.js <events>`: the rebuild alone, to find its bottlenecks. */
async function main() {
  const events = Number(process.argv[2] ?? 100_000);
  const log = await dataset(events);
  console.log(JSON.stringify(await benchRebuild(log, `${log}.read-models.sqlite`), null, 2));
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
