/**
 * The dependency rule of ARCHITECTURE.md, checked by `npm run depcruise` (part of `npm test`):
 * a pure domain, libraries that never reach into apps, application code that reaches stores only
 * through the ports, and no cycles.
 */
/** The adapter libraries, and the drivers only they may load. */
const ADAPTERS = 'event-store-sqlite|event-store-kurrentdb|read-store-sqlite|read-store-mongodb';
const DRIVERS = 'better-sqlite3|mongodb|@kurrent/kurrentdb-client';

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
      comment:
        'The command paths use the EventStore/ReadStore ports; only the adapter libraries touch the drivers ' +
        '(better-sqlite3, the KurrentDB client, mongodb). The ports, the audit chain and the transfer included.',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: `^libs/(${ADAPTERS})/` },
      to: { path: `^node_modules/(${DRIVERS})/` },
    },
    {
      name: 'adapters-only-through-the-factory',
      comment:
        'Outside the adapter libraries themselves, only @itsm/store-adapters (the composition, which loads the ' +
        'chosen adapter lazily) imports an adapter library; everything else depends on the ports. Tests may ' +
        'open an adapter directly.',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: [`^libs/(${ADAPTERS}|store-adapters)/`, '/test/', '\\.spec\\.ts$'] },
      to: { path: `^libs/(${ADAPTERS})/` },
    },
    {
      name: 'ports-load-no-adapter',
      comment:
        'The port libraries (@itsm/event-store, @itsm/read-store) and the libraries over the port ' +
        '(@itsm/event-audit, @itsm/event-transfer) load no adapter, no driver and not the factory: anything may depend on them.',
      severity: 'error',
      from: { path: '^libs/(event-store|read-store|event-audit|event-transfer)/src/' },
      to: { path: [`^libs/(${ADAPTERS}|store-adapters)/`, `^node_modules/(${DRIVERS})/`] },
    },
    {
      name: 'projections-never-import-renderers',
      comment:
        'libs/projections composes the summaries (their data); @itsm/report-rendering lays them out as ' +
        'Markdown, HTML, PDF, XLSX and SVG. Rendering reads projections, never the other way round.',
      severity: 'error',
      from: { path: '^libs/projections/src/' },
      to: { path: ['^libs/report-rendering/', '^node_modules/(marked|sanitize-html|pdfkit|svg-to-pdfkit|exceljs|jszip)/'] },
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
