import { z } from 'zod';
import { orgCode, orgLevel } from './orgs.ts';
import { inputText } from './text.ts';
import { isoDate, tagDefinition } from './constituents.ts';

/** 目标联户数: how many households a member should link (coverage counts members under, within, over it). */
export const TARGET_LOAD_MAX = 200;
export const targetLoadValue = z.object({
  min: z.number().int().min(0).max(TARGET_LOAD_MAX),
  max: z.number().int().min(1).max(TARGET_LOAD_MAX),
}).strict().refine((v) => v.min <= v.max, { message: '最少户数不能大于最多户数', path: ['min'] });

/** Where an org's effective value comes from: its own override, its town's, or the zone's value. */
export const targetLoadSource = z.object({ code: z.string(), name: z.string(), level: orgLevel });

export const targetLoadOrg = z.object({
  code: z.string(),
  name: z.string(),
  level: orgLevel,
  min: z.number().int(),
  max: z.number().int(),
  source: targetLoadSource,
  /** This org's own value, when it sets one (the zone always does). */
  override: z.object({ min: z.number().int(), max: z.number().int(), updatedAt: z.string() }).nullable(),
  /** The caller may set or clear this org's value. */
  editable: z.boolean(),
});
export type TargetLoadOrg = z.infer<typeof targetLoadOrg>;

export const targetLoadQuery = z.object({ orgCode: orgCode.optional() }).strict();
export const targetLoadView = z.object({
  data: z.object({
    org: targetLoadOrg,
    /** The way up to the caller's root (for a breadcrumb), zone first. */
    ancestors: z.array(z.object({ code: z.string(), name: z.string() })),
    /** Towns of the zone or villages of a town (grids, departments and units carry no target). */
    children: z.array(targetLoadOrg),
    /** Every override inside the caller's scope under this org (the org's own included), most general first. */
    overrides: z.array(targetLoadOrg),
  }),
});
export type TargetLoadView = z.infer<typeof targetLoadView>['data'];

/** Set an org's value, or clear it (`value: null`) so it inherits again; the zone's value can be set, not cleared. */
export const targetLoadPut = z.object({ orgCode, value: targetLoadValue.nullable() }).strict();
export type TargetLoadPut = z.infer<typeof targetLoadPut>;

/** 导入保留期: finished import jobs and their error rows are deleted after this many days. */
export const RETENTION_MIN_DAYS = 7;
export const RETENTION_MAX_DAYS = 365;
export const retentionView = z.object({
  data: z.object({
    days: z.number().int(),
    /** 'setting' when set here, 'default' when from LIANXIN_IMPORT_RETENTION_DAYS (or its default). */
    source: z.enum(['setting', 'default']),
    defaultDays: z.number().int(),
    min: z.number().int(),
    max: z.number().int(),
    /** The caller may change it (the office and the administrator; a town account reads it). */
    editable: z.boolean(),
  }),
});
export type RetentionView = z.infer<typeof retentionView>['data'];
/** `days: null` returns to the server's default. */
export const retentionPut = z.object({ days: z.number().int().min(RETENTION_MIN_DAYS).max(RETENTION_MAX_DAYS).nullable() }).strict();

/** 困难群体标签 in the dictionary editor: also retired tags, and how many households carry each. */
export const tagAdmin = tagDefinition.extend({ active: z.boolean(), households: z.number().int() });
export type TagAdmin = z.infer<typeof tagAdmin>;
/** `editable`: the caller may change the dictionary (the office and the administrator; a town account reads it). */
export const tagAdminList = z.object({ data: z.array(tagAdmin), editable: z.boolean() });
export const tagAdminItem = z.object({ data: tagAdmin });
const tagWord = inputText(1, 20);
export const tagCreate = z.object({
  code: tagWord, name: tagWord, aliases: z.array(tagWord).max(20).default([]), vulnerable: z.boolean().default(true),
}).strict();
export type TagCreate = z.infer<typeof tagCreate>;
/** Rename (the name; the stored code never changes), edit aliases, retire (`active: false`) or bring back. */
export const tagUpdate = z.object({
  name: tagWord.optional(), aliases: z.array(tagWord).max(20).optional(), vulnerable: z.boolean().optional(), active: z.boolean().optional(),
}).strict();
export type TagUpdate = z.infer<typeof tagUpdate>;

/** 组织调整 (office): rename, move a village or town under another parent, merge a village into another of its town. */
export const restructureBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rename'), name: inputText(1, 60), shortName: inputText(1, 30), on: isoDate.optional() }).strict(),
  z.object({ kind: z.literal('move'), parentCode: orgCode, on: isoDate.optional() }).strict(),
  z.object({ kind: z.literal('merge'), intoCode: orgCode, on: isoDate.optional() }).strict(),
]);
export type RestructureBody = z.infer<typeof restructureBody>;
const orgRef = z.object({ code: z.string(), name: z.string(), path: z.string() });
export const restructurePreview = z.object({
  data: z.object({
    kind: z.enum(['rename', 'move', 'merge']),
    on: z.string(),
    before: orgRef,
    /** rename/move: the org as it will be; merge: the survivor. */
    after: orgRef,
    /** merge only: what moves to the survivor. */
    moves: z.object({
      people: z.number().int(), households: z.number().int(), businesses: z.number().int(),
      activeLinks: z.number().int(), grids: z.number().int(),
    }).nullable(),
  }),
});
export type RestructurePreview = z.infer<typeof restructurePreview>['data'];
