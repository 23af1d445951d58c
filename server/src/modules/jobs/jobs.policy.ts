import { errors } from '../../errors.ts';
import { abilitiesOf, type Grant } from '../auth/scope.ts';

/** 系统维护 (scheduled jobs, backups) belongs to the system administrator: the `system.admin` ability the web shows it by. */
export function assertSystemAdmin(grants: Grant[]): void {
  if (!abilitiesOf(grants).includes('system.admin')) throw errors.forbidden('只有系统管理员可以查看和执行系统维护');
}
