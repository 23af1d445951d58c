import { z } from 'zod';
import { inputText, cursorText } from './text.ts';
import { orgCode } from './orgs.ts';
import { downloadToken } from './exports.ts';

/** GB 11643-1999 citizen ID number: 17 digits + check digit (0-9 or X). The checksum is verified by the server. */
export const idNumber = z.string().trim().toUpperCase().regex(/^\d{17}[\dX]$/, '身份证号码应为18位');
/** Mainland mobile numbers (11 digits, 1[3-9]…) or landlines with area code (0391-1234567). */
export const phone = z.string().trim().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, '电话号码格式不正确');
/** The dates the registry accepts: none before 1900, none more than 30 days ahead (a move announced in advance). */
export const DATE_MIN = '1900-01-01';
export const DATE_AHEAD_DAYS = 30;
export const dateMax = (now = new Date()) => new Date(now.getTime() + DATE_AHEAD_DAYS * 86_400_000).toISOString().slice(0, 10);

/**
 * YYYY-MM-DD naming a day that exists (2025-02-30 is refused here, not by the database as a 500), within
 * DATE_MIN … today + DATE_AHEAD_DAYS (9999-12-31 as a leaving date is a typo, not a plan). The one date rule of the
 * API: birth dates, leaving, removal, and the start and end of links.
 */
export const isoDate = z.string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期格式应为 YYYY-MM-DD', abort: true })
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, { message: '日期不存在', abort: true })
  .refine((s) => s >= DATE_MIN && s <= dateMax(), { error: () => `日期应在 ${DATE_MIN} 至 ${dateMax()} 之间` });

export const sexes = ['M', 'F'] as const;
export const relations = ['户主', '配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳', '女婿', '兄弟姐妹', '其他'] as const;
export const awayScopes = ['city', 'province', 'abroad'] as const;
export const constituentKinds = ['household', 'enterprise', 'shop', 'team'] as const;

/** A tag of the dictionary: its code (stored), its name (shown) and other words accepted for it on input (低保户 → 低保). */
export const tagDefinition = z.object({ code: z.string(), name: z.string(), aliases: z.array(z.string()), vulnerable: z.boolean() });
export const tagList = z.object({ data: z.array(tagDefinition) });
export type TagDefinition = z.infer<typeof tagDefinition>;

/** A resident as the API shows it: ID number and phone masked; the full value only via the audited reveal action. */
export const resident = z.object({
  id: z.string(),
  name: z.string(),
  sex: z.enum(sexes),
  birthDate: z.string(),
  age: z.number().int(),
  relation: z.string(),
  idNumberMasked: z.string(),
  phoneMasked: z.string().nullable(),
  awayScope: z.enum(awayScopes).nullable(),
  awayPlace: z.string().nullable(),
});
export type Resident = z.infer<typeof resident>;

/**
 * revealPhone: registry revealers, and (on the detail) the member linked to the household now, who must be able to call
 * it. readLinks: the caller may read the household's 联户党员 history (registry readers; not a linked member).
 */
export const householdAbilities = z.object({ update: z.boolean(), reveal: z.boolean(), revealPhone: z.boolean(), readLinks: z.boolean() });

export const householdSummary = z.object({
  id: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  gridCode: z.string().nullable(),
  gridName: z.string().nullable(),
  address: z.string(),
  headName: z.string(),
  tags: z.array(z.string()),
  away: z.boolean(),
  residentCount: z.number().int(),
  synthetic: z.boolean(),
  abilities: householdAbilities,
});
export type HouseholdSummary = z.infer<typeof householdSummary>;

export const household = householdSummary.extend({ residents: z.array(resident) });
export type Household = z.infer<typeof household>;

export const householdListQuery = z
  .object({
    org: orgCode.optional(),
    q: inputText(1, 40).optional(),
    tag: inputText(1, 20).optional(),
    grid: orgCode.optional(),
    away: z.enum(['true', 'false']).optional(),
    /** Households with no active primary link (未联系), or those linked to one member now. */
    unlinked: z.enum(['true', 'false']).optional(),
    member: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursorText.optional(),
  })
  .strict();
export type HouseholdListQuery = z.infer<typeof householdListQuery>;

/** The streaming xlsx export's filters. */
const householdExportFilters = {
  org: orgCode.optional(), tag: inputText(1, 20).optional(), q: inputText(1, 40).optional(), away: z.enum(['true', 'false']).optional(),
};
/** GET …/households/export: masked with the filters, or unmasked with a download token (and nothing else). */
export const householdExportQuery = z.object({ ...householdExportFilters, token: downloadToken.optional() }).strict();
export type HouseholdExportQuery = z.infer<typeof householdExportQuery>;
/** POST …/households/export/full: the filters and the reason (audited with the download). */
export const householdFullExportBody = z.object({ ...householdExportFilters, reason: inputText(2, 200, '请填写导出原因') }).strict();
export type HouseholdFullExportBody = z.infer<typeof householdFullExportBody>;
export const householdList = z.object({ data: z.array(householdSummary), nextCursor: z.string().nullable() });
export type HouseholdList = z.infer<typeof householdList>;
export const householdItem = z.object({ data: household });

const text = (max: number) => inputText(1, max);

export const residentInput = z
  .object({
    name: text(40),
    sex: z.enum(sexes),
    birthDate: isoDate,
    idNumber,
    phone: phone.nullable().optional(),
    relation: z.enum(relations),
    awayScope: z.enum(awayScopes).nullable().optional(),
    awayPlace: text(60).nullable().optional(),
  })
  .strict();
export type ResidentInput = z.infer<typeof residentInput>;

export const householdCreate = z
  .object({
    orgCode,
    gridCode: orgCode.nullable().optional(),
    address: text(120),
    tags: z.array(text(20)).max(10).default([]),
    residents: z.array(residentInput).min(1).max(30),
  })
  .strict();
export type HouseholdCreate = z.infer<typeof householdCreate>;

export const householdUpdate = z
  .object({
    gridCode: orgCode.nullable().optional(),
    address: text(120).optional(),
    tags: z.array(text(20)).max(10).optional(),
  })
  .strict();
export type HouseholdUpdate = z.infer<typeof householdUpdate>;

export const residentUpdate = residentInput.partial().strict();

/**
 * 注销住户: the whole household leaves the register (全户迁出, 户销…). `on` is the date its residents left (default
 * today); the reason is kept on every resident and in the audit.
 */
export const householdRemoveBody = z.object({ on: isoDate.optional(), reason: inputText(2, 100, '请填写注销原因') }).strict();
export const householdRemoveResult = z.object({ data: z.object({ id: z.string(), residentsLeft: z.number().int(), linksEnded: z.number().int() }) });
export type ResidentUpdate = z.infer<typeof residentUpdate>;

export const revealBody = z
  .object({ field: z.enum(['idNumber', 'phone']), reason: inputText(2, 200, '请填写查看原因') })
  .strict();
export const revealResult = z.object({ data: z.object({ field: z.enum(['idNumber', 'phone']), value: z.string().nullable() }) });
