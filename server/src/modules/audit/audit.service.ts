import type { AuditCatalogue, AuditEvent, AuditExportBody, AuditGroup, AuditList, AuditQuery } from '@lianxin/contracts';
import { auditGroups } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import type { Grant } from '../auth/scope.ts';
import * as households from '../households/households.service.ts';
import { assertCanReadHistory, assertCanReview, registryBodiesHidden } from './audit.policy.ts';
import { ACTION_LABELS, GROUP_LABELS, groupFilter, presentEvent } from './audit.presenter.ts';
import * as repo from './audit.repo.ts';

export interface Ctx { db: Db; ring: Keyring; grants: Grant[]; req: FastifyRequest }

type Filters = Omit<AuditQuery, 'limit' | 'cursor'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** (at, id) of the last row; id is a bigserial, within what a JS number holds exactly. */
const cursorSchema = z.tuple([cursorPart.timestamp, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)])
  .transform(([at, id]) => ({ at, id }));

/** The query's filters as repository conditions: a username becomes its account, a group its actions, a household its residents too. */
async function toFilter(ctx: Ctx, q: Filters): Promise<Omit<repo.EventFilter, 'after' | 'limit'>> {
  const f: Omit<repo.EventFilter, 'after' | 'limit'> = { from: q.from, to: q.to, ip: q.ip };
  if (q.actor) f.actorAccountId = UUID.test(q.actor) ? q.actor.toLowerCase() : await repo.accountIdByUsername(ctx.db, q.actor);
  if (q.group) Object.assign(f, groupFilter(q.group));
  // An exact action or a prefix, ANDed with the group when both are given (an action outside the group finds nothing).
  if (q.action?.endsWith('.')) f.actionPrefixes = [...(f.actionPrefixes ?? []), q.action];
  else if (q.action) f.actions = f.actions ? f.actions.filter((a) => a === q.action) : [q.action];
  if (q.household) {
    f.entities = [{ type: 'household', ids: [q.household] }, { type: 'resident', ids: await repo.residentIdsOf(ctx.db, q.household) }];
  } else if (q.entityId && !q.entityType) {
    throw errors.validation('按对象查询需同时选择对象类型', [{ path: 'querystring/entityType', message: '请选择对象类型' }]);
  } else if (q.entityType && q.entityId) {
    f.entities = [{ type: q.entityType, ids: [q.entityId] }];
  } else if (q.entityType) {
    f.entityType = q.entityType;
  }
  return f;
}

async function page(ctx: Ctx, f: Omit<repo.EventFilter, 'after' | 'limit'>, limit: number, cursor: string | undefined, hidden: boolean): Promise<AuditList> {
  const rows = await repo.searchEvents(ctx.db, { ...f, after: cursor ? decodeCursor(cursor, cursorSchema) : null, limit });
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return { data: await present(ctx, pageRows, hidden), nextCursor: more && last ? encodeCursor([last.at, last.id]) : null };
}

async function present(ctx: Ctx, rows: repo.EventRow[], hidden: boolean): Promise<AuditEvent[]> {
  const ids: Record<string, string[]> = {};
  for (const r of rows) if (r.entity_type && r.entity_id) (ids[r.entity_type] ??= []).push(r.entity_id);
  const names = await repo.objectNames(ctx.db, ids);
  return rows.map((r) => presentEvent(r, names, hidden));
}

export async function search(ctx: Ctx, q: AuditQuery): Promise<AuditList> {
  assertCanReview(ctx.grants);
  return page(ctx, await toFilter(ctx, q), q.limit, q.cursor, registryBodiesHidden(ctx.grants));
}

export function catalogue(ctx: Ctx): AuditCatalogue {
  assertCanReview(ctx.grants);
  return {
    groups: auditGroups.map((key: AuditGroup) => ({ key, label: GROUP_LABELS[key] })),
    actions: Object.entries(ACTION_LABELS).map(([action, label]) => ({ action, label })),
    registryBodiesHidden: registryBodiesHidden(ctx.grants),
  };
}

/**
 * Who viewed (revealed), exported or changed a household and its residents, newest first, with each reveal's reason.
 * Scope through households.service.get: a household the caller cannot read is a 404 there.
 */
export async function accessHistory(ctx: Ctx, householdId: string, q: { limit: number; cursor?: string }): Promise<AuditList> {
  const h = await households.get(ctx, householdId);
  assertCanReadHistory(h.abilities);
  return page(ctx, await toFilter(ctx, { household: householdId }), q.limit, q.cursor, false);
}

/** For the export: every matching event, in keyset batches (never the whole result in memory). */
export async function* eventsForExport(ctx: Ctx, q: AuditExportBody, batch: number): AsyncGenerator<AuditEvent[]> {
  assertCanReview(ctx.grants);
  const f = await toFilter(ctx, q);
  const hidden = registryBodiesHidden(ctx.grants);
  let after: repo.EventFilter['after'] = null;
  for (;;) {
    const rows = await repo.searchEvents(ctx.db, { ...f, after, limit: batch });
    const pageRows = rows.slice(0, batch);
    yield await present(ctx, pageRows, hidden);
    if (rows.length <= batch) return;
    const last = pageRows[pageRows.length - 1]!;
    after = { at: last.at, id: last.id };
  }
}
