export * from './assessments.ts';
export * from './core.ts';
export * from './grids.ts';
export * from './people.ts';
