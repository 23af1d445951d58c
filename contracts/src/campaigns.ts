import { z } from 'zod';
import { inputText } from './text.ts';
import { orgCode } from './orgs.ts';

/**
 * 集中走访 (campaigns): a round of visits over a scope within a window ("七一前全部走访一遍", 春节走访). Targets are
 * snapshotted when the campaign is created: the households and businesses in scope matching the filter (each with its
 * village and its primary member then), and the away residents (在外) of those households as separate "reach" targets.
 * A household or business counts as visited when any visit in the window reaches it; an away resident counts as reached
 * only when they took part through phone, WeChat or video — two figures, so "不落一户、不落一人" is measurable.
 */
export const campaignKinds = ['household', 'enterprise', 'shop'] as const;
export type CampaignKind = (typeof campaignKinds)[number];
export const campaignKindLabels: Record<CampaignKind, string> = { household: '住户', enterprise: '企业', shop: '商户' };
export const campaignStatuses = ['open', 'closed'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export const campaignStatusLabels: Record<CampaignStatus, string> = { open: '进行中', closed: '已结束' };
/** Days before the deadline on which members with unvisited targets are reminded (the daily reminder job). */
export const CAMPAIGN_REMINDER_DAYS = 3;
/** Longest window a campaign may span (a round of visits, not a standing rule). */
export const CAMPAIGN_MAX_DAYS = 366;

const day = z.iso.date();

/**
 * Which constituents: `kinds` (all three = everyone); `tag` = only households carrying this tag (businesses are not
 * tagged, so a tag limits the campaign to households); `awayOnly` = only households with at least one resident away
 * (their away residents become reach targets either way).
 */
export const campaignFilter = z.object({
  kinds: z.array(z.enum(campaignKinds)).min(1).max(3).default([...campaignKinds]),
  tag: z.string().min(1).max(40).nullable().default(null),
  awayOnly: z.boolean().default(false),
}).strict();
export type CampaignFilter = z.infer<typeof campaignFilter>;

export const campaignCreate = z.object({
  name: inputText(1, 40, '请填写走访活动名称'),
  /** The scope: the zone, a town or a village the caller manages. */
  orgCode,
  filter: campaignFilter.default({ kinds: [...campaignKinds], tag: null, awayOnly: false }),
  startsOn: day,
  endsOn: day,
  /** 截止日期: reminders go out before it; omitted = endsOn. Between startsOn and endsOn. */
  deadline: day.optional(),
}).strict();
export type CampaignCreate = z.input<typeof campaignCreate>;

/** Two figures of progress: constituents (households, enterprises, shops) visited, away residents reached. */
export const campaignFigures = z.object({
  /** Targets (households and businesses) in the campaign, and how many a visit in the window reached. */
  total: z.number().int(),
  visited: z.number().int(),
  /** Away residents (在外) of those households, and how many were reached by phone/WeChat/video in the window. */
  awayTotal: z.number().int(),
  awayReached: z.number().int(),
  /** visited / total in percent (one decimal); null when total = 0. */
  percent: z.number().nullable(),
  /** awayReached / awayTotal in percent (one decimal); null when awayTotal = 0. */
  awayPercent: z.number().nullable(),
});
export type CampaignFigures = z.infer<typeof campaignFigures>;

export const campaign = z.object({
  id: z.string(),
  name: z.string(),
  org: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  filter: z.object({ kinds: z.array(z.enum(campaignKinds)), tag: z.string().nullable(), tagName: z.string().nullable(), awayOnly: z.boolean() }),
  startsOn: z.string(),
  endsOn: z.string(),
  deadline: z.string(),
  status: z.enum(campaignStatuses),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  /** Progress of the whole campaign (its scope), or — for a caller who reads only part of it — of the caller's part. */
  figures: campaignFigures,
  /** The previous campaign of the same scope (started before this one), for comparison; null = none. */
  previous: z.object({ id: z.string(), name: z.string() }).nullable(),
  abilities: z.object({ manage: z.boolean() }),
});
export type Campaign = z.infer<typeof campaign>;
export const campaignItem = z.object({ data: campaign });

export const campaignListQuery = z.object({ status: z.enum(['open', 'closed', 'all']).default('all') }).strict();
/** Campaigns the caller can see (their scope inside it or it inside their scope), newest first. */
export const campaignList = z.object({ data: z.array(campaign), abilities: z.object({ create: z.boolean() }) });
export type CampaignList = z.infer<typeof campaignList>;

/**
 * Progress drill-down: zone → town → village → member → pending constituents. `org` omitted = the campaign's scope
 * (or the caller's own part of it). For a town or the zone, rows are the child orgs; for a village, rows are members
 * (the primary member each target had when the campaign was created) plus one row with person = null for targets
 * that had no member (未联户).
 */
export const campaignProgressQuery = z.object({ org: orgCode.optional() }).strict();
export const campaignProgressRow = z.object({
  /** An org row (town, village) or a member row (village level). */
  org: z.object({ code: z.string(), name: z.string(), level: z.string() }).nullable(),
  person: z.object({ id: z.string(), name: z.string() }).nullable(),
  figures: campaignFigures,
  /** The same row in the previous campaign of the same scope (null = no previous campaign or the row was not in it). */
  previous: campaignFigures.nullable(),
  /** percent − previous.percent in percentage points (one decimal); null when either is null. */
  change: z.number().nullable(),
});
export type CampaignProgressRow = z.infer<typeof campaignProgressRow>;
export const campaignProgress = z.object({
  data: z.object({
    campaignId: z.string(),
    org: z.object({ code: z.string(), name: z.string(), level: z.string() }),
    /** The org's parents down from the campaign's scope (breadcrumb for the drill-down), excluding `org` itself. */
    trail: z.array(z.object({ code: z.string(), name: z.string() })),
    /** 'orgs': rows are child orgs; 'members': rows are members of a village. */
    rowsAre: z.enum(['orgs', 'members']),
    totals: campaignFigures,
    previousTotals: campaignFigures.nullable(),
    change: z.number().nullable(),
    previous: z.object({ id: z.string(), name: z.string() }).nullable(),
    rows: z.array(campaignProgressRow),
    /** When these figures were true ("数据截至 HH:mm"): the rollups move in every visit's transaction. */
    asOf: z.string(),
  }),
});
export type CampaignProgress = z.infer<typeof campaignProgress>['data'];

/**
 * 未走访: the targets not yet visited (or away residents not yet reached), of an org in the campaign or of one member
 * (`person`: the member the targets were assigned to at creation). Keyset-paged; the same filter exports as xlsx.
 */
export const campaignPendingQuery = z.object({
  org: orgCode.optional(),
  person: z.uuid().optional(),
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
}).strict();
export const campaignPendingExportQuery = z.object({ org: orgCode.optional(), person: z.uuid().optional() }).strict();
export const campaignTargetKinds = ['household', 'enterprise', 'shop', 'away_resident'] as const;
export type CampaignTargetKind = (typeof campaignTargetKinds)[number];
export const campaignTargetKindLabels: Record<CampaignTargetKind, string> = {
  household: '住户', enterprise: '企业', shop: '商户', away_resident: '在外人员',
};
export const campaignPendingItem = z.object({
  /** The household, business or resident id. */
  id: z.string(),
  kind: z.enum(campaignTargetKinds),
  /** Household head's name, business name, or the away resident's name. */
  name: z.string(),
  address: z.string(),
  /** For an away resident: the household they belong to. */
  householdId: z.string().nullable(),
  /** 在外 where (city | province | abroad, and the place), for an away resident. */
  awayPlace: z.string().nullable(),
  village: z.object({ code: z.string(), name: z.string() }),
  /** The member the target was assigned to when the campaign was created (null = 未联户 then). */
  person: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type CampaignPendingItem = z.infer<typeof campaignPendingItem>;
export const campaignPending = z.object({
  data: z.array(campaignPendingItem),
  nextCursor: z.string().nullable(),
  /** Pending targets under the filter (all pages). */
  total: z.number().int(),
});
export type CampaignPending = z.infer<typeof campaignPending>;
