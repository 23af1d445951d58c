import { isApiError } from '../../api/api-client.ts';

export interface FieldIssue {
  /** Path inside the request body, e.g. ['residents', 0, 'idNumber']. */
  path: (string | number)[];
  message: string;
}

/**
 * The server's validation details ({ path: 'body/residents/0/idNumber', message }) as form paths. Paths may come as
 * '/'- or '.'-separated strings or arrays; the leading 'body' (Fastify's validation context) is dropped.
 */
export function fieldIssues(e: unknown): FieldIssue[] {
  if (!isApiError(e, 'validation_error') || !Array.isArray(e.details)) return [];
  const out: FieldIssue[] = [];
  for (const d of e.details as unknown[]) {
    if (!d || typeof d !== 'object') continue;
    const { path, message } = d as { path?: unknown; message?: unknown };
    const parts = (Array.isArray(path) ? path.map(String) : String(path ?? '').split(/[/.]/)).filter((p) => p !== '' && p !== 'body');
    const msg = typeof message === 'string' && /[\u4e00-\u9fff]/.test(message) ? message : '此项填写有误，请检查';
    out.push({ path: parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: msg });
  }
  return out;
}

export interface IdConflict {
  idNumberMasked?: string;
  /** Set only when the caller may open that household. */
  householdId?: string;
}

/**
 * The 409 an already-registered ID number gets. Details are a list of { idNumberMasked, householdId|null } (one per
 * duplicate), or a single such object; a concurrent duplicate may come with no details at all (empty list).
 */
export function idConflicts(e: unknown): IdConflict[] | null {
  if (!isApiError(e, 'conflict')) return null;
  const raw = Array.isArray(e.details) ? (e.details as unknown[]) : e.details && typeof e.details === 'object' ? [e.details] : [];
  return raw.map((d) => {
    const { idNumberMasked, householdId } = (d ?? {}) as { idNumberMasked?: unknown; householdId?: unknown };
    return {
      idNumberMasked: typeof idNumberMasked === 'string' ? idNumberMasked : undefined,
      householdId: typeof householdId === 'string' ? householdId : undefined,
    };
  });
}

/** Whether a typed ID number is the one behind a mask like 410***********1234 (same first 3 and last 4). */
export function matchesMask(idNumber: string, masked: string | undefined): boolean {
  if (!masked || masked.length < 7) return false;
  return idNumber.length === masked.length && idNumber.startsWith(masked.slice(0, 3)) && idNumber.endsWith(masked.slice(-4));
}
