import type { Grant } from '../auth/scope.ts';
import { registryRoots } from '../auth/scope.ts';
import { errors } from '../../errors.ts';
import type { JobRow } from './imports.repo.ts';

/** Importing households is registering them: the registry write roles (office, town, secretary), inside their roots. */
export function assertCanImport(grants: Grant[]): string[] {
  const roots = registryRoots(grants, 'write');
  if (!roots.length) throw errors.forbidden('当前角色无权导入登记信息（住户、企业商户、党员、联户关系）');
  return roots;
}

/** A job (and its error list, which holds the uploaded rows) is visible to its creator and the project office only. */
export function canSeeJob(job: JobRow, accountId: string, grants: Grant[]): boolean {
  return job.created_by === accountId || grants.some((g) => g.role === 'office');
}

/**
 * 导入保留期 is zone-wide configuration: office and admin change it; a town account (settings ability) reads it; others 403.
 * Returns whether the caller may change it.
 */
export function retentionEditor(grants: Grant[]): boolean {
  if (!grants.some((g) => g.role === 'office' || g.role === 'admin' || g.role === 'town')) throw errors.forbidden('当前角色无权查看导入保留期设置');
  return grants.some((g) => g.role === 'office' || g.role === 'admin');
}
