export * from './roles';
export * from './token.service';
export * from './jwt-secret';
