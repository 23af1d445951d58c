import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type {
  AccountCreate, AccountList, AccountListQuery, AccountPerson, AccountRoleInput, AccountUpdate, AccountWithPassword, GrantableRoles,
  ManagedAccount, Role, SlipBatch,
} from '@lianxin/contracts';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { decrypt } from '../../lib/crypto.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { issueDownloadToken, redeemDownloadToken } from '../../lib/download-tokens.ts';
import { generateOneTimePassword } from '../../lib/passwords.ts';
import { pinyinKeys } from '../../lib/pinyin.ts';
import { uniqueAs409 } from '../../lib/unique-violation.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { endSessions, hashPassword } from '../auth/auth.service.ts';
import type { Grant } from '../auth/scope.ts';
import { isWithin, registryRoots, within, ZONE_CODE } from '../auth/scope.ts';
import { chineseDate } from '../print/print.service.ts';
import { assertManager, canManage, grantProblem, reachesPath, ROLE_ORG_LEVELS, type AccountScope, type Reach } from './accounts.policy.ts';
import { auditSnapshot, presentAccount } from './accounts.presenter.ts';
import * as repo from './accounts.repo.ts';
import { renderSlipsPdf, type Slip } from './accounts.slips.ts';

export interface Ctx { db: Db; ring: Keyring; grants: Grant[]; req: FastifyRequest; publicUrl: string | null }

const SLIPS = 'account-slips';
/** Person-account creation is serialized (one account per person; bulk and single creates never race). */
const CREATE_LOCK = sql`SELECT pg_advisory_xact_lock(hashtext('lianxin.accounts.create'))`;

function scopeOf(row: repo.AccountRow): AccountScope {
  return { roles: row.roles.map((r) => ({ role: r.role, path: r.path })), personPath: row.person_path };
}

function callerId(ctx: Ctx): string {
  return ctx.req.auth!.account.id;
}

/** Coarse prefilter for lists: the reaches' subtrees, or null when one reaches the whole zone. */
function prefilterRoots(reaches: Reach[]): string[] | null {
  return reaches.some((r) => r.root === ZONE_CODE) ? null : reaches.map((r) => r.root);
}

const listCursor = z.tuple([cursorPart.text, cursorPart.uuid]).transform(([username, id]) => ({ username, id }));

export async function list(ctx: Ctx, q: AccountListQuery): Promise<AccountList> {
  const reaches = assertManager(ctx.grants);
  let orgPath: string | undefined;
  if (q.org) {
    const [org] = await repo.orgsByCodes(ctx.db, [q.org]);
    // The org itself or one above the caller's reach (a secretary filtering by their town sees their branch).
    if (!org || !reaches.some((r) => isWithin(org.path, r.root) || isWithin(r.root, org.path))) throw errors.notFound();
    orgPath = org.path;
  }
  const page: repo.AccountRow[] = [];
  let after = q.cursor ? decodeCursor(q.cursor, listCursor) : null;
  // The SQL prefilter is by subtree; the policy's finer rule (every role reachable) drops a few rows, so ask again
  // until the page is full or the accounts run out.
  for (;;) {
    const batch = await repo.listAccounts(ctx.db, { roots: prefilterRoots(reaches), orgPath, role: q.role, status: q.status, q: q.q, after, limit: q.limit + 1 });
    for (const row of batch) {
      if (row.id !== callerId(ctx) && canManage(reaches, scopeOf(row))) page.push(row);
      if (page.length > q.limit) break;
    }
    if (page.length > q.limit || batch.length <= q.limit) break;
    const last = batch[batch.length - 1]!;
    after = { username: last.username.toLowerCase(), id: last.id };
  }
  const more = page.length > q.limit;
  const rows = page.slice(0, q.limit);
  const last = rows[rows.length - 1];
  const mask = masksPhones(ctx.grants);
  return { data: rows.map((r) => presentAccount(r, mask)), nextCursor: more && last ? encodeCursor([last.username.toLowerCase(), last.id]) : null };
}

/** Whether the caller may reveal no personal data anywhere (the admin): phone-number usernames are then masked. */
function masksPhones(grants: Grant[]): boolean {
  return registryRoots(grants, 'reveal').length === 0;
}

/** The account if the caller may manage it; 404 otherwise (out of scope reads as absent). Their own: 403. */
async function load(ctx: Ctx, db: Db, id: string, reaches: Reach[]): Promise<repo.AccountRow> {
  const row = await repo.findAccount(db, id);
  if (!row || !canManage(reaches, scopeOf(row))) throw errors.notFound('账号不存在或不在您的管理范围内');
  if (row.id === callerId(ctx)) throw errors.forbidden('不能在账号管理中修改自己的账号，请到「我的账户」修改密码');
  return row;
}

export async function get(ctx: Ctx, id: string): Promise<ManagedAccount> {
  const reaches = assertManager(ctx.grants);
  const row = await repo.findAccount(ctx.db, id);
  if (!row || row.id === callerId(ctx) || !canManage(reaches, scopeOf(row))) throw errors.notFound('账号不存在或不在您的管理范围内');
  return presentAccount(row, masksPhones(ctx.grants));
}

/** The roles asked for, each checked against the caller's reach (403 with the reason); orgs that do not exist: 400. */
async function resolveRoles(ctx: Ctx, reaches: Reach[], input: AccountRoleInput[]): Promise<{ role: Role; orgId: string; path: string }[]> {
  const orgs = new Map((await repo.orgsByCodes(ctx.db, [...new Set(input.map((r) => r.orgCode))])).map((o) => [o.code, o]));
  const out = new Map<string, { role: Role; orgId: string; path: string }>();
  for (const [i, r] of input.entries()) {
    const org = orgs.get(r.orgCode);
    if (!org) throw errors.validation('组织不存在', [{ path: `body/roles/${i}/orgCode`, message: '组织不存在' }]);
    const problem = grantProblem(reaches, r.role, org);
    if (problem) throw errors.forbidden(problem);
    out.set(`${r.role}@${org.id}`, { role: r.role, orgId: org.id, path: org.path });
  }
  return [...out.values()];
}

async function loadPerson(ctx: Ctx, reaches: Reach[], personId: string): Promise<repo.PersonRow> {
  const p = await repo.findPerson(ctx.db, personId);
  if (!p || !reachesPath(reaches, p.org_path)) {
    throw errors.notFound('人员不存在或不在您的管理范围内');
  }
  if (p.left_on) throw errors.conflict(`${p.name}已不在名册中（${p.left_on} 离开），不能开通账号`);
  return p;
}

export async function create(ctx: Ctx, body: AccountCreate): Promise<AccountWithPassword> {
  const reaches = assertManager(ctx.grants);
  const person = body.personId ? await loadPerson(ctx, reaches, body.personId) : null;
  if (!person && !body.displayName) throw errors.validation('工作人员账号需要填写显示名称', [{ path: 'body/displayName', message: 'required without personId' }]);
  const roles = await resolveRoles(ctx, reaches, body.roles);
  if (!canManage(reaches, { roles, personPath: person?.org_path ?? null })) {
    throw errors.forbidden(person ? '无权为此人员开通这些角色' : '只能为本支部的党员开通账号，工作人员账号请联系上级管理员');
  }
  const password = generateOneTimePassword();
  const hash = await hashPassword(password);
  const taken = `用户名「${body.username}」已被使用（不区分大小写），请换一个`;
  const id = await uniqueAs409('accounts_username_key', taken, () => ctx.db.transaction(async (tx) => {
    await tx.execute(CREATE_LOCK);
    if ((await repo.usernamesTaken(tx, [body.username])).size) throw errors.conflict(taken);
    if (person && (await repo.findPerson(tx, person.id))!.has_account) throw errors.conflict(`${person.name}已有账号，请在列表中管理该账号`);
    const accountId = await repo.insertAccount(tx, {
      username: body.username, displayName: body.displayName ?? person!.name, passwordHash: hash, personId: person?.id ?? null, createdBy: callerId(ctx),
    });
    await repo.replaceRoles(tx, accountId, roles);
    const row = (await repo.findAccount(tx, accountId))!;
    await appendAudit(tx, ctx.req, { action: 'account.create', entityType: 'account', entityId: accountId, after: auditSnapshot(row) });
    return accountId;
  }));
  return { account: presentAccount((await repo.findAccount(ctx.db, id))!, masksPhones(ctx.grants)), oneTimePassword: password };
}

/** Runs a change on a manageable account in one transaction, audited before → after. */
async function change(
  ctx: Ctx, id: string, action: string,
  fn: (tx: Db, row: repo.AccountRow, reaches: Reach[]) => Promise<Record<string, unknown> | void>,
): Promise<{ account: ManagedAccount; extra: Record<string, unknown> }> {
  const reaches = assertManager(ctx.grants);
  await load(ctx, ctx.db, id, reaches);
  let extra: Record<string, unknown> = {};
  await ctx.db.transaction(async (tx) => {
    await repo.lockAccount(tx, id);
    const before = await load(ctx, tx, id, reaches);
    extra = (await fn(tx, before, reaches)) ?? {};
    const after = (await repo.findAccount(tx, id))!;
    await appendAudit(tx, ctx.req, { action, entityType: 'account', entityId: id, before: auditSnapshot(before), after: { ...auditSnapshot(after), ...extra } });
  });
  return { account: presentAccount((await repo.findAccount(ctx.db, id))!, masksPhones(ctx.grants)), extra };
}

export async function update(ctx: Ctx, id: string, body: AccountUpdate): Promise<ManagedAccount> {
  const reaches = assertManager(ctx.grants);
  const roles = body.roles ? await resolveRoles(ctx, reaches, body.roles) : null;
  return (await change(ctx, id, 'account.update', async (tx, before) => {
    if (roles) {
      if (!canManage(reaches, { roles, personPath: before.person_path })) throw errors.forbidden('无权为此账号授予这些角色');
      await repo.replaceRoles(tx, id, roles);
    }
    if (body.displayName !== undefined) await repo.updateDisplayName(tx, id, body.displayName);
  })).account;
}

/** Disabling ends every session at once (the next request with its cookie is unauthenticated). */
export async function setDisabled(ctx: Ctx, id: string, disabled: boolean, reason?: string): Promise<ManagedAccount> {
  return (await change(ctx, id, disabled ? 'account.disable' : 'account.enable', async (tx) => {
    await repo.setDisabled(tx, id, disabled, disabled ? (reason ?? 'manual') : null);
    if (disabled) return { endedSessions: await endSessions(tx, id) };
  })).account;
}

/** Unlock: forgets the failed-login counts of the account's name, from every address. */
export async function unlock(ctx: Ctx, id: string): Promise<ManagedAccount> {
  return (await change(ctx, id, 'account.unlock', async (tx, before) => ({ clearedThrottles: await repo.clearThrottles(tx, before.username) }))).account;
}

export async function endAllSessions(ctx: Ctx, id: string): Promise<{ account: ManagedAccount; endedSessions: number }> {
  const r = await change(ctx, id, 'account.end_sessions', async (tx) => ({ endedSessions: await endSessions(tx, id) }));
  return { account: r.account, endedSessions: r.extra.endedSessions as number };
}

/** A new one-time password (answered once, never audited), to be changed at the next login; sessions end; unlocked. */
export async function resetPassword(ctx: Ctx, id: string): Promise<AccountWithPassword> {
  const password = generateOneTimePassword();
  const hash = await hashPassword(password);
  const r = await change(ctx, id, 'account.reset_password', async (tx, before) => {
    await repo.setOneTimePassword(tx, id, hash);
    return { mustChangePassword: true, endedSessions: await endSessions(tx, id), clearedThrottles: await repo.clearThrottles(tx, before.username) };
  });
  return { account: r.account, oneTimePassword: password };
}

/** What the create and edit dialogs may offer: each reachable role with the orgs it may be bound to. */
export async function grantable(ctx: Ctx): Promise<GrantableRoles> {
  const reaches = assertManager(ctx.grants);
  const out: GrantableRoles = [];
  for (const role of Object.keys(ROLE_ORG_LEVELS) as Role[]) {
    const by = reaches.filter((r) => r.roles.has(role));
    if (!by.length) continue;
    const orgs = await repo.orgsForGrant(ctx.db, by.map((r) => r.root), [...ROLE_ORG_LEVELS[role]]);
    const allowed = orgs.filter((o) => grantProblem(reaches, role, o) === null);
    if (allowed.length) out.push({ role, orgs: allowed.map((o) => ({ code: o.code, name: o.name, level: o.level as GrantableRoles[number]['orgs'][number]['level'] })) });
  }
  return out;
}

/**
 * The person's mobile, for a username — only for callers who may see it anyway (registry reveal roles of that
 * scope: office, town, secretary). An admin manages accounts but reads no personal data, so gets the pinyin name.
 */
function mobileOf(ctx: Ctx, p: repo.PersonRow): string | null {
  if (!p.phone_enc || !within(p.org_path, registryRoots(ctx.grants, 'reveal'))) return null;
  const digits = decrypt(ctx.ring, p.phone_enc).replace(/\D/g, '');
  return /^1\d{10}$/.test(digits) ? digits : null;
}

/**
 * A free username for a person: their mobile when it is free, else the pinyin of the name and the smallest number
 * that makes it free ("wangjianguo1"). `taken` holds lower-cased names already used (and grows with each pick).
 */
async function usernameFor(ctx: Ctx, db: Db, p: repo.PersonRow, taken: Set<string>): Promise<string> {
  const mobile = mobileOf(ctx, p);
  if (mobile) {
    if (!taken.has(mobile) && !(await repo.usernamesTaken(db, [mobile])).size) return mobile;
  }
  const base = pinyinKeys(p.name).full.replace(/[^a-z]/g, '').slice(0, 40) || 'dangyuan';
  const used = await repo.usernamesLike(db, base);
  for (let n = 1; ; n++) {
    const u = `${base}${n}`;
    if (!used.has(u) && !taken.has(u)) return u;
  }
}

export async function people(ctx: Ctx, q: string | undefined, orgCode: string | undefined): Promise<AccountPerson[]> {
  const reaches = assertManager(ctx.grants);
  let roots = reaches.map((r) => r.root);
  if (orgCode) {
    const [org] = await repo.orgsByCodes(ctx.db, [orgCode]);
    if (!org || !reaches.some((r) => isWithin(org.path, r.root))) throw errors.notFound();
    roots = [org.path];
  }
  const rows = (await repo.searchPeople(ctx.db, roots, q, 30))
    .filter((p) => reachesPath(reaches, p.org_path));
  const taken = new Set<string>();
  const out: AccountPerson[] = [];
  for (const p of rows) {
    out.push({
      id: p.id, name: p.name, kind: p.kind, orgCode: p.org_code, orgName: p.org_name, hasAccount: p.has_account,
      suggestedUsername: p.has_account ? '' : await usernameFor(ctx, ctx.db, p, taken),
    });
  }
  return out;
}

function loginUrl(ctx: Ctx): string {
  return `${ctx.publicUrl ?? `${ctx.req.protocol}://${ctx.req.host}`}/login`;
}

function issueSlips(ctx: Ctx, pdf: Buffer, filename: string) {
  return issueDownloadToken(ctx.req.auth!.session.id, SLIPS, { pdf, filename });
}

/** Hashing is the slow part (argon2, ~30 ms each): a few at a time on the thread pool, before the transaction. */
async function hashAll(passwords: string[]): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < passwords.length; i += 4) out.push(...await Promise.all(passwords.slice(i, i + 4).map(hashPassword)));
  return out;
}

/**
 * 为本支部（本镇）党员开通账号: a member account (role member bound to the person's branch) for every member on the
 * roster under `orgCode` whom the caller may manage and who has none; one transaction, each account audited plus a
 * summary. The 开通通知单 is rendered in the same transaction (no PDF → no accounts) and handed out once by token.
 */
export async function bulkOpen(ctx: Ctx, orgCode: string): Promise<SlipBatch> {
  const reaches = assertManager(ctx.grants);
  const [org] = await repo.orgsByCodes(ctx.db, [orgCode]);
  if (!org || !reachesPath(reaches, org.path)) throw errors.notFound();
  const eligible = (candidates: repo.PersonRow[]) => candidates.filter((p) =>
    canManage(reaches, { roles: [{ role: 'member', path: p.org_path }], personPath: p.org_path }) && !grantProblem(reaches, 'member', { path: p.org_path, level: p.org_level, name: p.org_name }));
  const first = eligible(await repo.membersWithoutAccount(ctx.db, org.path));
  const batchId = randomUUID();
  if (!first.length) return { batchId, created: 0, download: null };
  const passwords = first.map(() => generateOneTimePassword());
  const hashes = await hashAll(passwords);
  const byPerson = new Map(first.map((p, i) => [p.id, { password: passwords[i]!, hash: hashes[i]! }]));
  const { pdf, created } = await ctx.db.transaction(async (tx) => {
    await tx.execute(CREATE_LOCK);
    // Again under the lock: someone may have opened some of these meanwhile.
    const todo = eligible(await repo.membersWithoutAccount(tx, org.path)).filter((p) => byPerson.has(p.id));
    const taken = new Set<string>();
    const slips: Slip[] = [];
    for (const p of todo) {
      const username = await usernameFor(ctx, tx, p, taken);
      taken.add(username);
      const accountId = await repo.insertAccount(tx, { username, displayName: p.name, passwordHash: byPerson.get(p.id)!.hash, personId: p.id, createdBy: callerId(ctx) });
      await repo.replaceRoles(tx, accountId, [{ role: 'member', orgId: p.org_id }]);
      await appendAudit(tx, ctx.req, {
        action: 'account.create', entityType: 'account', entityId: accountId,
        after: { username, displayName: p.name, person: p.id, roles: [`member@${p.org_code}`], disabled: false, batchId },
      });
      slips.push({ name: p.name, branch: p.party_name ?? p.org_name, username, password: byPerson.get(p.id)!.password });
    }
    await appendAudit(tx, ctx.req, { action: 'account.bulk_open', entityType: 'org', entityId: org.id, after: { batchId, org: org.code, created: slips.length } });
    const synthetic = org.synthetic || todo.some((p) => p.synthetic);
    return { pdf: slips.length ? await renderSlipsPdf(slips, org.name, chineseDate(), loginUrl(ctx), synthetic) : null, created: slips.length };
  });
  return { batchId, created, download: pdf ? issueSlips(ctx, pdf, `${org.name}账号开通通知单.pdf`) : null };
}

/** 重置并打印: new one-time passwords for the chosen accounts (all manageable, else 404 and nothing changes) and their slips. */
export async function resetAndPrint(ctx: Ctx, ids: string[]): Promise<SlipBatch> {
  const reaches = assertManager(ctx.grants);
  const unique = [...new Set(ids)];
  for (const id of unique) await load(ctx, ctx.db, id, reaches);
  const passwords = unique.map(() => generateOneTimePassword());
  const hashes = await hashAll(passwords);
  const batchId = randomUUID();
  const pdf = await ctx.db.transaction(async (tx) => {
    const slips: Slip[] = [];
    let synthetic = false;
    for (const [i, id] of unique.entries()) {
      await repo.lockAccount(tx, id);
      const before = await load(ctx, tx, id, reaches);
      await repo.setOneTimePassword(tx, id, hashes[i]!);
      const ended = await endSessions(tx, id);
      await repo.clearThrottles(tx, before.username);
      await appendAudit(tx, ctx.req, {
        action: 'account.reset_password', entityType: 'account', entityId: id,
        before: auditSnapshot(before), after: { ...auditSnapshot(before), mustChangePassword: true, endedSessions: ended, batchId },
      });
      const person = before.person_id ? await repo.findPerson(tx, before.person_id) : null;
      synthetic ||= person?.synthetic ?? false;
      slips.push({ name: before.person_name ?? before.display_name, branch: person ? (person.party_name ?? person.org_name) : (before.roles[0]?.name ?? ''), username: before.username, password: passwords[i]! });
    }
    await appendAudit(tx, ctx.req, { action: 'account.reset_print', entityType: 'account_batch', entityId: batchId, after: { batchId, accounts: unique.length } });
    return renderSlipsPdf(slips, '', chineseDate(), loginUrl(ctx), synthetic);
  });
  return { batchId, created: unique.length, download: issueSlips(ctx, pdf, '账号重置通知单.pdf') };
}

/** The batch's slips, once: the token is consumed, so the one-time passwords cannot be fetched a second time. */
export function slips(req: FastifyRequest, token: string): { pdf: Buffer; filename: string } {
  const file = req.auth ? redeemDownloadToken<{ pdf: Buffer; filename: string }>(token, req.auth.session.id, SLIPS) : null;
  if (!file) throw errors.forbidden('通知单下载链接已失效或已下载过：密码只能打印一次，请对需要的账号「重置并打印」');
  return file;
}
