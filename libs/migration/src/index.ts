export * from './servicenow/servicenow-row';
export * from './servicenow/incident-translator';
export * from './servicenow/servicenow-importer';
export * from './servicenow/made-sla-report';
