import type { Ability } from '@lianxin/contracts';

/**
 * The settings hub (/settings): one card per screen, shown with its ability. Another screen is one more entry here
 * (and its route in the router).
 */
export interface SettingsCard {
  to: string;
  title: string;
  description: string;
  ability: Ability;
}

export const settingsCards: SettingsCard[] = [
  { to: '/settings/target-load', title: '目标联户数', description: '每名党员应联系的户数（示范区、镇、村逐级设置，村的设置优先）', ability: 'settings.manage' },
  { to: '/settings/tags', title: '困难群体标签', description: '低保、特困等标签及其常见写法（别名）；停用不再使用的标签', ability: 'settings.manage' },
  { to: '/settings/retention', title: '导入保留期', description: '导入记录和错误明细（含上传的个人信息）保存多少天后删除', ability: 'settings.manage' },
  { to: '/settings/visit-rules', title: '走访规则', description: '各类走访对象多久至少走访几次（示范区、镇、村逐级设置，村的设置优先）', ability: 'visits.rules' },
  // 登录安全 is the office's and the administrator's, the roles that review access (audit.read).
  { to: '/settings/security', title: '登录安全', description: '密码、两步验证等登录安全要求', ability: 'audit.read' },
];
