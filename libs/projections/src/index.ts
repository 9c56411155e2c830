export * from './projection';
export * from './batch-context';
export * from './projector';
export * from './reports/periods';
export * from './reports/ticket-contributions';
export * from './reports/reports.projection';
export * from './reports/report-queries';
export * from './reports/report-replays';
