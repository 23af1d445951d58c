import type { Grant } from '../auth/scope.ts';
import { canReadPeople, canUpdateOrg, coverageRoots, orgReadRoots, registryRoots, within } from '../auth/scope.ts';

/** Path prefixes the caller may read; every orgs query is restricted to them (outside → 404, existence is private). */
export function readableRoots(grants: Grant[]): string[] {
  return orgReadRoots(grants);
}

export function orgAbilities(grants: Grant[], path: string) {
  return {
    read: true,
    readPeople: canReadPeople(grants, path),
    update: canUpdateOrg(grants, path),
    readRegistry: within(path, registryRoots(grants, 'read')),
    writeRegistry: within(path, registryRoots(grants, 'write')),
    readCoverage: within(path, coverageRoots(grants)),
  };
}
