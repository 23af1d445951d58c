import { z } from 'zod';
import { cursorText, inputText } from './text.ts';
import { isoDate } from './constituents.ts';

/**
 * Audit review (审计查询): the office and admin search the append-only audit trail. Friendly groups of actions, as a
 * village secretary or the office names them; the server expands each to its actions.
 */
export const auditGroups = ['reveal', 'full_export', 'login', 'account'] as const;
export type AuditGroup = (typeof auditGroups)[number];

/** Action: exact (`resident.reveal`) or a prefix ending in a dot (`household.`). */
const auditAction = z.string().max(80).regex(/^[a-z_]+(\.[a-z_]*)?$/, '操作类型格式不正确');

/** The filters, shared by the search (GET, querystring) and the export (POST, body). */
const auditFilterFields = {
  /** A username (case-insensitive) or an account id. */
  actor: inputText(1, 100).optional(),
  action: auditAction.optional(),
  group: z.enum(auditGroups).optional(),
  entityType: z.string().max(40).regex(/^[a-z_]+$/, '对象类型格式不正确').optional(),
  entityId: inputText(1, 100).optional(),
  /** A household and its residents (a resident's reveal is recorded against the resident). */
  household: z.uuid('住户 ID 格式不正确').optional(),
  /** Calendar dates in Asia/Shanghai, both inclusive. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  ip: z.string().max(64).regex(/^[0-9a-fA-F.:]+$/, 'IP 地址格式不正确').optional(),
};

export const auditQuery = z
  .object({ ...auditFilterFields, limit: z.coerce.number().int().min(1).max(200).default(50), cursor: cursorText.optional() })
  .strict();
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditExportBody = z.object(auditFilterFields).strict();
export type AuditExportBody = z.infer<typeof auditExportBody>;

export const auditObject = z.object({
  type: z.string(),
  typeLabel: z.string(),
  id: z.string().nullable(),
  /** A name when it resolves (household address and head, account username, org name…); null otherwise. */
  label: z.string().nullable(),
  /** The web path of the object's page, when it has one. */
  link: z.string().nullable(),
});

export const auditEvent = z.object({
  id: z.string(),
  at: z.string(),
  action: z.string(),
  actionLabel: z.string(),
  actor: z.object({ id: z.string().nullable(), username: z.string() }).nullable(),
  ip: z.string().nullable(),
  object: auditObject.nullable(),
  /** The reveal's or export's reason, when the event has one. */
  reason: z.string().nullable(),
  /** Before → after, ID numbers and phones masked; null when none or hidden (bodiesHidden). */
  before: z.unknown(),
  after: z.unknown(),
  /** True when this caller may not read the event's body (admin on a registry object). */
  bodiesHidden: z.boolean(),
});
export type AuditEvent = z.infer<typeof auditEvent>;

export const auditList = z.object({ data: z.array(auditEvent), nextCursor: z.string().nullable() });
export type AuditList = z.infer<typeof auditList>;

/** What the filter bar offers: the groups and every catalogued action with its Chinese label. */
export const auditCatalogue = z.object({
  data: z.object({
    groups: z.array(z.object({ key: z.enum(auditGroups), label: z.string() })),
    actions: z.array(z.object({ action: z.string(), label: z.string() })),
    /** True when the caller's registry bodies are hidden (admin). */
    registryBodiesHidden: z.boolean(),
  }),
});
export type AuditCatalogue = z.infer<typeof auditCatalogue>['data'];

export const accessHistoryQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: cursorText.optional() })
  .strict();
