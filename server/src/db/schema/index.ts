export * from './orgs.ts';
export * from './people.ts';
export * from './accounts.ts';
export * from './audit.ts';
export * from './households.ts';
export * from './links.ts';
export * from './imports.ts';
export * from './cards.ts';
