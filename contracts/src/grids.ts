import { z } from 'zod';
import { inputText } from './text.ts';
import { orgCode } from './orgs.ts';

/** 网格/片区: orgs of level `grid` under a village (code `<village>-Gnn`), managed by the village's secretary. */
export const gridName = inputText(1, 20, '请填写网格名称');

export const grid = z.object({
  code: z.string(),
  name: z.string(),
  /** The first day of the current version (created, or last renamed). */
  validFrom: z.string(),
  /** Set for a retired or merged grid (shown only when asked for). */
  validTo: z.string().nullable(),
  mergedIntoCode: z.string().nullable(),
  /** 网格长: a current member of the village's branch; null = none set (or they left the branch). */
  leader: z.object({ id: z.string(), name: z.string() }).nullable(),
  counts: z.object({ households: z.number().int(), businesses: z.number().int(), people: z.number().int() }),
});
export type Grid = z.infer<typeof grid>;

export const gridListQuery = z
  .object({ village: orgCode, retired: z.enum(['true', 'false']).default('false') })
  .strict();

export const gridList = z.object({
  data: z.array(grid),
  village: z.object({ code: z.string(), name: z.string() }),
  /** What is not in any grid: the 不划入网格 row of the page. */
  unassigned: z.object({ households: z.number().int(), businesses: z.number().int(), people: z.number().int() }),
  abilities: z.object({ manage: z.boolean() }),
});
export type GridList = z.infer<typeof gridList>;
export const gridItem = z.object({ data: grid });

export const gridCreate = z.object({ villageCode: orgCode, name: gridName }).strict();
export const gridRename = z.object({ name: gridName }).strict();
export const gridLeaderSet = z.object({ personId: z.uuid().nullable() }).strict();
export const gridMerge = z.object({ intoCode: orgCode }).strict();
/** Retire: refused while the grid holds anything, unless `moveTo` names another grid of the village or null (none). */
export const gridRetire = z.object({ moveTo: orgCode.nullable().optional() }).strict();

/** What a merge or a retirement moves (the dialog shows it before confirming; the answer reports what moved). */
export const gridMoveCounts = z.object({ households: z.number().int(), businesses: z.number().int(), people: z.number().int() });
export const gridMoveResult = z.object({ data: z.object({ moved: gridMoveCounts }) });

export const gridCandidates = z.object({ data: z.array(z.object({ id: z.string(), name: z.string(), gridCode: z.string().nullable() })) });
export type GridCandidate = z.infer<typeof gridCandidates>['data'][number];

const ids = z.array(z.uuid()).max(5000).default([]);
/** 划入网格: move these households, businesses and people of one village into a grid (null = 不划入网格). */
export const gridAssign = z
  .object({ villageCode: orgCode, gridCode: orgCode.nullable(), households: ids, businesses: ids, people: ids })
  .strict()
  .refine((b) => b.households.length + b.businesses.length + b.people.length > 0, '请至少选择一项');
export type GridAssign = z.input<typeof gridAssign>;
export const gridAssignResult = z.object({ data: gridMoveCounts });
