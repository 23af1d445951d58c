import type { AccountStatus, LeaveReason, PersonSort } from '@lianxin/contracts';

export const helperKindOptions = ['志愿者', '积极分子', '非党干部'].map((k) => ({ value: k, label: k }));
export const accountLabels: Record<AccountStatus, string> = { none: '未开通', active: '已开通', never_logged_in: '从未登录', disabled: '已停用' };
export const accountColors: Record<AccountStatus, string> = { none: 'default', active: 'green', never_logged_in: 'gold', disabled: 'red' };
export const leaveLabels: Record<LeaveReason, string> = { died: '去世', transferred_out: '迁出', removed: '除名' };
export const sortLabels: Record<PersonSort, string> = { name: '姓名（拼音）', age: '年龄', memberSince: '入党时间', load: '联系户数' };
export const sexLabels = { M: '男', F: '女' } as const;
