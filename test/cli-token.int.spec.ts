import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import jwt from 'jsonwebtoken';
import { loadConfig } from '@itsm/config';
import { runCli } from '../apps/cli/src/cli';

/** `itsm token`: a token lives at most ITSM_TOKEN_MAX_TTL (default 30 days); --ttl past it is a usage error. */
const dir = mkdtempSync(join(tmpdir(), 'itsm-cli-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function token(env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _e, done) => (append(String(chunk)), done()) });
  const config = { ...loadConfig({ ITSM_JWT_SECRET: 'cli-secret-at-least-16-chars', ...env }), dataDir: dir };
  const code = await runCli(['token', '--sub', 'alice', '--roles', 'operator', '--tenants', 'CoL', ...argv], {
    config,
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
  });
  return { code, stdout, stderr, claims: () => jwt.decode(stdout.trim()) as jwt.JwtPayload };
}

describe('itsm token --ttl', () => {
  it('mints with the lifetime asked, up to the maximum', async () => {
    const eight = await token({});
    expect(eight.code).toBe(0);
    expect(eight.claims().exp! - eight.claims().iat!).toBe(8 * 3600);
    const month = await token({}, '--ttl', '30d');
    expect(month.claims().exp! - month.claims().iat!).toBe(30 * 86_400);
  });

  it('refuses a lifetime over ITSM_TOKEN_MAX_TTL, or one it cannot read, with exit code 2', async () => {
    const year = await token({}, '--ttl', '365d');
    expect(year.code).toBe(2);
    expect(year.stdout).toBe('');
    expect(year.stderr).toMatch(/--ttl: .*at most 30 days/);
    const capped = await token({ ITSM_TOKEN_MAX_TTL: '1h' }, '--ttl', '8h');
    expect(capped.code).toBe(2);
    expect(capped.stderr).toMatch(/at most 1 hour\b/);
    expect((await token({ ITSM_TOKEN_MAX_TTL: '1h' }, '--ttl', '30m')).code).toBe(0);
    expect((await token({}, '--ttl', 'forever')).code).toBe(2);
  });
});
