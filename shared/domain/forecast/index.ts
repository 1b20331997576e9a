export * from './history';
export * from './model';
export * from './predict';
export * from './quarters';
export * from './serving';
export * from './slots';
