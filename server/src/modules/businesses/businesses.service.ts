import { z } from 'zod';
import type { Business, BusinessCreate, BusinessList, BusinessListQuery, BusinessUpdate, SearchBusiness } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { uniqueAs409 } from '../../lib/unique-violation.ts';
import { decrypt, encrypt } from '../../lib/crypto.ts';
import { maskPhone, phoneTail } from '../../lib/id-number.ts';
import { initials } from '../../lib/pinyin.ts';
import { appendAudit } from '../../plugins/audit.ts';
import type { Grant } from '../auth/scope.ts';
import { registryRoots, within } from '../auth/scope.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { refreshCoverage } from '../links/links.service.ts';
import { isValidCreditCode } from '../../lib/credit-code.ts';
import { assertCan, assertReader, assertRegistryRole, readerOf, readRoots, type Reader } from './businesses.policy.ts';
import { presentBusiness } from './businesses.presenter.ts';
import * as repo from './businesses.repo.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';

export interface Ctx { db: Db; ring: Keyring; grants: Grant[]; req: FastifyRequest }

type Issue = { path: string; message: string };

function reader(ctx: Ctx): Reader {
  return readerOf(ctx.grants, ctx.req.auth?.account.personId ?? null);
}

/** Is the calling member (if any) the business's member now? Only that link, never the village, opens its phone. */
async function linkedToCaller(ctx: Ctx, businessId: string): Promise<boolean> {
  const personId = reader(ctx).personId;
  return personId ? repo.isLinkedNow(ctx.db, businessId, personId) : false;
}

/**
 * Businesses for the header's search: registry readers by subtree; a member the businesses linked to them now (the
 * people they visit, as with households); null for roles that see none. Names and addresses only, as in the list.
 */
export async function search(ctx: Ctx, q: string, limit: number): Promise<{ items: SearchBusiness[]; more: boolean } | null> {
  const roots = readRoots(ctx.grants);
  const personId = ctx.grants.some((g) => g.role === 'member') ? ctx.req.auth?.account.personId ?? null : null;
  if (!roots.length && !personId) return null;
  const rows = await repo.searchBusinesses(ctx.db, roots, personId, q, limit);
  return {
    items: rows.slice(0, limit).map((r) => ({
      id: r.id, kind: r.kind, name: r.name, address: r.address, orgCode: r.org_code, orgName: r.org_name, match: r.match,
    })),
    more: rows.length > limit,
  };
}

export async function list(ctx: Ctx, q: BusinessListQuery): Promise<BusinessList> {
  const rd = reader(ctx);
  assertReader(rd);
  let orgPath: string | undefined;
  if (q.org) {
    const org = await repo.orgByCode(ctx.db, q.org);
    if (!org || !(within(org.path, rd.roots) || (rd.personId && within(org.path, rd.memberBranches)))) throw errors.notFound();
    orgPath = org.path;
  }
  const rows = await repo.listBusinesses(ctx.db, {
    reader: rd, orgPath, kind: q.kind, q: q.q, unlinked: q.unlinked === undefined ? undefined : q.unlinked === 'true', after: q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.int, cursorPart.text, cursorPart.uuid]).transform(([sort, name, id]) => ({ sort, name, id }))) : null, limit: q.limit,
  });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  // A member's list holds only their own businesses: each row offers them the reveal of its contact phone.
  const own = !!rd.personId;
  return { data: page.map((r) => presentBusiness(r, ctx.grants, ctx.ring, own && !within(r.org_path, rd.roots))), nextCursor: more ? encodeCursor([page[page.length - 1]!.org_sort, page[page.length - 1]!.name, page[page.length - 1]!.id]) : null };
}

async function load(ctx: Ctx, id: string): Promise<repo.BusinessRow> {
  const rd = reader(ctx);
  assertReader(rd);
  const row = await repo.findBusiness(ctx.db, id, rd);
  if (!row) throw errors.notFound();
  return row;
}

export async function get(ctx: Ctx, id: string): Promise<Business> {
  const row = await load(ctx, id);
  return presentBusiness(row, ctx.grants, ctx.ring, await linkedToCaller(ctx, id));
}

async function resolveGrid(db: Db, gridCode: string | null | undefined, villagePath: string): Promise<string | null | undefined> {
  if (gridCode === undefined) return undefined;
  if (gridCode === null) return null;
  const grid = await repo.orgByCode(db, gridCode);
  if (!grid || grid.level !== 'grid' || !grid.path.startsWith(villagePath + '/')) {
    throw errors.validation('网格不属于该村（社区）', [{ path: 'gridCode', message: '网格不属于该村（社区）' }]);
  }
  return grid.id;
}

/** Rules about the resulting record that no schema expresses: a team's parent, credit codes and their check character. */
function shapeIssues(kind: repo.BusinessRow['kind'], r: { parentId?: string | null; creditCode?: string | null }, parentGiven: boolean): Issue[] {
  const issues: Issue[] = [];
  if (kind === 'team' && parentGiven && !r.parentId) issues.push({ path: 'parentId', message: '班组须属于本村（社区）的一家企业' });
  if (kind !== 'team' && r.parentId) issues.push({ path: 'parentId', message: '只有班组可以指定所属企业' });
  if (r.creditCode) {
    if (kind === 'team') issues.push({ path: 'creditCode', message: '班组没有统一社会信用代码' });
    else if (!isValidCreditCode(r.creditCode)) issues.push({ path: 'creditCode', message: '统一社会信用代码校验位不正确' });
  }
  return issues;
}

const parentIssue = () => errors.validation('班组须属于本村（社区）的一家企业', [{ path: 'parentId', message: '所属企业不存在、不是企业或不在本村（社区）' }]);

/** Inside the transaction: the parent is a live enterprise of the same village, locked against a concurrent removal. */
async function checkParent(tx: Db, parentId: string, orgId: string): Promise<void> {
  const p = await repo.lockEnterprise(tx, parentId);
  if (!p || p.kind !== 'enterprise' || p.org_id !== orgId) throw parentIssue();
}

/** Inside the transaction: no other live business holds the code. The advisory lock makes check-then-insert race-safe. */
async function checkCreditCode(ctx: Ctx, tx: Db, code: string, except?: string): Promise<void> {
  await repo.lockCreditCode(tx, code);
  const existing = await repo.liveByCreditCode(tx, code, except);
  if (!existing) return;
  // Only point to the existing business when the caller may see it; otherwise say only that it exists.
  const visible = within(existing.org_path, readRoots(ctx.grants));
  throw errors.conflict('该统一社会信用代码已登记', [{ creditCode: code, businessId: visible ? existing.id : null }]);
}

/** A concurrent import that registered the same code (the unique index, not our lock, caught it) is 409, not 500. */
const guardCreditCode = <T>(fn: () => Promise<T>) => uniqueAs409('businesses_credit_code_live_key', '该统一社会信用代码已登记', fn);

/** Masked snapshot for audit before/after: the audit log must not become a second copy of the contact phone. */
function auditView(b: Partial<BusinessCreate>) {
  return { ...b, contactPhone: b.contactPhone ? maskPhone(b.contactPhone) : b.contactPhone };
}

function rowView(r: repo.BusinessRow, ring: Keyring) {
  return {
    kind: r.kind, orgCode: r.org_code, gridCode: r.grid_code, parentId: r.parent_id, name: r.name, address: r.address,
    creditCode: r.credit_code, contactName: r.contact_name, employees: r.employees,
    contactPhone: r.contact_phone_enc ? maskPhone(decrypt(ring, r.contact_phone_enc)) : null,
  };
}

export async function create(ctx: Ctx, body: BusinessCreate): Promise<Business> {
  assertRegistryRole(ctx.grants);
  const org = await repo.orgByCode(ctx.db, body.orgCode);
  if (!org || !within(org.path, readRoots(ctx.grants))) throw errors.notFound('组织不存在或无权查看');
  assertCan(ctx.grants, 'write', org.path);
  const issues = shapeIssues(body.kind, body, true);
  if (org.level !== 'village') issues.push({ path: 'orgCode', message: '请选择村（社区）' });
  if (issues.length) throw errors.validation('请检查填写的内容', issues);
  const gridId = await resolveGrid(ctx.db, body.gridCode, org.path);
  const id = await guardCreditCode(() => ctx.db.transaction(async (tx) => {
    if (body.kind === 'team') await checkParent(tx, body.parentId!, org.id);
    if (body.creditCode) await checkCreditCode(ctx, tx, body.creditCode);
    const { rows } = await tx.execute<{ id: string }>(sql`
      INSERT INTO businesses (kind, org_id, grid_id, parent_id, name, name_initials, address, credit_code, contact_name,
                              contact_phone_enc, contact_phone_tail, employees)
      VALUES (${body.kind}, ${org.id}, ${gridId ?? null}, ${body.parentId ?? null}, ${body.name}, ${initials(body.name)},
              ${body.address}, ${body.creditCode ?? null}, ${body.contactName ?? null},
              ${body.contactPhone ? encrypt(ctx.ring, body.contactPhone) : null}, ${body.contactPhone ? phoneTail(body.contactPhone) : null},
              ${body.employees ?? null})
      RETURNING id`);
    const bid = rows[0]!.id;
    await appendAudit(tx, ctx.req, { action: 'business.create', entityType: 'business', entityId: bid, after: auditView(body) });
    await refreshCoverage(tx, [org.id]); // the village's coverage counts it from now on
    return bid;
  }));
  return get(ctx, id);
}

export async function update(ctx: Ctx, id: string, body: BusinessUpdate): Promise<Business> {
  const row = await load(ctx, id);
  assertCan(ctx.grants, 'write', row.org_path);
  const issues = shapeIssues(row.kind, body, body.parentId !== undefined);
  if (issues.length) throw errors.validation('请检查填写的内容', issues);
  const gridId = await resolveGrid(ctx.db, body.gridCode, row.org_path);
  const keep = (column: string) => sql.raw(column);
  await guardCreditCode(() => ctx.db.transaction(async (tx) => {
    if (row.kind === 'team' && body.parentId) await checkParent(tx, body.parentId, row.org_id);
    if (body.creditCode && body.creditCode !== row.credit_code) await checkCreditCode(ctx, tx, body.creditCode, id);
    const { rows } = await tx.execute<{ id: string }>(sql`
      UPDATE businesses SET
        name = ${body.name ?? keep('name')},
        name_initials = ${body.name ? initials(body.name) : keep('name_initials')},
        address = ${body.address ?? keep('address')},
        grid_id = ${gridId === undefined ? keep('grid_id') : gridId},
        parent_id = ${body.parentId === undefined ? keep('parent_id') : body.parentId},
        credit_code = ${body.creditCode === undefined ? keep('credit_code') : body.creditCode},
        contact_name = ${body.contactName === undefined ? keep('contact_name') : body.contactName},
        contact_phone_enc = ${body.contactPhone === undefined ? keep('contact_phone_enc') : body.contactPhone === null ? null : encrypt(ctx.ring, body.contactPhone)},
        contact_phone_tail = ${body.contactPhone === undefined ? keep('contact_phone_tail') : body.contactPhone === null ? null : phoneTail(body.contactPhone)},
        employees = ${body.employees === undefined ? keep('employees') : body.employees},
        updated_at = now()
      WHERE id = ${id} AND removed_at IS NULL
      RETURNING id`);
    if (!rows.length) throw errors.notFound(); // removed meanwhile
    await appendAudit(tx, ctx.req, {
      action: 'business.update', entityType: 'business', entityId: id, before: rowView(row, ctx.ring), after: auditView(body),
    });
  }));
  return get(ctx, id);
}

/** Soft delete (removed_at), audited; an enterprise's live teams are removed with it, each with its own audit event. */
export async function remove(ctx: Ctx, id: string, reason: string): Promise<string[]> {
  const row = await load(ctx, id);
  assertCan(ctx.grants, 'write', row.org_path);
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ id: string }>(sql`
      UPDATE businesses SET removed_at = now(), updated_at = now() WHERE id = ${id} AND removed_at IS NULL RETURNING id`);
    if (!rows.length) throw errors.notFound(); // removed meanwhile
    await appendAudit(tx, ctx.req, { action: 'business.remove', entityType: 'business', entityId: id, before: rowView(row, ctx.ring), after: { reason } });
    const removed = [id];
    if (row.kind === 'enterprise') {
      const teams = await tx.execute<{ id: string; name: string }>(sql`
        UPDATE businesses SET removed_at = now(), updated_at = now()
        WHERE parent_id = ${id} AND kind = 'team' AND removed_at IS NULL RETURNING id, name`);
      for (const t of teams.rows) {
        await appendAudit(tx, ctx.req, {
          action: 'business.remove', entityType: 'business', entityId: t.id, before: { kind: 'team', name: t.name, parentId: id },
          after: { reason, cascadeFrom: id },
        });
        removed.push(t.id);
      }
    }
    // A removed business has no member any more: its links end (never deleted), and the village's coverage follows.
    await tx.execute(sql`
      UPDATE links SET ends_on = greatest(starts_on, ${todayInShanghai()}::date), end_reason = 'constituent_left'
      WHERE ends_on IS NULL AND business_id IN (${sql.join(removed.map((r) => sql`${r}::uuid`), sql`, `)})`);
    // Its 联系卡 would keep opening a page for a business that is gone: void them (the QR then says 已作废).
    await tx.execute(sql`
      UPDATE contact_cards SET revoked_at = now()
      WHERE revoked_at IS NULL AND business_id IN (${sql.join(removed.map((r) => sql`${r}::uuid`), sql`, `)})`);
    await refreshCoverage(tx, [row.org_id]);
    return removed;
  });
}

/** The audited way to see a full contact phone: who, when, which business, and why. */
export async function reveal(ctx: Ctx, id: string, field: 'contactPhone', reason: string): Promise<string | null> {
  const row = await load(ctx, id);
  // A member calls the businesses linked to them: the contact phone of those, audited like any reveal.
  const asMember = !within(row.org_path, registryRoots(ctx.grants, 'reveal')) && (await linkedToCaller(ctx, id));
  if (!asMember) assertCan(ctx.grants, 'reveal', row.org_path);
  const value = row.contact_phone_enc ? decrypt(ctx.ring, row.contact_phone_enc) : null;
  await appendAudit(ctx.db, ctx.req, { action: 'business.reveal', entityType: 'business', entityId: id, after: { field, reason, ...(asMember ? { asLinkedMember: true } : {}) } });
  return value;
}

/** Fills contact_phone_tail for businesses written before it existed (see households.service fillPhoneTails). */
export async function fillContactPhoneTails(db: Db, ring: Keyring): Promise<number> {
  let n = 0;
  for (;;) {
    const rows = await repo.businessesMissingTail(db, 1000);
    if (!rows.length) return n;
    await repo.setContactPhoneTails(db, rows.map((r) => r.id), rows.map((r) => phoneTail(decrypt(ring, r.contact_phone_enc))));
    n += rows.length;
  }
}
