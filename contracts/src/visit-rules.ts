import { z } from 'zod';
import { orgCode, orgLevel } from './orgs.ts';
import { itemUrgencies, visitChannel } from './visits.ts';

/**
 * 走访规则 (visit rules) as data, 今天 (the member's due list) and rule completion per level. A rule is scope (an org) ×
 * constituent kind × tag → at least `minVisits` visits per `period`. The zone's rules are the defaults (MISSION §2); a town
 * or village row overrides them for its subtree. For a constituent the effective rule is: the rules of its tag(s) first
 * (a specific tag code, then ANY_VULNERABLE_TAG), else the untagged rule; within each, the most specific org wins.
 */
export const ruleKinds = ['household', 'enterprise', 'shop', 'away_resident'] as const;
export const ruleKind = z.enum(ruleKinds);
export type RuleKind = z.infer<typeof ruleKind>;
export const ruleKindLabels: Record<RuleKind, string> = { household: '住户', enterprise: '企业', shop: '个体工商户', away_resident: '在外人员' };

export const rulePeriods = ['week', 'month'] as const;
export const rulePeriod = z.enum(rulePeriods);
export type RulePeriod = z.infer<typeof rulePeriod>;
export const rulePeriodLabels: Record<RulePeriod, string> = { week: '每周', month: '每月' };

/** The tag of a rule for households with any vulnerable tag (困难群体); '' = every constituent of the kind. */
export const ANY_VULNERABLE_TAG = '*';
export const ANY_VULNERABLE_TAG_LABEL = '困难群体（任一困难标签）';

export const ruleSource = z.object({ code: z.string(), name: z.string(), level: orgLevel });

export const visitRule = z.object({
  id: z.string(),
  kind: ruleKind,
  /** '' = all of the kind; ANY_VULNERABLE_TAG; else a tag code (households only). */
  tag: z.string(),
  /** The tag as people read it: 全部, 困难群体（任一困难标签）, 低保户 … */
  tagName: z.string(),
  period: rulePeriod,
  /** 0 = no visits required. */
  minVisits: z.number().int(),
  /** null = every channel counts; else only these (away residents: phone, wechat, video). */
  channels: z.array(visitChannel).nullable(),
  /** The org whose row this is. */
  source: ruleSource,
  /** True when the row belongs to an org above the one asked about. */
  inherited: z.boolean(),
  updatedAt: z.string(),
});
export type VisitRule = z.infer<typeof visitRule>;

export const visitRulesQuery = z.object({ org: orgCode.optional() }).strict();
export const visitRulesView = z.object({
  data: z.object({
    org: z.object({ code: z.string(), name: z.string(), level: orgLevel }),
    /** The way up from the zone to the org's parent, for a breadcrumb. */
    ancestors: z.array(z.object({ code: z.string(), name: z.string() })),
    /** The caller may set and remove this org's own rules (ability visits.rules over the org; zone, towns, villages). */
    editable: z.boolean(),
    /** The rules in force for the org: one per (kind, tag), each saying where it comes from. */
    rules: z.array(visitRule),
  }),
});
export type VisitRulesView = z.infer<typeof visitRulesView>['data'];

/** Set the org's own rule for (kind, tag): created or replaced. */
export const visitRulePut = z.object({
  org: orgCode,
  kind: ruleKind,
  tag: z.string().max(40).default(''),
  period: rulePeriod,
  minVisits: z.number().int().min(0).max(31),
  channels: z.array(visitChannel).min(1).max(5).nullable().default(null),
}).strict();
export type VisitRulePut = z.infer<typeof visitRulePut>;
export const visitRuleBody = z.object({ data: visitRule });
/** After removing an org's own rule: the rule now in force for that (kind, tag) at the org (inherited), or null. */
export const visitRuleDeleted = z.object({ data: z.object({ effective: visitRule.nullable() }) });

/** 今天 */
export const dueStatuses = ['overdue', 'due', 'done'] as const;
export const dueStatus = z.enum(dueStatuses);
export type DueStatus = z.infer<typeof dueStatus>;
export const dueStatusLabels: Record<DueStatus, string> = { overdue: '已逾期', due: '待走访', done: '已完成' };

export const todayQuery = z.object({ person: z.uuid().optional() }).strict();

export const dueRule = z.object({
  period: rulePeriod,
  minVisits: z.number().int(),
  channels: z.array(visitChannel).nullable(),
  /** The current period [start, end) as days. */
  periodStart: z.string(),
  periodEnd: z.string(),
});
export type DueRule = z.infer<typeof dueRule>;

export const todayAwayResident = z.object({
  id: z.string(),
  name: z.string(),
  /** city | province | abroad */
  awayScope: z.string(),
  awayPlace: z.string().nullable(),
  /** Last time the resident took part in a visit through phone, WeChat or video. */
  lastReachedAt: z.string().nullable(),
  lastReachedChannel: visitChannel.nullable(),
  rule: dueRule.nullable(),
  visitsThisPeriod: z.number().int(),
  status: dueStatus.nullable(),
});
export type TodayAwayResident = z.infer<typeof todayAwayResident>;

export const todayOpenItem = z.object({
  id: z.string(),
  category: z.string(),
  categoryName: z.string(),
  description: z.string(),
  urgency: z.enum(itemUrgencies),
  createdAt: z.string(),
});

export const todayItem = z.object({
  householdId: z.string().nullable(),
  businessId: z.string().nullable(),
  /** household | enterprise | shop | team */
  kind: z.string(),
  /** The household's head or the business's name. */
  name: z.string(),
  address: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  /** The caller's link: primary (联户党员) or helper (协助). */
  linkRole: z.enum(['primary', 'helper']),
  vulnerable: z.boolean(),
  tags: z.array(z.string()),
  /** null: no rule applies (e.g. a team, or a rule of 0 visits). */
  rule: dueRule.nullable(),
  visitsThisPeriod: z.number().int(),
  /** null when no rule applies. overdue = the previous period's rule was not met and this one is not met yet. */
  status: dueStatus.nullable(),
  lastVisit: z.object({ at: z.string(), channel: visitChannel, personName: z.string() }).nullable(),
  openItems: z.object({ count: z.number().int(), items: z.array(todayOpenItem) }),
  awayResidents: z.array(todayAwayResident),
  /**
   * The household's residents at home (name and relation, no personal data beyond what the member sees on the
   * household's page): with no network the visit form offers them from the phone's copy of 今天. Empty for a business.
   */
  homeResidents: z.array(z.object({ id: z.string(), name: z.string(), relation: z.string() })),
});
export type TodayItem = z.infer<typeof todayItem>;

export const todayView = z.object({
  data: z.object({
    person: z.object({ id: z.string(), name: z.string(), orgCode: z.string(), orgName: z.string() }),
    /** Today in Asia/Shanghai. */
    day: z.string(),
    /** Overdue first, then due, then done; vulnerable households first within each. */
    items: z.array(todayItem),
    counts: z.object({ overdue: z.number().int(), due: z.number().int(), done: z.number().int(), total: z.number().int() }),
    /** Away residents of the linked households under a rule, and how many are reached this period. */
    away: z.object({ total: z.number().int(), reached: z.number().int() }),
    asOf: z.string(),
  }),
});
export type TodayView = z.infer<typeof todayView>['data'];

/** Rule completion (规则完成率) per level. */
export const completionQuery = z.object({
  org: orgCode.optional(),
  /** YYYY-MM; default the current month in Asia/Shanghai. */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式为 YYYY-MM').optional(),
}).strict();

export const completionFigures = z.object({
  /** Obligations in the month: one per constituent under a monthly rule, one per constituent and week for weekly rules. */
  due: z.number().int(),
  met: z.number().int(),
  /** met / due × 100, one decimal; null when nothing is due. */
  percent: z.number().nullable(),
});
export type CompletionFigures = z.infer<typeof completionFigures>;

export const completionRow = z.object({
  /** org: a town or village (drill down by code); member: a member of the village (drill down by personId). */
  kind: z.enum(['org', 'member']),
  code: z.string().nullable(),
  personId: z.string().nullable(),
  name: z.string(),
  current: completionFigures,
  previous: completionFigures,
  /** current.percent − previous.percent in percentage points (one decimal); null when either is null. */
  change: z.number().nullable(),
});
export type CompletionRow = z.infer<typeof completionRow>;

export const completionView = z.object({
  data: z.object({
    org: z.object({ code: z.string(), name: z.string(), level: orgLevel }),
    ancestors: z.array(z.object({ code: z.string(), name: z.string() })),
    month: z.string(),
    previousMonth: z.string(),
    self: completionRow,
    /** Towns of the zone, villages of a town, members of a village. */
    children: z.array(completionRow),
    /** When the rollup was last brought up to date ("数据截至 HH:mm"). */
    asOf: z.string(),
  }),
});
export type CompletionView = z.infer<typeof completionView>['data'];
