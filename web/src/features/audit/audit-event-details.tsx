import { Typography } from 'antd';
import type { AuditEvent } from '@lianxin/contracts';

const FIELD_LABELS: Record<string, string> = {
  field: '字段', reason: '原因', idNumber: '身份证号', phone: '电话', name: '姓名', address: '地址', tags: '标签', full: '完整号码',
  org: '组织', orgCode: '组织', gridCode: '网格', relation: '关系', sex: '性别', birthDate: '出生日期', on: '日期', disabled: '停用',
  households: '户数', residents: '人数', rows: '行数', username: '用户名', asLinkedMember: '联户党员查看',
  code: '编码', role: '角色', roles: '角色', displayName: '显示名称', mustChangePassword: '须修改初始密码',
  revokedSessions: '退出的登录', failures: '连续失败次数', pausedUntil: '暂停登录至', leftReason: '离开原因', leftOn: '离开日期',
  shortName: '简称', aliases: '别名', vulnerable: '困难群体', min: '下限', max: '上限', days: '天数', note: '备注',
  count: '数量', links: '联户关系', to: '转给', written: '写入条数', villages: '村（社区）数', village: '村（社区）', demo: '演示数据',
};

/** Codes the server records as values (why a login failed), in the words the office reads elsewhere. */
const VALUE_LABELS: Record<string, string> = {
  idNumber: '身份证号', phone: '电话', bad_password: '密码错误', unknown_or_disabled: '用户名不存在或账号已停用',
  bad_totp: '动态验证码错误', paused: '登录已暂停',
};

function text(v: unknown): string {
  if (v === undefined) return '—';
  if (v === null) return '空';
  if (v === true) return '是';
  if (v === false) return '否';
  if (typeof v === 'string') return VALUE_LABELS[v] ?? v;
  return JSON.stringify(v);
}

const entries = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : v == null ? {} : { 值: v });

/** Before → after of one event, field by field (changed fields marked); what the caller may not read says so. */
export function AuditEventDetails({ event }: { event: AuditEvent }) {
  if (event.bodiesHidden) {
    return <Typography.Text type="secondary">系统管理员不可查看住户、居民等登记信息的变更内容。</Typography.Text>;
  }
  const before = entries(event.before);
  const after = entries(event.after);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (!keys.length) return <Typography.Text type="secondary">此操作没有记录变更内容。</Typography.Text>;
  const hasBefore = event.before != null;
  return (
    <dl className="lx-audit-diff" style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 12px', margin: 0 }}>
      {keys.map((k) => {
        const changed = hasBefore && JSON.stringify(before[k]) !== JSON.stringify(after[k]);
        return (
          <div key={k} style={{ display: 'contents' }}>
            <dt style={{ color: '#595959' }}>{FIELD_LABELS[k] ?? k}</dt>
            <dd style={{ margin: 0, wordBreak: 'break-all' }}>
              {hasBefore ? (
                <>
                  <span>{text(before[k])}</span>
                  {' → '}
                  <span style={changed ? { fontWeight: 600 } : undefined}>{text(after[k])}</span>
                </>
              ) : (
                text(after[k])
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
