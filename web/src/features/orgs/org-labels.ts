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

export const roleLabels: Record<Role, string> = {
  member: '党员',
  secretary: '支部书记',
  town: '镇街',
  office: '办公室',
  department: '部门',
  leader: '领导',
  admin: '管理员',
};
