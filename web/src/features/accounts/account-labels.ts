import type { AccountStatusFilter, ManagedAccount } from '@lianxin/contracts';

export const statusLabels: Record<AccountStatusFilter, string> = {
  active: '正常',
  disabled: '已停用',
  never_logged_in: '从未登录',
  must_change: '待改密码',
};

/** The tags a row shows: 已停用 outranks the others (a disabled account cannot log in anyway). */
export function statusTags(a: ManagedAccount): { label: string; color: string }[] {
  if (a.disabled) return [{ label: statusLabels.disabled, color: 'red' }];
  const tags: { label: string; color: string }[] = [];
  if (!a.lastLoginAt) tags.push({ label: statusLabels.never_logged_in, color: 'default' });
  if (a.mustChangePassword) tags.push({ label: statusLabels.must_change, color: 'orange' });
  return tags;
}
