import { queryOptions } from '@tanstack/react-query';
import type { ImportJob } from '@lianxin/contracts';
import { api, uploadFile } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Same limits as the server (server/src/modules/imports/imports.limits.ts); the server still decides. */
export const IMPORT_MAX_BYTES = 100 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 300_000;

/** The households template for the page's org: its villages in the drop-down, a village prefilled in the example row. */
export const householdTemplateUrl = (orgCode: string) => `/api/v1/imports/templates/households.xlsx?org=${encodeURIComponent(orgCode)}`;
export const errorsUrl = (id: string) => `/api/v1/imports/${encodeURIComponent(id)}/errors.xlsx`;

export const isFinished = (job: ImportJob | undefined) => job?.status === 'done' || job?.status === 'failed';

/** One import job, polled every second until it is done or failed. */
export const importJobQuery = (id: string) =>
  queryOptions({
    queryKey: ['import', id],
    queryFn: ({ signal }) => api<{ data: ImportJob }>(`/api/v1/imports/${encodeURIComponent(id)}`, { signal }).then((r) => r.data),
    refetchInterval: (q) => (isFinished(q.state.data) || q.state.status === 'error' ? false : 1000),
    refetchIntervalInBackground: true,
    retry: (n, e) => n < 2 && (e as { status?: number }).status !== 404 && (e as { status?: number }).status !== 400,
  });

export function uploadHouseholds(file: File): Promise<ImportJob> {
  return uploadFile<{ data: ImportJob }>(`/api/v1/imports/households?fileName=${encodeURIComponent(file.name.slice(0, 200))}`, file, XLSX_TYPE)
    .then((r) => r.data);
}

/** After a finished import the lists and counts of the villages may have changed. */
export function invalidateAfterImport() {
  for (const k of ['households', 'org', 'org-children', 'coverage', 'coverage-unlinked', 'coverage-members', 'links', 'businesses']) void queryClient.invalidateQueries({ queryKey: [k] });
}

/** Why a chosen file cannot be sent, or null. */
export function checkFile(file: File): string | null {
  if (!/\.xlsx$/i.test(file.name)) return '请选择 .xlsx 格式的 Excel 文件（Excel 2007 及以上版本；旧版 .xls 请先另存为 .xlsx）';
  if (file.size === 0) return '文件是空的，请重新选择';
  if (file.size > IMPORT_MAX_BYTES) return `文件有 ${(file.size / 1024 / 1024).toFixed(1)} MB，超过 100 MB 的上限，请拆分后分批导入`;
  return null;
}

/** The registry kinds with an import (server: modules/imports/kinds). */
export type RegistryImportKind = 'links' | 'businesses' | 'members';
export const kindTemplateUrl = (kind: RegistryImportKind, orgCode: string) =>
  `/api/v1/imports/templates/${kind}.xlsx?org=${encodeURIComponent(orgCode)}`;

export function uploadKind(kind: RegistryImportKind, file: File): Promise<ImportJob> {
  return uploadFile<{ data: ImportJob }>(`/api/v1/imports/${kind}?fileName=${encodeURIComponent(file.name.slice(0, 200))}`, file, XLSX_TYPE)
    .then((r) => r.data);
}
