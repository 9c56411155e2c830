export * from './prng';
export * from './demo-catalogue';
export * from './history-generator';
export * from './direct-loader';
