import type { SearchQuery, SearchResult } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import type { Grant } from '../auth/scope.ts';
import * as businesses from '../businesses/businesses.service.ts';
import * as households from '../households/households.service.ts';
import * as links from '../links/links.service.ts';
import * as orgs from '../orgs/orgs.service.ts';
import { searchListOrg } from './search.policy.ts';

export interface Ctx { db: Db; ring: Keyring; grants: Grant[]; req: FastifyRequest }

/**
 * The header's 搜索: one text over orgs, households, businesses and members. Each kind is asked of its own module's
 * service, which applies that kind's scope (a department gets org names only, a member their linked households and
 * businesses); a kind the role may not see comes back null and the page leaves it out. Org results are more numerous
 * (a name like 克井 matches a town and its villages), so they get twice the limit.
 */
export async function search(ctx: Ctx, q: SearchQuery): Promise<SearchResult> {
  const orgLimit = q.limit * 2;
  // Four independent reads on the pool, side by side.
  const [orgRows, hh, bz, people] = await Promise.all([
    orgs.listOrgs(ctx.db, ctx.grants, { q: q.q, limit: orgLimit + 1 }),
    households.search(ctx, q.q, q.limit),
    businesses.search(ctx, q.q, q.limit),
    links.searchMembers(ctx, q.q, q.limit),
  ]);
  return {
    orgs: { items: orgRows.data.slice(0, orgLimit), more: orgRows.data.length > orgLimit },
    households: hh,
    businesses: bz,
    members: people,
    listOrg: searchListOrg(ctx.grants),
  };
}
