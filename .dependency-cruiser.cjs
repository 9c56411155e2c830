/**
 * The dependency rule of ARCHITECTURE.md, checked by `npm run depcruise` (part of `npm test`):
 * a pure domain, libraries that never reach into apps, application code that reaches stores only
 * through the ports, and no cycles.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain imports nothing but its own files, luxon and date-holidays (no Nest, no I/O, no adapter).',
      severity: 'error',
      from: { path: '^libs/domain/src' },
      to: { pathNot: ['^libs/domain/src', '^node_modules/(luxon|date-holidays)/', '^node_modules/@types/luxon/'] },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'application-reaches-stores-through-ports',
      comment: 'The command paths use the EventStore/ReadStore ports; only the adapters touch the drivers.',
      severity: 'error',
      from: { path: '^(libs/(application|domain|projections|simulation|migration|auth|config)|apps)/' },
      to: { path: '^node_modules/(better-sqlite3|mongodb|@kurrent/kurrentdb-client)/' },
    },
    {
      name: 'adapters-only-in-their-folders',
      comment: 'Outside the store libraries, nothing imports an adapter file directly: only the lib entry points.',
      severity: 'error',
      from: { path: '^(libs/(application|domain|projections|simulation|migration)|apps)/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^libs/(event-store|read-store)/src/(sqlite|kurrentdb|mongodb)/' },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      from: { path: '^(libs|apps)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
