import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { likePrefix } from '../../lib/paths.ts';
import { refreshCoverage } from '../links/links.service.ts';

/**
 * Restructuring keeps history: the current version of every affected org is copied into org_history with its
 * [validFrom, on) range before the orgs row changes, so `treeAsOf(date)` answers for any past day. Each operation is
 * one transaction with its audit events. The office reaches them through `orgs.service` previewRestructure /
 * applyRestructure (POST /api/v1/orgs/:code/restructure/preview|apply).
 */
/** Who did it (the seed and tests pass null); `req`, when given, adds the address and request id to the audit. */
type Actor = { id: string; username: string } | null;

type Current = { id: string; code: string; name: string; short_name: string; level: string; parent_id: string | null; path: string; valid_from: string }

async function current(tx: Db, code: string): Promise<Current> {
  const { rows } = await tx.execute<Current>(sql`
    SELECT id, code, name, short_name, level, parent_id, path, valid_from FROM orgs
    WHERE code = ${code} AND valid_to IS NULL FOR UPDATE`);
  if (!rows[0]) throw errors.notFound(`组织 ${code} 不存在`);
  return rows[0];
};

/** Copy the current versions of an org (and optionally its subtree) into history, ending them on `on`. */
async function archive(tx: Db, path: string, on: string, change: string, subtree: boolean): Promise<void> {
  const scope = subtree ? sql`(path = ${path} OR path LIKE ${likePrefix(path)})` : sql`path = ${path}`;
  const { rows } = await tx.execute<{ bad: number }>(sql`
    SELECT count(*)::int AS bad FROM orgs WHERE ${scope} AND valid_to IS NULL AND valid_from > ${on}::date`);
  if (rows[0]!.bad > 0) throw errors.conflict('生效日期早于该组织当前版本的生效日期');
  // A second change on the same day replaces that day's version instead of adding an empty [d, d) range.
  await tx.execute(sql`
    INSERT INTO org_history (org_id, code, name, short_name, level, parent_id, path, valid_from, valid_to, change)
    SELECT id, code, name, short_name, level, parent_id, path, valid_from, ${on}::date, ${change}
    FROM orgs WHERE ${scope} AND valid_to IS NULL AND valid_from < ${on}::date`);
}

export async function renameOrg(db: Db, actor: Actor, code: string, name: string, shortName: string, on: string, req: FastifyRequest | null = null): Promise<void> {
  await db.transaction(async (tx) => {
    const o = await current(tx, code);
    await archive(tx, o.path, on, 'rename', false);
    await tx.execute(sql`UPDATE orgs SET name = ${name}, short_name = ${shortName}, valid_from = ${on}::date, updated_at = now() WHERE id = ${o.id}`);
    await appendAudit(tx, req, { actor, action: 'org.rename', entityType: 'org', entityId: code, before: { name: o.name, shortName: o.short_name }, after: { name, shortName, on } });
  });
}

async function moveSubtree(tx: Db, o: Current, to: Current, on: string): Promise<void> {
  if (to.path === o.path || to.path.startsWith(o.path + '/')) throw errors.conflict('不能移动到自身或其下级');
  await archive(tx, o.path, on, 'move', true);
  const newPath = `${to.path}/${o.code}`;
  // Descendants keep their relative paths; depth follows the new path.
  await tx.execute(sql`
    UPDATE orgs SET path = ${newPath} || substr(path, ${o.path.length + 1}),
                    depth = array_length(string_to_array(${newPath} || substr(path, ${o.path.length + 1}), '/'), 1) - 1,
                    valid_from = ${on}::date, updated_at = now()
    WHERE (path = ${o.path} OR path LIKE ${likePrefix(o.path)}) AND valid_to IS NULL`);
  await tx.execute(sql`UPDATE orgs SET parent_id = ${to.id} WHERE id = ${o.id}`);
}

export async function moveOrg(db: Db, actor: Actor, code: string, toParentCode: string, on: string, req: FastifyRequest | null = null): Promise<void> {
  await db.transaction(async (tx) => {
    const o = await current(tx, code);
    const to = await current(tx, toParentCode);
    await moveSubtree(tx, o, to, on);
    // A moved village now inherits its new town's target load: its members' under/within/over counts follow.
    const { rows: moved } = await tx.execute<{ id: string }>(sql`
      SELECT id FROM orgs WHERE valid_to IS NULL AND (path = ${`${to.path}/${o.code}`} OR path LIKE ${likePrefix(`${to.path}/${o.code}`)})`);
    await refreshCoverage(tx, moved.map((r) => r.id));
    await appendAudit(tx, req, { actor, action: 'org.move', entityType: 'org', entityId: code, before: { path: o.path }, after: { parent: toParentCode, on } });
  });
}

/**
 * Merge `fromCode` into `intoCode`: the absorbed org ends on `on` (its row stays, so past statistics keep their
 * owner), its children move under the survivor, and its current people, households, businesses and active links move
 * to the survivor, whose coverage is recomputed.
 */
export async function mergeOrgs(db: Db, actor: Actor, fromCode: string, intoCode: string, on: string, req: FastifyRequest | null = null): Promise<void> {
  await db.transaction(async (tx) => {
    const from = await current(tx, fromCode);
    const into = await current(tx, intoCode);
    if (from.id === into.id) throw errors.conflict('不能合并到自身');
    const { rows: kids } = await tx.execute<{ code: string }>(sql`SELECT code FROM orgs WHERE parent_id = ${from.id} AND valid_to IS NULL`);
    for (const k of kids) await moveSubtree(tx, await current(tx, k.code), into, on);
    // The absorbed org's last version stays in orgs itself, closed by valid_to — no history copy, or it would count twice.
    if (from.valid_from > on) throw errors.conflict('生效日期早于该组织当前版本的生效日期');
    await tx.execute(sql`UPDATE orgs SET valid_to = ${on}::date, merged_into_id = ${into.id}, updated_at = now() WHERE id = ${from.id}`);
    await tx.execute(sql`UPDATE people SET org_id = ${into.id} WHERE org_id = ${from.id}`);
    await tx.execute(sql`UPDATE households SET org_id = ${into.id} WHERE org_id = ${from.id}`);
    await tx.execute(sql`UPDATE businesses SET org_id = ${into.id} WHERE org_id = ${from.id}`);
    // Current links follow their constituents; ended ones keep the org they were made in (history keeps its owner).
    await tx.execute(sql`UPDATE links SET org_id = ${into.id} WHERE org_id = ${from.id} AND ends_on IS NULL`);
    await tx.execute(sql`
      INSERT INTO org_rollups (org_id, members, households, updated_at)
      SELECT ${into.id}::uuid, coalesce(sum(members), 0), coalesce(sum(households), 0), now() FROM org_rollups WHERE org_id IN (${into.id}, ${from.id})
      ON CONFLICT (org_id) DO UPDATE SET members = excluded.members, households = excluded.households, updated_at = now()`);
    await tx.execute(sql`UPDATE org_rollups SET members = 0, households = 0, updated_at = now() WHERE org_id = ${from.id}`);
    // Coverage is summed over current orgs only: the survivor's row must now count what it absorbed.
    await tx.execute(sql`DELETE FROM coverage_rollups WHERE org_id = ${from.id}`);
    await refreshCoverage(tx, [into.id]);
    await appendAudit(tx, req, { actor, action: 'org.merge', entityType: 'org', entityId: fromCode, before: { path: from.path }, after: { into: intoCode, on } });
  });
}

export type VersionRow = { code: string; name: string; short_name: string; path: string }

/** The tree (or a subtree, by root code path) as it stood on `on`: history rows ∪ current rows valid that day. */
export async function treeAsOf(db: Db, on: string, rootPath?: string): Promise<VersionRow[]> {
  const scope = rootPath ? sql`AND (path = ${rootPath} OR path LIKE ${likePrefix(rootPath)})` : sql``;
  const { rows } = await db.execute<VersionRow>(sql`
    SELECT code, name, short_name, path FROM org_history
    WHERE valid_from <= ${on}::date AND valid_to > ${on}::date ${scope}
    UNION ALL
    SELECT code, name, short_name, path FROM orgs
    WHERE valid_from <= ${on}::date AND (valid_to IS NULL OR valid_to > ${on}::date) ${scope}
    ORDER BY path`);
  return rows;
};

export type MergeCounts = { people: number; households: number; businesses: number; activeLinks: number; grids: number };

/** What a merge of `fromId` would move to the survivor, counted exactly as mergeOrgs moves it (nothing written). */
export async function mergeCounts(db: Db, fromId: string): Promise<MergeCounts> {
  const { rows } = await db.execute<MergeCounts>(sql`
    SELECT (SELECT count(*) FROM people WHERE org_id = ${fromId})::int AS people,
           (SELECT count(*) FROM households WHERE org_id = ${fromId})::int AS households,
           (SELECT count(*) FROM businesses WHERE org_id = ${fromId})::int AS businesses,
           (SELECT count(*) FROM links WHERE org_id = ${fromId} AND ends_on IS NULL)::int AS "activeLinks",
           (SELECT count(*) FROM orgs WHERE parent_id = ${fromId} AND valid_to IS NULL AND level = 'grid')::int AS grids`);
  return rows[0]!;
}
