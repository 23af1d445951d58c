import { z } from 'zod';
import { inputText, cursorText } from './text.ts';

export const orgLevels = ['zone', 'town', 'village', 'grid', 'department', 'office', 'unit'] as const;
export const orgLevel = z.enum(orgLevels);
export type OrgLevel = z.infer<typeof orgLevel>;

/** NBS 12-digit code, or a parent's code + '-' + an uppercase suffix (e.g. 419001000000-D05). */
export const orgCode = z
  .string()
  .min(12)
  .max(40)
  .regex(/^\d{12}(-[A-Z0-9]{1,8})*$/, '组织代码格式不正确');

export const orgCounts = z.object({
  children: z.number().int(),
  villages: z.number().int(),
  members: z.number().int(),
  households: z.number().int(),
});

/**
 * What the caller may do at this org, decided by the server so the web never guesses from role names:
 * readRegistry — households/businesses lists; writeRegistry — register, import, assign links, print contact cards;
 * readCoverage — coverage and the 联户示意图 (members too, for their branch).
 */
export const orgAbilities = z.object({
  read: z.boolean(),
  readPeople: z.boolean(),
  update: z.boolean(),
  readRegistry: z.boolean(),
  writeRegistry: z.boolean(),
  readCoverage: z.boolean(),
});

export const org = z.object({
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  level: orgLevel,
  adminKind: z.string().nullable(),
  partyKind: z.string().nullable(),
  partyName: z.string().nullable(),
  parentCode: z.string().nullable(),
  /** Ancestors from the root of the caller's view, for breadcrumbs. */
  ancestors: z.array(z.object({ code: z.string(), name: z.string() })),
  counts: orgCounts,
  synthetic: z.boolean(),
  abilities: orgAbilities,
});
export type Org = z.infer<typeof org>;

export const orgListQuery = z
  .object({
    parent: orgCode.optional(),
    q: inputText(1, 40).optional(),
    level: orgLevel.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: cursorText.optional(),
  })
  .strict();
export type OrgListQuery = z.infer<typeof orgListQuery>;

export const orgList = z.object({ data: z.array(org), nextCursor: z.string().nullable() });
export type OrgList = z.infer<typeof orgList>;
export const orgItem = z.object({ data: org });
