// Jest globalSetup: says, before any test runs, which suites will be skipped on this machine and
// why, so a green run never hides an adapter that was not tested.
const { existsSync } = require('node:fs');

module.exports = async () => {
  const lines = [];
  if (!process.env.KURRENTDB_CONNECTION_STRING) lines.push('SKIPPED: KurrentDB contract suite (set KURRENTDB_CONNECTION_STRING to run it against a server)');
  if (!process.env.MONGODB_URI) lines.push('SKIPPED: MongoDB read-store contract suite (set MONGODB_URI to run it against a replica set)');
  if (!process.env.KURRENTDB_CONNECTION_STRING && !process.env.MONGODB_URI)
    lines.push('SKIPPED: the API end-to-end suite on servers (test/servers.e2e.spec.ts; set either variable)');
  if (!existsSync('/usr/bin/chromium') && process.getuid?.() !== 0)
    lines.push('SKIPPED: dashboard browser test (no /usr/bin/chromium, and not root to apt-get install it)');
  for (const line of lines) process.stdout.write(`\n${line}\n`);
};
