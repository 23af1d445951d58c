import { z } from 'zod';
import type {
  Person, PersonCreate, PersonLeaveBody, PersonList, PersonListQuery, PersonTransferBody, PersonUpdate,
} from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { decrypt, encrypt, keyedHash } from '../../lib/crypto.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { maskPhone, phoneTail } from '../../lib/id-number.ts';
import { initials } from '../../lib/pinyin.ts';
import { appendAudit } from '../../plugins/audit.ts';
import type { Grant } from '../auth/scope.ts';
import { within, ZONE_CODE } from '../auth/scope.ts';
import { disableAccountsOfPeople } from '../auth/auth.service.ts';
import { handOverLinks, loadTarget, loadTargets, refreshCoverage } from '../links/links.service.ts';
import { assertCan, readRoots } from './people.policy.ts';
import { presentPerson } from './people.presenter.ts';
import * as repo from './people.repo.ts';

export interface Ctx { db: Db; ring: Keyring; grants: Grant[]; req: FastifyRequest }
type Issue = { path: string; message: string };

/** The links' end reason for each way of leaving the roster (links contracts: died, transferred, other). */
const LINK_END_REASON = { died: 'died', transferred_out: 'transferred', removed: 'other' } as const;

/** The org a query or a body names: within the caller's read scope, else 404. */
async function scopedOrg(ctx: Ctx, code: string, roots: string[]): Promise<repo.OrgRow> {
  const org = await repo.orgByCode(ctx.db, code);
  if (!org || !within(org.path, roots)) throw errors.notFound('组织不存在或无权查看');
  return org;
}

export type ListOptions = Omit<repo.ListFilter, 'after' | 'limit'>;

/** The list's (and the export's) filters in repository terms; 404 for an org outside the scope. */
export async function listOptions(ctx: Ctx, q: Omit<PersonListQuery, 'limit' | 'cursor'>): Promise<ListOptions> {
  const roots = readRoots(ctx.grants);
  const org = q.org ? await scopedOrg(ctx, q.org, roots) : undefined;
  const orgPath = org?.path;
  const bool = (v: 'true' | 'false' | undefined) => (v === undefined ? undefined : v === 'true');
  return {
    roots, orgPath, kind: q.kind, helperKind: q.helperKind, q: q.q, mobile: bool(q.mobile), dual: bool(q.dual),
    gridCode: q.grid, account: q.account, load: q.load,
    // The load filter compares each person with their own village's target (in SQL); the listed org's value is only
    // the fallback for a person whose org has none (no longer current).
    target: await loadTarget(ctx.db, org?.code ?? ZONE_CODE), left: q.left === 'true',
    sort: q.sort,
    // Age ascending (youngest first) is birth year descending.
    desc: (q.dir === 'desc') !== (q.sort === 'age'),
  };
}

export async function list(ctx: Ctx, q: PersonListQuery): Promise<PersonList> {
  const opts = await listOptions(ctx, q);
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.text, cursorPart.text, cursorPart.uuid])) : null;
  const rows = await repo.listPeople(ctx.db, { ...opts, after, limit: q.limit });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  const today = todayInShanghai();
  const targets = await loadTargets(ctx.db, [...new Set(page.map((r) => r.org_code))]);
  return {
    data: page.map((r) => presentPerson(r, ctx.grants, ctx.ring, targets.get(r.org_code) ?? opts.target, today)),
    nextCursor: more && last ? encodeCursor([last.k1, last.k2, last.id]) : null,
  };
}

/** One person the caller may read (current or left), else 404. */
async function load(ctx: Ctx, id: string): Promise<repo.PersonRow> {
  const roots = readRoots(ctx.grants);
  const row = await repo.findPerson(ctx.db, id);
  if (!row || !within(row.org_path, roots)) throw errors.notFound('人员不存在或无权查看');
  return row;
}

export async function get(ctx: Ctx, id: string): Promise<Person> {
  const row = await load(ctx, id);
  return presentPerson(row, ctx.grants, ctx.ring, await loadTarget(ctx.db, row.org_code), todayInShanghai());
}

/** A grid of the village (org of level grid under it), for create and edit; null clears it. */
async function resolveGrid(ctx: Ctx, gridCode: string | null | undefined, villagePath: string): Promise<string | null | undefined> {
  if (gridCode === undefined || gridCode === null) return gridCode;
  const grid = await repo.orgByCode(ctx.db, gridCode);
  if (!grid || grid.level !== 'grid' || !grid.path.startsWith(villagePath + '/')) {
    throw errors.validation('网格不属于该村（社区）', [{ path: 'gridCode', message: '网格不属于该村（社区）' }]);
  }
  return grid.id;
}

/** The person's own phone, stored as households store residents' phones: encrypted, keyed hash, last 4 digits. */
async function phoneValues(ctx: Ctx, phone: string | null | undefined, except: string | null) {
  if (phone === undefined) return {};
  if (phone === null) return { phoneEnc: null, phoneHash: null, phoneTail: null };
  const hash = keyedHash(ctx.ring, phone);
  if (await repo.phoneHolder(ctx.db, hash, except)) throw errors.conflict('该手机号码已登记为名册中其他人的号码');
  return { phoneEnc: encrypt(ctx.ring, phone), phoneHash: hash, phoneTail: phoneTail(phone) };
}

/** Checks a schema cannot express: a member's 入党日期 and flags, a helper's kind. */
function kindIssues(kind: 'member' | 'helper', v: { memberSince?: string | null; helperKind?: string | null; mobile?: boolean; birthYear?: string | null }): Issue[] {
  const issues: Issue[] = [];
  if (kind === 'member') {
    if (v.memberSince === null) issues.push({ path: 'memberSince', message: '党员须填写入党日期' });
    if (v.helperKind) issues.push({ path: 'helperKind', message: '党员不填写志愿者类别' });
    if (v.memberSince && v.memberSince < '1921-07-01') issues.push({ path: 'memberSince', message: '入党日期不能早于 1921-07-01' });
    if (v.memberSince && v.memberSince > todayInShanghai()) issues.push({ path: 'memberSince', message: '入党日期不能晚于今天' });
    if (v.memberSince && v.birthYear && Number(v.memberSince.slice(0, 4)) < Number(v.birthYear) + 14) {
      issues.push({ path: 'memberSince', message: '入党日期早于出生年份 + 14 年' });
    }
  } else {
    if (v.helperKind === null) issues.push({ path: 'helperKind', message: '请选择类别（志愿者、积极分子或非党干部）' });
    if (v.memberSince) issues.push({ path: 'memberSince', message: '非党员不填写入党日期' });
    if (v.mobile) issues.push({ path: 'mobile', message: '流动党员只适用于党员' });
  }
  return issues;
}

/** What the audit keeps of a person: everything but the phone, which is masked (the audit is not a copy of phones). */
function auditView(v: Record<string, unknown>, phone?: string | null) {
  const { phone: _p, ...rest } = v;
  return phone === undefined ? rest : { ...rest, phone: phone ? maskPhone(phone) : null };
}

function snapshot(ctx: Ctx, r: repo.PersonRow) {
  return {
    orgCode: r.org_code, kind: r.kind, helperKind: r.helper_kind, name: r.name, sex: r.sex, birthYear: r.birth_year,
    workPhone: r.work_phone, memberSince: r.member_since, mobile: r.mobile, dualRegistered: r.dual_registered,
    gridCode: r.grid_code, phone: r.phone_enc ? maskPhone(decrypt(ctx.ring, r.phone_enc)) : null, leftOn: r.left_on, leftReason: r.left_reason,
  };
}

export async function create(ctx: Ctx, b: PersonCreate): Promise<Person> {
  const org = await scopedOrg(ctx, b.orgCode, readRoots(ctx.grants));
  assertCan(ctx.grants, 'write', org.path);
  if (org.level !== 'village') throw errors.validation('人员须登记在村（社区）党组织下', [{ path: 'orgCode', message: '请选择村（社区）' }]);
  const issues = kindIssues(b.kind, { memberSince: b.memberSince ?? null, helperKind: b.helperKind ?? null, mobile: b.mobile, birthYear: b.birthYear });
  if (issues.length) throw errors.validation('请检查填写的内容', issues);
  const gridId = await resolveGrid(ctx, b.gridCode, org.path);
  const phone = await phoneValues(ctx, b.phone, null);
  const id = await ctx.db.transaction(async (tx) => {
    const pid = await repo.insertPerson(tx, org.id, b.kind, {
      name: b.name, nameInitials: initials(b.name), sex: b.sex, birthYear: b.birthYear, workPhone: b.workPhone,
      memberSince: b.memberSince, helperKind: b.kind === 'helper' ? b.helperKind : null, mobile: b.mobile,
      dualRegistered: b.dualRegistered, gridId, ...phone,
    });
    if (b.kind === 'member') await repo.bumpMembers(tx, org.id, 1);
    await refreshCoverage(tx, [org.id]);
    await appendAudit(tx, ctx.req, { action: 'person.create', entityType: 'person', entityId: pid, after: auditView(b, b.phone) });
    return pid;
  });
  return get(ctx, id);
}

/** A current person the caller may change: 404 outside the scope, 403 for a reader, 409 once they left the roster. */
async function loadForWrite(ctx: Ctx, id: string): Promise<repo.PersonRow> {
  const row = await load(ctx, id);
  assertCan(ctx.grants, 'write', row.org_path);
  if (row.left_on) throw errors.conflict('此人已不在名册中，不能修改');
  return row;
}

export async function update(ctx: Ctx, id: string, b: PersonUpdate): Promise<Person> {
  const row = await loadForWrite(ctx, id);
  const merged = {
    memberSince: b.memberSince === undefined ? row.member_since : b.memberSince,
    helperKind: b.helperKind === undefined ? row.helper_kind : b.helperKind,
    mobile: b.mobile ?? row.mobile,
    birthYear: b.birthYear === undefined ? row.birth_year : b.birthYear,
  };
  const issues = kindIssues(row.kind, merged);
  if (issues.length) throw errors.validation('请检查填写的内容', issues);
  const villagePath = row.org_path;
  const gridId = await resolveGrid(ctx, b.gridCode, villagePath);
  const phone = await phoneValues(ctx, b.phone, id);
  await ctx.db.transaction(async (tx) => {
    await repo.updatePerson(tx, id, {
      name: b.name, nameInitials: b.name === undefined ? undefined : initials(b.name), sex: b.sex, birthYear: b.birthYear,
      workPhone: b.workPhone, memberSince: b.memberSince, helperKind: b.helperKind, mobile: b.mobile,
      dualRegistered: b.dualRegistered, gridId, ...phone,
    });
    const before = snapshot(ctx, row);
    const changed = Object.fromEntries(Object.keys(b).filter((k) => k !== 'phone').map((k) => [k, before[k as keyof typeof before]]));
    await appendAudit(tx, ctx.req, {
      action: 'person.update', entityType: 'person', entityId: id,
      before: b.phone === undefined ? changed : { ...changed, phone: before.phone }, after: auditView(b, b.phone),
    });
  });
  return get(ctx, id);
}

/**
 * 转出到其他支部: the person moves to another village branch in the caller's write scope. Their active links follow to
 * the member the secretary picked (`linksTo`, a current member of the old branch) or end (reason `transferred`); the
 * grid is cleared; member counts and coverage of both villages follow; a member's login moves with them. One
 * transaction, audited.
 */
export async function transfer(ctx: Ctx, id: string, b: PersonTransferBody): Promise<Person> {
  const row = await loadForWrite(ctx, id);
  const roots = readRoots(ctx.grants);
  const to = await scopedOrg(ctx, b.orgCode, roots);
  assertCan(ctx.grants, 'write', to.path);
  if (to.level !== 'village') throw errors.validation('只能转到村（社区）党支部', [{ path: 'orgCode', message: '请选择村（社区）' }]);
  if (to.id === row.org_id) throw errors.validation('已在该支部', [{ path: 'orgCode', message: '请选择其他支部' }]);
  if (b.linksTo) {
    const successor = await repo.findPerson(ctx.db, b.linksTo);
    if (!successor || !within(successor.org_path, roots)) throw errors.notFound('接替联户的党员不存在或无权查看');
    if (successor.id === id || successor.org_id !== row.org_id || successor.left_on) {
      throw errors.validation('接替联户的须是原支部的其他在册人员', [{ path: 'linksTo', message: '请选择原支部的其他人员' }]);
    }
  }
  const today = todayInShanghai();
  const on = b.on ?? today;
  if (on > today) throw errors.validation('转出日期不能晚于今天', [{ path: 'on', message: '转出日期不能晚于今天' }]);
  await ctx.db.transaction(async (tx) => {
    const locked = await repo.lockPerson(tx, id);
    if (!locked || locked.left_on || locked.org_id !== row.org_id) throw errors.conflict('此人的名册信息刚被修改，请刷新后重试');
    const links = await handOverLinks(tx, ctx.req, id, b.linksTo ?? null, 'transferred', on);
    await repo.moveToOrg(tx, id, to.id);
    const accounts = await repo.moveMemberRoles(tx, id, row.org_id, to.id);
    if (row.kind === 'member') {
      await repo.bumpMembers(tx, row.org_id, -1);
      await repo.bumpMembers(tx, to.id, 1);
    }
    await refreshCoverage(tx, [row.org_id, to.id]);
    await appendAudit(tx, ctx.req, {
      action: 'person.transfer', entityType: 'person', entityId: id,
      before: { orgCode: row.org_code, gridCode: row.grid_code },
      after: { orgCode: to.code, gridCode: null, on, linksTo: b.linksTo ?? null, links, accountsMoved: accounts },
    });
  });
  return get(ctx, id);
}

/**
 * 去世 / 迁出 / 除名: the person leaves the roster (the row stays: links, visits keep their owner). Their active links end
 * with that reason, their accounts are disabled (sessions end at once), member counts and coverage follow. One
 * transaction, audited.
 */
export async function leave(ctx: Ctx, id: string, b: PersonLeaveBody): Promise<Person & { linksEnded: number; accountsDisabled: number }> {
  const row = await loadForWrite(ctx, id);
  if (b.on > todayInShanghai()) throw errors.validation('日期不能晚于今天', [{ path: 'on', message: '日期不能晚于今天' }]);
  if (row.member_since && b.on < row.member_since) throw errors.validation(`日期不能早于入党日期（${row.member_since}）`, [{ path: 'on', message: `不能早于 ${row.member_since}` }]);
  const result = await ctx.db.transaction(async (tx) => {
    if (!(await repo.markLeft(tx, id, b.on, b.reason))) throw errors.conflict('此人已不在名册中');
    const linksEnded = await handOverLinks(tx, ctx.req, id, null, LINK_END_REASON[b.reason], b.on);
    const accountsDisabled = await disableAccountsOfPeople(tx, ctx.req, [id], 'left_roster');
    if (row.kind === 'member') await repo.bumpMembers(tx, row.org_id, -1);
    await refreshCoverage(tx, [row.org_id]);
    await appendAudit(tx, ctx.req, {
      action: 'person.leave', entityType: 'person', entityId: id,
      before: { leftOn: null, leftReason: null, gridCode: row.grid_code },
      after: { leftOn: b.on, leftReason: b.reason, note: b.note ?? null, gridCode: null, linksEnded, accountsDisabled },
    });
    return { linksEnded, accountsDisabled };
  });
  return { ...(await get(ctx, id)), ...result };
}

/** The audited way to see a person's full phone: who, when, whose, and why. */
export async function reveal(ctx: Ctx, id: string, reason: string): Promise<string | null> {
  const row = await load(ctx, id);
  assertCan(ctx.grants, 'reveal', row.org_path);
  await appendAudit(ctx.db, ctx.req, { action: 'person.reveal', entityType: 'person', entityId: id, after: { field: 'phone', reason } });
  return row.phone_enc ? decrypt(ctx.ring, row.phone_enc) : null;
}

/**
 * Who a person is, for another module's own scope rule (一群 in modules/notifications): name, org path, left or not.
 * No scope check here — the caller decides; null when unknown.
 */
export async function personRef(db: Db, id: string): Promise<{ id: string; name: string; orgPath: string; left: boolean } | null> {
  const row = await repo.findPerson(db, id);
  return row ? { id: row.id, name: row.name, orgPath: row.org_path, left: row.left_on !== null } : null;
}
