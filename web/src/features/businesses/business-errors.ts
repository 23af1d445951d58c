import { isApiError } from '../../api/api-client.ts';
import { fieldIssues } from '../households/api-errors.ts';

const fieldLabels: Record<string, string> = {
  kind: '类型', orgCode: '所属村（社区）', gridCode: '网格', parentId: '所属企业', name: '名称', address: '地址',
  creditCode: '统一社会信用代码', contactName: '联系人', contactPhone: '联系电话', employees: '从业人数',
};

export interface SaveError {
  title: string;
  lines: string[];
  /** An already-registered business with the same credit code, when the caller may open it. */
  existingId?: string;
  /** Form fields to mark, with their messages. */
  fields: { name: string; errors: string[] }[];
}

/**
 * The server's answer to a create/update as something a secretary can act on: validation issues on their fields (the
 * GB 32100 check character is verified by the server only), a 409 for a credit code held by another business.
 */
export function describeSaveError(e: unknown): SaveError {
  const issues = fieldIssues(e).filter((i) => i.path.length > 0);
  if (issues.length > 0) {
    return {
      title: '请按提示修改后再保存',
      lines: issues.map((i) => `${fieldLabels[String(i.path[0])] ?? '填写内容'}：${i.message}`),
      fields: issues.map((i) => ({ name: String(i.path[0]), errors: [i.message] })),
    };
  }
  if (isApiError(e, 'conflict')) {
    const d = Array.isArray(e.details) ? (e.details[0] as { businessId?: unknown } | undefined) : undefined;
    const existingId = typeof d?.businessId === 'string' ? d.businessId : undefined;
    return {
      title: '该统一社会信用代码已登记',
      lines: [existingId ? '可打开已登记的企业（商户）查看。' : '该代码已登记在其他村（社区），请联系上级核实。'],
      existingId,
      fields: [{ name: 'creditCode', errors: ['该统一社会信用代码已经登记过，不能重复登记'] }],
    };
  }
  return { title: isApiError(e, 'forbidden') ? '没有权限' : '保存失败', lines: [e instanceof Error ? e.message : '请稍后再试'], fields: [] };
}
