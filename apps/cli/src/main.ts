import { loadConfig } from '@itsm/config';
import { runCli } from './cli';

runCli(process.argv.slice(2), { config: loadConfig(), stdout: process.stdout, stderr: process.stderr }).then(
  (code) => {
    process.exitCode = code; // not process.exit(): a piped stdout must drain first
  },
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
