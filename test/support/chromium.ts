import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium for the browser tests: installed here when missing and this is root with
 * apt-get (the build machines and CI). Elsewhere the test says SKIPPED and why.
 */
export function ensureChromium(): { path: string } | { skipped: string } {
  if (existsSync(CHROMIUM)) return { path: CHROMIUM };
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get'))
    return { skipped: `${CHROMIUM} is missing and apt-get cannot install it here (not root): apt-get install chromium` };
  try {
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'ignore', timeout: 9 * 60_000 });
  } catch (error) {
    return { skipped: `installing chromium failed: ${(error as Error).message}` };
  }
  return existsSync(CHROMIUM) ? { path: CHROMIUM } : { skipped: 'chromium did not install' };
}

/** The flags a sandboxed, offline machine needs (see the machine notes): no sandbox as root, no background networking. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
