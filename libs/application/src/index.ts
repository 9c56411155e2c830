export * from './catalogue-repository';
export * from './sla-policy-repository';
export * from './ticket-service';
export * from './major-incident-registers';
export * from './sla-timer';
export * from './catalogue-commands';
export * from './sla-policy-commands';
