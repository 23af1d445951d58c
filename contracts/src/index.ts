export * from './errors.ts';
export * from './orgs.ts';
export * from './auth.ts';
export * from './health.ts';
export * from './constituents.ts';
export * from './links.ts';
export * from './businesses.ts';
export * from './text.ts';
