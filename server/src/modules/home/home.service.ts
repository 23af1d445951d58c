import type {
  HomeAccounts, HomeBreakdown, HomeBreakdownRow, HomeDepartment, HomeImports, HomeMemberLoads, HomeMembersWithoutAccounts,
  HomeMyLinks, HomeUnlinked, OrgLevel,
} from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import type { Grant } from '../auth/scope.ts';
import { within } from '../auth/scope.ts';
import * as imports from '../imports/imports.service.ts';
import * as links from '../links/links.service.ts';
import * as orgs from '../orgs/orgs.service.ts';
import { accountRoots, departmentGrants, importRoots, peopleRoots } from './home.policy.ts';
import * as repo from './home.repo.ts';

export interface Ctx { db: Db; grants: Grant[]; req: FastifyRequest }

/** How many names a card lists before "…and N more" (the page links to the full list). */
const LISTED = 8;

/** The org a card is about: the one asked for (inside `roots`, else 404), or the caller's own (their first root). */
async function targetOrg(ctx: Ctx, code: string | undefined, roots: string[]): Promise<repo.OrgRef> {
  if (code) {
    const org = await repo.orgByCode(ctx.db, code);
    if (!org || !within(org.path, roots)) throw errors.notFound();
    return org;
  }
  const [own] = await repo.orgsByPaths(ctx.db, roots);
  if (!own) throw errors.notFound();
  return own;
}

const ref = (o: repo.OrgRef) => ({ code: o.code, name: o.name, level: o.level as OrgLevel });
const linksCtx = (ctx: Ctx): links.Ctx => ({ db: ctx.db, grants: ctx.grants, req: ctx.req });

export async function unlinked(ctx: Ctx, code: string | undefined): Promise<HomeUnlinked> {
  const org = await targetOrg(ctx, code, peopleRoots(ctx.grants));
  const c = await links.coverage(linksCtx(ctx), org.code);
  return {
    org: ref(org), total: c.all.total, unlinked: c.all.unlinked,
    byKind: { households: c.households.unlinked, enterprises: c.enterprises.unlinked, shops: c.shops.unlinked, teams: c.teams.unlinked },
  };
}

/**
 * Members over or under the target load. The counts come from the coverage rollups; the names only for a village or
 * grid (a few dozen members, paged from links.service) — above that the rows per village say where to look.
 */
export async function memberLoads(ctx: Ctx, code: string | undefined): Promise<HomeMemberLoads> {
  const org = await targetOrg(ctx, code, peopleRoots(ctx.grants));
  const c = await links.coverage(linksCtx(ctx), org.code);
  const over: HomeMemberLoads['overList'] = [];
  const under: HomeMemberLoads['underList'] = [];
  if ((org.level === 'village' || org.level === 'grid') && (c.members.over || c.members.under)) {
    let cursor: string | undefined;
    do {
      const page = await links.members(linksCtx(ctx), { org: org.code, limit: 200, cursor });
      for (const m of page.data) {
        if (m.kind !== 'member') continue;
        if (m.loadStatus === 'over') over.push({ id: m.id, name: m.name, load: m.load });
        if (m.loadStatus === 'under') under.push({ id: m.id, name: m.name, load: m.load });
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return {
    org: ref(org), target: c.members.target, members: c.members.total, over: c.members.over, under: c.members.under,
    overList: over.sort((a, b) => b.load - a.load).slice(0, LISTED),
    underList: under.sort((a, b) => a.load - b.load).slice(0, LISTED),
  };
}

export async function membersWithoutAccounts(ctx: Ctx, code: string | undefined): Promise<HomeMembersWithoutAccounts> {
  const org = await targetOrg(ctx, code, peopleRoots(ctx.grants));
  const r = await repo.membersWithoutAccounts(ctx.db, org.path, LISTED);
  return { org: ref(org), members: r.members, withoutAccount: r.without, names: r.names };
}

export async function importsCard(ctx: Ctx, code: string | undefined): Promise<HomeImports> {
  const org = await targetOrg(ctx, code, importRoots(ctx.grants));
  const r = await imports.importAttention(ctx.db, ctx.req, org.path, 5);
  return {
    org: ref(org), waiting: r.waiting, failed: r.failed,
    jobs: r.jobs.map(({ job: j, orgCode }) => ({ id: j.id, kind: j.kind, status: j.status, fileName: j.fileName, orgCode, createdAt: j.createdAt })),
  };
}

/**
 * Worst first: the largest share of unlinked constituents, then most members without accounts, then most failed
 * imports; ties keep the tree's order. Pure, so the ordering is tested on its own terms too.
 */
export function worstFirst(rows: HomeBreakdownRow[]): HomeBreakdownRow[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.unlinkedShare - a.r.unlinkedShare || b.r.withoutAccount - a.r.withoutAccount
      || b.r.importsFailed - a.r.importsFailed || a.i - b.i)
    .map((x) => x.r);
}

/** The secretary's figures for each village of a town, or each town of the zone, worst first. */
export async function breakdown(ctx: Ctx, code: string | undefined): Promise<HomeBreakdown> {
  const org = await targetOrg(ctx, code, peopleRoots(ctx.grants));
  const children = await repo.territorialChildren(ctx.db, org.id);
  if (!children.length) return { org: ref(org), rows: [] };
  const paths = children.map((c) => c.path);
  const [c, without, attention] = await Promise.all([
    links.coverage(linksCtx(ctx), org.code),
    repo.withoutAccountsPerPath(ctx.db, paths),
    imports.importAttentionCounts(ctx.db, paths),
  ]);
  const cov = new Map(c.children.map((r) => [r.code, r]));
  const rows = children.map((o): HomeBreakdownRow => {
    const k = cov.get(o.code);
    const total = k?.all.total ?? 0;
    const unlinkedCount = k?.all.unlinked ?? 0;
    return {
      code: o.code, name: o.name, level: o.level as OrgLevel, total, unlinked: unlinkedCount,
      unlinkedShare: total ? Math.round((unlinkedCount / total) * 10000) / 10000 : 0,
      members: k?.members.total ?? 0, membersOver: k?.members.over ?? 0, membersUnder: k?.members.under ?? 0,
      withoutAccount: without.get(o.path) ?? 0,
      importsFailed: attention.get(o.path)?.failed ?? 0, importsWaiting: attention.get(o.path)?.waiting ?? 0,
    };
  });
  return { org: ref(org), rows: worstFirst(rows) };
}

/** 我联系的: the caller's own active links (their person's), newest first as links.service lists them. */
export async function myLinks(ctx: Ctx): Promise<HomeMyLinks> {
  const personId = ctx.req.auth!.account.personId;
  if (!personId) throw errors.forbidden('当前账号没有对应的党员，没有联户对象');
  const lc = linksCtx(ctx);
  const all: Awaited<ReturnType<typeof links.list>>['data'] = [];
  let cursor: string | undefined;
  do {
    const page = await links.list(lc, { person: personId, history: 'false', limit: 200, cursor });
    all.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const counts = await links.mine(lc);
  const own = ctx.grants.find((g) => g.role === 'member') ?? ctx.grants.find((g) => g.orgLevel === 'village');
  const coverage = await links.coverage(lc, own?.orgCode);
  const items = all
    .sort((a, b) => (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1) || a.constituentName.localeCompare(b.constituentName, 'zh-CN'))
    .map((l) => ({ householdId: l.householdId, businessId: l.businessId, kind: l.constituentKind, name: l.constituentName, role: l.role }));
  return {
    branch: own ? { code: own.orgCode, name: own.orgName, level: own.orgLevel as OrgLevel } : null,
    counts: { households: counts.households, enterprises: counts.enterprises, shops: counts.shops, teams: counts.teams },
    load: all.filter((l) => l.role === 'primary' && l.constituentKind === 'household').length,
    target: coverage.members.target,
    items: items.slice(0, 50),
    more: items.length > 50,
  };
}

/** The department's own card: its name, party org, parent and published number; members from the org's rollup. */
export async function department(ctx: Ctx): Promise<HomeDepartment> {
  const grants = departmentGrants(ctx.grants);
  const list = await Promise.all(grants.map((g) => orgs.getOrg(ctx.db, ctx.grants, g.orgCode)));
  const phones = await repo.publicPhones(ctx.db, list.map((o) => o.code));
  return {
    departments: list.map((o) => ({
      code: o.code, name: o.name, partyName: o.partyName, parentName: o.ancestors.at(-1)?.name ?? null,
      publicPhone: phones.get(o.code) ?? null, members: o.counts.members,
    })),
  };
}

export async function accounts(ctx: Ctx): Promise<HomeAccounts> {
  const r = await repo.accountsOverview(ctx.db, accountRoots(ctx.grants));
  const order = ['admin', 'office', 'leader', 'department', 'town', 'secretary', 'member'] as const;
  const byRole = new Map(r.byRole.map((x) => [x.role, x.accounts]));
  return {
    total: r.overview.total, disabled: r.overview.disabled, neverLoggedIn: r.overview.never_logged_in,
    mustChangePassword: r.overview.must_change_password,
    byRole: order.filter((k) => byRole.has(k)).map((k) => ({ role: k, accounts: byRole.get(k)! })),
  };
}
