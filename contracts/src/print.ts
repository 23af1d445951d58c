import { z } from 'zod';

/** Cards to (re)print: none given → every linked constituent of the village. Reprinting revokes the previous card. */
export const contactCardRequest = z.object({
  households: z.array(z.uuid('住户 ID 格式不正确')).max(500, '一次最多选择 500 户').optional(),
  businesses: z.array(z.uuid('企业商户 ID 格式不正确')).max(500, '一次最多选择 500 家').optional(),
}).strict();

/** What a contact card's QR opens, without logging in: the constituent's current member, never the constituent. */
export const publicCard = z.object({
  data: z.object({
    status: z.enum(['active', 'revoked']),
    village: z.string(),
    town: z.string().nullable(),
    branch: z.string().nullable(),
    /** `title`: 联户党员, or 联户志愿者 (积极分子, 非党干部) when a helper holds the link. */
    member: z.object({ name: z.string(), workPhone: z.string().nullable(), title: z.string() }).nullable(),
    /** The branch's published contact number (the village's, else its town's): whom to call when the card is void or no one is assigned. */
    branchPhone: z.string().nullable(),
    issuedOn: z.string(),
  }),
});
export type PublicCard = z.infer<typeof publicCard>['data'];
export const cardToken = z.string().regex(/^[A-Za-z0-9_-]{38}$/, '联系卡二维码无效');

/**
 * 联户示意图 as data (what the SVG/PDF sheet is drawn from): per grid, each member (or helper, titled) with their work
 * phone and the households and businesses they link ("王大明户 3组 10号"). Phones narrow screens read it as a list.
 */
export const linkMap = z.object({
  data: z.object({
    title: z.string(),
    unit: z.string(),
    dateText: z.string(),
    summary: z.string(),
    synthetic: z.boolean(),
    grids: z.array(z.object({
      name: z.string(),
      linked: z.number().int(),
      unlinked: z.number().int(),
      members: z.array(z.object({ name: z.string(), workPhone: z.string().nullable(), items: z.array(z.string()) })),
    })),
  }),
});
export type LinkMap = z.infer<typeof linkMap>['data'];
