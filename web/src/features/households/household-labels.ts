import type { awayScopes, relations } from '@lianxin/contracts';

// Values come from contracts/src/constituents.ts; typed against it but copied here so zod stays out of the bundle.
export type Relation = (typeof relations)[number];
export type AwayScope = (typeof awayScopes)[number];

export const relationOptions: readonly Relation[] = ['户主', '配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳', '女婿', '兄弟姐妹', '其他'];

export const awayScopeLabels: Record<AwayScope, string> = { city: '市外省内', province: '省外', abroad: '国外' };
export const awayScopeOptions = (Object.keys(awayScopeLabels) as AwayScope[]).map((value) => ({ value, label: awayScopeLabels[value] }));

export const sexLabels = { M: '男', F: '女' } as const;

export const leaveReasons = ['迁出', '死亡', '其他'] as const;

/** Tags that mean a household needs closer follow-up stand out in red/orange; the rest stay calm. */
const strongTags = new Set(['特困', '重病', '独居老人', '留守儿童']);
export function tagColor(code: string, vulnerable: boolean | undefined): string {
  if (!vulnerable) return 'blue';
  return strongTags.has(code) ? 'red' : 'orange';
}
