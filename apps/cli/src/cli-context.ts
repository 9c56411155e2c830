import type { Writable } from 'node:stream';
import type { AppConfig } from '@itsm/config';

/** What a command may use: the configuration and where to write. Tests pass their own. */
export interface CliContext {
  config: AppConfig;
  stdout: Writable;
  stderr: Writable;
}

/** A command's answer: an exit code (0 done, 1 found a problem, 2 bad usage). */
export type CliCommand = (args: string[], ctx: CliContext) => Promise<number>;

export const printJson = (ctx: CliContext, value: unknown) => ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
