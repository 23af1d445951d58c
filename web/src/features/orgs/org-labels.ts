import type { OrgLevel, Role } from '@lianxin/contracts';

export const orgLevelLabels: Record<OrgLevel, string> = {
  zone: '示范区',
  town: '镇街',
  village: '村社区',
  grid: '网格',
  department: '部门',
  office: '办公室',
  unit: '单位',
};

/** A role as its holder would name their post (the org it is bound to is shown beside it). */
export const roleLabels: Record<Role, string> = {
  member: '党员',
  secretary: '支部书记',
  town: '镇（街道）党（工）委',
  office: '连心办',
  department: '职能部门',
  leader: '领导（只读）',
  admin: '系统管理员',
};
