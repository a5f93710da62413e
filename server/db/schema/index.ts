export * from './assessments.ts';
export * from './core.ts';
export * from './grids.ts';
export * from './people.ts';
export * from './venues.ts';
export * from './jobs.ts';
export * from './notices.ts';
export * from './ledgers.ts';
