import { z } from 'zod';
import { inputText, cursorText } from './text.ts';
import { phone } from './constituents.ts';
import { orgCode } from './orgs.ts';
import { downloadToken } from './exports.ts';

/** 企业, 个体工商户/商户 and an enterprise's 班组 (work team). */
export const businessKinds = ['enterprise', 'shop', 'team'] as const;
export type BusinessKind = (typeof businessKinds)[number];

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and the capitals without I O Z S V. The check character
 * (weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, modulus 31) is verified by the server.
 */
export const creditCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NP-RT-UW-Y]{18}$/, '统一社会信用代码应为18位数字或大写字母（不含 I、O、Z、S、V）');

const text = (max: number) => inputText(1, max);

/** readLinks: the caller may read the business's 联户党员 history (the web shows that section only then). */
export const businessAbilities = z.object({ update: z.boolean(), reveal: z.boolean(), readLinks: z.boolean() });

/** A business as the API shows it: the contact phone masked; the full value only via the audited reveal action. */
export const business = z.object({
  id: z.string(),
  kind: z.enum(businessKinds),
  orgCode: z.string(),
  orgName: z.string(),
  gridCode: z.string().nullable(),
  gridName: z.string().nullable(),
  /** A team's enterprise; null for enterprises and shops. */
  parentId: z.string().nullable(),
  parentName: z.string().nullable(),
  name: z.string(),
  address: z.string(),
  creditCode: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhoneMasked: z.string().nullable(),
  employees: z.number().int().nullable(),
  /** The member holding the active primary link (联户党员), or null when nobody does (未联系). */
  linkedMember: z.object({ id: z.string(), name: z.string() }).nullable(),
  synthetic: z.boolean(),
  abilities: businessAbilities,
});
export type Business = z.infer<typeof business>;

export const businessListQuery = z
  .object({
    org: orgCode.optional(),
    kind: z.enum(businessKinds).optional(),
    /** Name, pinyin initials of the name (letters only), address, or (a prefix of) the credit code. */
    q: inputText(1, 40).optional(),
    /** true: no active primary link (未联系); false: linked now. */
    unlinked: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursorText.optional(),
  })
  .strict();
export type BusinessListQuery = z.infer<typeof businessListQuery>;
export const businessList = z.object({ data: z.array(business), nextCursor: z.string().nullable() });
export type BusinessList = z.infer<typeof businessList>;
export const businessItem = z.object({ data: business });

/** The streaming xlsx export's filters. `orgCode` is accepted as another name for `org`. */
const businessExportFilters = {
  org: orgCode.optional(),
  orgCode: orgCode.optional(),
  kind: z.enum(businessKinds).optional(),
  q: inputText(1, 40).optional(),
  unlinked: z.enum(['true', 'false']).optional(),
};
const sameOrg = [(q: { org?: string; orgCode?: string }) => !q.org || !q.orgCode || q.org === q.orgCode, { message: 'org 与 orgCode 不一致', path: ['orgCode'] }] as [(q: { org?: string; orgCode?: string }) => boolean, { message: string; path: string[] }];
/** GET …/businesses/export: contact phones masked with the filters, or unmasked with a download token (and nothing else). */
export const businessExportQuery = z.object({ ...businessExportFilters, token: downloadToken.optional() }).strict().refine(...sameOrg);
export type BusinessExportQuery = z.infer<typeof businessExportQuery>;
/** POST …/businesses/export/full: the filters and the reason (audited with the download). */
export const businessFullExportBody = z.object({ ...businessExportFilters, reason: inputText(2, 200, '请填写导出原因') }).strict().refine(...sameOrg);
export type BusinessFullExportBody = z.infer<typeof businessFullExportBody>;

export const businessCreate = z
  .object({
    kind: z.enum(businessKinds),
    /** The village (村/社区) the business is registered in. */
    orgCode,
    gridCode: orgCode.nullable().optional(),
    /** Required for a team (an enterprise of the same village); forbidden for enterprises and shops. */
    parentId: z.uuid('ID 格式不正确').nullable().optional(),
    name: text(80),
    address: text(120),
    /** Not for teams (a 班组 has no legal personality). */
    creditCode: creditCode.nullable().optional(),
    contactName: text(40).nullable().optional(),
    contactPhone: phone.nullable().optional(),
    employees: z.number().int().min(0).max(1_000_000).nullable().optional(),
  })
  .strict();
export type BusinessCreate = z.infer<typeof businessCreate>;

/** Kind and village are fixed once registered (remove and register again to move a business). */
export const businessUpdate = businessCreate.omit({ kind: true, orgCode: true }).partial().strict();
export type BusinessUpdate = z.infer<typeof businessUpdate>;

export const businessRemoveBody = z.object({ reason: inputText(2, 200, '请填写注销原因') }).strict();
/** The removed business and, for an enterprise, its teams removed with it. */
export const businessRemoveResult = z.object({ data: z.object({ removedIds: z.array(z.string()) }) });

export const businessRevealBody = z
  .object({ field: z.enum(['contactPhone']), reason: inputText(2, 200, '请填写查看原因') })
  .strict();
export const businessRevealResult = z.object({
  data: z.object({ field: z.enum(['contactPhone']), value: z.string().nullable() }),
});
