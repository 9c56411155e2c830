import { SingleBar } from 'cli-progress';

/** A progress bar on stderr for long runs (drawn only on a terminal, so logs and pipes stay clean). */
export function progressBar(label: string, total: number, unit = 'events') {
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {rate}/s | eta {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
  });
  const started = Date.now();
  bar.start(Math.max(total, 1), 0, { rate: 0 });
  return {
    update(value: number) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(Math.min(value, Math.max(total, 1)), { rate: seconds > 0 ? Math.round(value / seconds) : 0 });
    },
    stop() {
      bar.stop();
      return (Date.now() - started) / 1000;
    },
  };
}
