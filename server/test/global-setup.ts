import type { TestProject } from 'vitest/node';
import { startTestDbServer } from './db-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    pgEngine: 'embedded' | 'url';
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestDbServer();
  project.provide('pgAdminUrl', server.adminUrl);
  project.provide('pgTemplate', server.template);
  project.provide('pgEngine', server.engine);
  return () => server.stop();
}
