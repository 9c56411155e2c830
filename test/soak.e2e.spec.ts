import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The short soak of `npm test`, on server-shaped positions (it runs in the `e2e:sparse` project
 * only): 15 s of commands from 6 clients against the built API while the projector process is
 * killed and restarted, with a reporter asking for replays (built in the API's worker threads) and
 * an operator sending year-0100 facts.
 * It asserts what was kept, never how fast: /health's latency goal belongs to `npm run soak`.
 */
const soak = join(__dirname, '..', 'dist', 'bench', 'soak.js');

describe('short soak on sparse positions', () => {
  it('loses and duplicates no acknowledged command; chains verify; read models equal a rebuild', () => {
    if (!existsSync(soak)) throw new Error(`${soak} is missing: npm test builds it (npm run build) before jest`);
    const run = spawnSync(process.execPath, [soak], {
      env: { ...process.env, ITSM_SQLITE_POSITIONS: 'sparse', SOAK_SECONDS: '10', SOAK_CLIENTS: '6', SOAK_SEED: '7', SOAK_MAX_HEALTH_P99_MS: '60000' },
      encoding: 'utf8',
      timeout: 240_000,
    });
    const summary = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
    expect(summary).toMatchObject({ lost: 0, duplicated: 0, serverErrors: {}, chainsVerify: true, readModelsEqualRebuild: true });
    expect(summary.commandsAcknowledged).toBeGreaterThan(100);
    expect(Object.keys(summary.farPastRaisesByStatus)).toEqual(['422']);
    // The reporter's replays were answered, built in a worker thread of the built API, never on its event loop.
    expect(summary.replaysByStatus['200']).toBeGreaterThan(0);
    expect(run.stderr).not.toContain('Report replays run in-process');
    expect(BigInt(summary.readModelsBuiltTo)).toBeGreaterThan(BigInt(summary.events)); // offsets, not counts
    expect(run.status).toBe(0);
  }, 300_000);
});
