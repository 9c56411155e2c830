// One runner for the whole repo. @swc/jest transpiles (fast on 2 cores); `npm run typecheck`
// does the type checking before jest runs. Test names say their scope: *.unit / *.int / *.e2e.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'commonjs' },
  },
];
const moduleNameMapper = {
  '^@itsm/domain$': '<rootDir>/libs/domain/src',
  '^@itsm/event-store$': '<rootDir>/libs/event-store/src',
  '^@itsm/read-store$': '<rootDir>/libs/read-store/src',
  '^@itsm/event-store-sqlite$': '<rootDir>/libs/event-store-sqlite/src',
  '^@itsm/event-store-kurrentdb$': '<rootDir>/libs/event-store-kurrentdb/src',
  '^@itsm/event-audit$': '<rootDir>/libs/event-audit/src',
  '^@itsm/event-transfer$': '<rootDir>/libs/event-transfer/src',
  '^@itsm/read-store-sqlite$': '<rootDir>/libs/read-store-sqlite/src',
  '^@itsm/read-store-mongodb$': '<rootDir>/libs/read-store-mongodb/src',
  '^@itsm/store-adapters$': '<rootDir>/libs/store-adapters/src',
  '^@itsm/projections$': '<rootDir>/libs/projections/src',
  '^@itsm/report-rendering$': '<rootDir>/libs/report-rendering/src',
  '^@itsm/config$': '<rootDir>/libs/config/src',
  '^@itsm/application$': '<rootDir>/libs/application/src',
  '^@itsm/simulation$': '<rootDir>/libs/simulation/src',
  '^@itsm/migration$': '<rootDir>/libs/migration/src',
  '^@itsm/auth$': '<rootDir>/libs/auth/src',
  '^@itsm/test-kit$': '<rootDir>/libs/test-kit/src',
};
const project = (name, match, setupFiles = [], testPathIgnorePatterns = ['/node_modules/']) => ({
  displayName: name,
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
  testMatch: [`<rootDir>/{apps,libs,test}/**/*.${match}.spec.ts`],
  setupFiles,
  testPathIgnorePatterns,
});
// The integration and end-to-end suites run twice: on the default dense positions, and on the
// embedded store made server-shaped (ITSM_SQLITE_POSITIONS=sparse: positions with gaps, reads
// from a non-event position refused), so no code can lean on what only SQLite forgives. The
// figures' oracle suite and the e2e suites about input, isolation and the browser read no positions
// and run once, as do the checks that only read the repository's files (docker-compose, position
// arithmetic); the short soak (an e2e: it starts the built API) runs on sparse positions only.
const sparse = ['<rootDir>/test/support/sparse-positions.js'];
module.exports = {
  projects: [
    project('unit', 'unit'),
    project('int', 'int'),
    project('e2e', 'e2e', [], ['/node_modules/', 'soak']),
    project('int:sparse', 'int', sparse, [
      '/node_modules/',
      'reports-oracle',
      'reports-reconciliation',
      'summary-documents',
      'group-reports',
      'report-replays-worker',
      'docker-compose',
      'log-position-arithmetic',
    ]),
    project('e2e:sparse', 'e2e', sparse, [
      '/node_modules/',
      'fuzz',
      'hostile-input',
      'tenant-isolation',
      'contention',
      'dashboard',
      'business-time',
      'summary-documents',
      'openapi',
    ]),
  ],
  testTimeout: 30000,
  // Two workers on two cores: suites spend much of their time waiting on fsync and sockets.
  maxWorkers: 2,
  globalSetup: '<rootDir>/test/support/announce-skips.js',
};
