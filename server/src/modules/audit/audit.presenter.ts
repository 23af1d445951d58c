import type { AuditEvent, AuditGroup } from '@lianxin/contracts';
import { maskIdNumber, maskPhone } from '../../lib/id-number.ts';
import type { EventRow, ObjectName } from './audit.repo.ts';

/**
 * Every action the server records, in the words the office uses. A new `appendAudit` action gets its line here
 * (audit.test.ts checks every action written in server/src has one); an unknown action still shows, as its own name.
 */
export const ACTION_LABELS: Record<string, string> = {
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.logout': '退出登录',
  'auth.logout_everywhere': '退出所有设备',
  'account.create': '创建账号',
  'account.disable': '停用账号',
  'audit.export': '导出审计记录',
  'household.create': '登记住户',
  'household.update': '修改住户',
  'household.remove': '注销住户',
  'household.import': '导入住户',
  'household.export': '导出居民名单',
  'resident.create': '添加居民',
  'resident.update': '修改居民',
  'resident.leave': '居民迁出',
  'resident.reveal': '查看居民完整号码',
  'business.import': '导入企业商户',
  'business.create': '登记企业商户',
  'business.update': '修改企业商户',
  'business.remove': '注销企业商户',
  'business.reveal': '查看企业联系电话',
  'business.export': '导出企业商户名单',
  'link.create': '建立联户',
  'link.end': '结束联户',
  'link.undo': '撤销联户',
  'link.transfer': '联户移交',
  'link.batch': '批量联户',
  'link.import': '导入联户',
  'link.export': '导出联户名册',
  'person.import': '导入党员',
  'import.errors_download': '下载导入错误表',
  'contact_cards.issue': '生成联系卡',
  'org.rename': '组织更名',
  'org.move': '组织调整隶属',
  'org.merge': '组织合并',
  'account.create_admin': '创建或重置管理员（命令行）',
  'account.enable': '启用账号',
  'account.update': '修改账号',
  'account.unlock': '解除登录限制',
  'account.reset_password': '重置密码',
  'account.reset_print': '重置密码并打印通知单',
  'account.end_sessions': '结束账号全部会话',
  'account.bulk_open': '批量开通党员账号',
  'account.change_password': '修改本人密码',
  'account.totp_setup': '设置动态验证码',
  'account.totp_enable': '启用动态验证码',
  'account.totp_disable': '关闭动态验证码',
  'auth.logout_others': '退出其他设备',
  'auth.password_check_failed': '密码核验失败',
  'auth.recovery_code_used': '使用恢复码登录',
  'person.create': '新增党员（志愿者）',
  'person.update': '修改党员（志愿者）',
  'person.transfer': '党员转出到其他支部',
  'person.leave': '党员去世、迁出或除名',
  'person.reveal': '查看党员手机号',
  'person.export': '导出党员名册',
  'link.end_all': '结束全部联户',
  'grid.create': '新建网格',
  'grid.leader': '设置网格长',
  'grid.merge': '合并网格',
  'grid.retire': '撤销网格',
  'grid.assign': '划入网格',
  'campaign.create': '发起集中走访',
  'campaign.close': '结束集中走访',
  'campaign.export_pending': '导出未走访名单',
  'tag.create': '新增标签',
  'tag.update': '修改标签',
  'tag.retire': '停用标签',
  'tag.delete': '删除标签',
  'settings.update': '修改设置',
  'settings.target_load': '修改目标联户数',
  'settings.import_retention': '修改导入保留期',
  'visit_rule.set': '设置走访规则',
  'visit_rule.delete': '删除走访规则',
  'system.backup_requested': '发起备份',
  'system.backup_written': '备份完成',
  'visit.create': '记录走访',
  'visit.proxy_create': '代录走访',
  'visit.update': '更正走访',
  'visit.photo_add': '添加走访照片',
  'visit.photo_remove': '删除走访照片',
  'item_category.update': '修改反映事项类别',
  'handbook.view': '查看党员工作手册',
  'handbook.print': '打印党员工作手册',
  'notification.read': '提醒标为已读',
  'notification.read_all': '提醒全部标为已读',
  'contact_group.update': '登记或修改一群',
  'contact_group.qr': '上传一群二维码',
  'contact_group.delete': '删除一群',
};

export const GROUP_LABELS: Record<AuditGroup, string> = {
  reveal: '查看敏感信息',
  full_export: '全量导出',
  login: '登录',
  account: '账号变更',
};

/**
 * A group as conditions the (action, at) index serves: reveals and exports are the catalogued actions of that verb,
 * so a new one joins its group by getting its label; logins and account changes are prefixes.
 */
export function groupFilter(g: AuditGroup): { actions?: string[]; actionPrefixes?: string[]; fullOnly?: boolean } {
  const verb = (v: string) => Object.keys(ACTION_LABELS).filter((a) => a.endsWith(`.${v}`));
  switch (g) {
    case 'reveal': return { actions: verb('reveal') };
    case 'full_export': return { actions: verb('export'), fullOnly: true };
    case 'login': return { actionPrefixes: ['auth.'] };
    case 'account': return { actionPrefixes: ['account.'] };
  }
}

export const TYPE_LABELS: Record<string, string> = {
  household: '住户', resident: '居民', business: '企业商户', account: '账号', org: '组织', link: '联户', person: '人员',
  import_job: '导入任务', audit: '审计记录', visit_rule: '走访规则', visit: '走访', notification: '提醒',
};

/**
 * Objects whose before/after an admin must not read: registry and people records carry personal data, and the admin
 * (configuration) sees none (scope.ts). An allow list, so a new kind of object stays hidden until someone decides.
 */
const ADMIN_READABLE_TYPES: ReadonlySet<string> = new Set(['account', 'account_batch', 'org', 'audit', 'setting', 'tag', 'backup', 'backup_job', 'visit_rule']);

export function bodiesHiddenFor(entityType: string | null, registryBodiesHidden: boolean): boolean {
  return registryBodiesHidden && !(entityType && ADMIN_READABLE_TYPES.has(entityType));
}

// An 18-character ID number (or the old 15-digit one) and a mobile number, not inside a longer run of digits.
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d{9})(?!\d)/g;

/** Any string inside that looks like an ID number or phone is masked: the audit should never hold one, and if it does it does not leave. */
export function maskPersonal(v: unknown): unknown {
  if (typeof v === 'string') return v.replace(ID_NUMBER, (m) => maskIdNumber(m)).replace(MOBILE, (m) => maskPhone(m));
  if (Array.isArray(v)) return v.map(maskPersonal);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskPersonal(x)]));
  return v;
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

function objectLink(type: string, id: string, name: ObjectName | undefined): string | null {
  switch (type) {
    case 'household': return name ? `/households/${id}` : null;
    case 'resident': return name?.ref ? `/households/${name.ref}` : null;
    case 'business': return name ? `/businesses/${id}` : null;
    case 'org': return name?.ref ? `/orgs/${name.ref}` : null;
    default: return null;
  }
}

const REGISTRY_TYPES: ReadonlySet<string> = new Set(['household', 'resident', 'business', 'person', 'link']);

export function presentEvent(r: EventRow, names: Record<string, Map<string, ObjectName>>, registryBodiesHidden: boolean): AuditEvent {
  const hidden = bodiesHiddenFor(r.entity_type, registryBodiesHidden);
  const name = r.entity_type && r.entity_id ? names[r.entity_type]?.get(r.entity_id) : undefined;
  // The admin sees that a registry object was touched, not whose: its name is personal data too.
  const nameVisible = !(registryBodiesHidden && r.entity_type && REGISTRY_TYPES.has(r.entity_type));
  const after = r.after as Record<string, unknown> | null;
  const reason = !hidden && after && typeof after.reason === 'string' ? (maskPersonal(after.reason) as string) : null;
  return {
    id: String(r.id),
    at: r.at,
    action: r.action,
    actionLabel: actionLabel(r.action),
    // A member's username is often their mobile number: masked for the admin, who reads no personal data.
    actor: r.actor_username ? { id: r.actor_account_id, username: registryBodiesHidden ? (maskPersonal(r.actor_username) as string) : r.actor_username } : null,
    ip: r.ip,
    object: r.entity_type ? {
      type: r.entity_type,
      typeLabel: TYPE_LABELS[r.entity_type] ?? r.entity_type,
      id: r.entity_id,
      label: nameVisible ? (registryBodiesHidden ? (maskPersonal(name?.label ?? null) as string | null) : (name?.label ?? null)) : null,
      link: nameVisible && r.entity_id ? objectLink(r.entity_type, r.entity_id, name) : null,
    } : null,
    reason,
    before: hidden ? null : maskPersonal(r.before ?? null),
    after: hidden ? null : maskPersonal(r.after ?? null),
    bodiesHidden: hidden && (r.before != null || r.after != null),
  };
}
