import { z } from 'zod';
import { memberWithLoad } from './links.ts';
import { org } from './orgs.ts';
import { inputText } from './text.ts';

/** The header's 搜索: one text over everything the caller may see, results grouped by kind. */
export const searchQuery = z
  .object({
    q: inputText(1, 40),
    /** Results per group (the page shows a few of each and links to the filtered list for the rest). */
    limit: z.coerce.number().int().min(1).max(20).default(5),
  })
  .strict();
export type SearchQuery = z.infer<typeof searchQuery>;

/** Why a household or business matched: the page says so (电话尾号 5678, 家庭成员 王某). */
export const searchMatch = z.enum(['name', 'initials', 'resident', 'address', 'phone', 'code']);
export type SearchMatch = z.infer<typeof searchMatch>;

export const searchHousehold = z.object({
  id: z.string(),
  headName: z.string(),
  address: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  match: searchMatch,
  /** The resident whose name matched, when it is not the head. */
  residentName: z.string().nullable(),
});
export const searchBusiness = z.object({
  id: z.string(),
  kind: z.enum(['enterprise', 'shop', 'team']),
  name: z.string(),
  address: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  match: searchMatch,
});
/** A member or helper as the coverage pages list them (load = households linked to them now, primary), without the status. */
export const searchMember = memberWithLoad.omit({ loadStatus: true });

/** A group: the first `limit` results and whether there are more. */
const group = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), more: z.boolean() });

/**
 * A group is null when the caller's role may not see that kind at all (a department sees org names only; a member
 * their linked households and businesses). `listOrg`: the org whose list pages hold every match (the caller's scope),
 * null when the caller has several.
 */
export const searchResult = z.object({
  data: z.object({
    orgs: group(org),
    households: group(searchHousehold).nullable(),
    businesses: group(searchBusiness).nullable(),
    members: group(searchMember).nullable(),
    listOrg: z.string().nullable(),
  }),
});
export type SearchResult = z.infer<typeof searchResult>['data'];
export type SearchHousehold = z.infer<typeof searchHousehold>;
export type SearchBusiness = z.infer<typeof searchBusiness>;
export type SearchMember = z.infer<typeof searchMember>;
