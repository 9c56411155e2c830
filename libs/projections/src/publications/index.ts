export * from './summary-figures';
export * from './figures-digest';
export * from './figure-drift';
export * from './published-document';
