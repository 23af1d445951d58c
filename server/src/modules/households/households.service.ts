import { z } from 'zod';
import type {
  Household, HouseholdCreate, TagAdmin, TagCreate, TagUpdate, HouseholdList, HouseholdListQuery, HouseholdUpdate, ResidentInput, ResidentUpdate, SearchHousehold,
} from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { uniqueAs409 } from '../../lib/unique-violation.ts';
import { decrypt, encrypt, keyedHash } from '../../lib/crypto.ts';
import { idNumberBirthDate, idNumberSex, isValidIdNumber, maskIdNumber, phoneTail } from '../../lib/id-number.ts';
import { initials } from '../../lib/pinyin.ts';
import { appendAudit } from '../../plugins/audit.ts';
import type { Grant } from '../auth/scope.ts';
import { assertAnyWrite, assertCan, assertRegistryRole, assertTagAdmin, readerOf, tagEditor, type Reader } from './households.policy.ts';
import { registryRoots, within } from '../auth/scope.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { ageOn, presentHousehold, presentSummary } from './households.presenter.ts';
import * as repo from './households.repo.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { refreshCoverage } from '../links/links.service.ts';

export interface Ctx { db: Db; ring: Keyring; grants: Grant[]; req: FastifyRequest }

function reader(ctx: Ctx): Reader {
  return readerOf(ctx.grants, ctx.req.auth?.account.personId ?? null);
}

type Issue = { path: string; message: string };

export async function listTags(db: Db) {
  return repo.activeTags(db);
}

/** The tag dictionary and the one way typed tags become codes: the households API, the household import. */
export interface TagDictionary {
  /** The tags offered for new input (retired ones are not). */
  tags: repo.TagRow[];
  /** An active tag's code, or null. */
  resolve(text: string): string | null;
  /** The code of a retired tag this word names (kept on existing households, refused for new input), or null. */
  retired(text: string): string | null;
  /**
   * A cell of tags ("低保户、五保户", "低保 残疾", "残 疾 人"): split at 、,;（half- or full-width); a part that is not a
   * tag as a whole is split again at spaces. Codes once each, in order; `unknown` names what matched nothing,
   * `retired` what names a retired tag.
   */
  resolveList(text: string): { codes: string[]; unknown: string[]; retired: string[]; count: number };
}

/** Spaces (also inside: "低 保"), full-width forms (ＡＢＣ, full-width spaces) and case do not make a different tag. */
const tagKey = (text: string) => text.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();

/** Word → code, codes first, then names, then aliases, so an alias never hides a code. */
function wordIndex(tags: repo.TagRow[]): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const words of [(t: repo.TagRow) => [t.code], (t: repo.TagRow) => [t.name], (t: repo.TagRow) => t.aliases]) {
    for (const t of tags) for (const w of words(t)) if (!byKey.has(tagKey(w))) byKey.set(tagKey(w), t.code);
  }
  return byKey;
}

/** A code, its name or any alias → the code. */
export async function tagDictionary(db: Pick<Db, 'execute'>): Promise<TagDictionary> {
  const all = await repo.allTags(db);
  const tags = all.filter((t) => t.active).map(({ code, name, aliases, vulnerable }) => ({ code, name, aliases, vulnerable }));
  const active = wordIndex(tags);
  const retiredWords = wordIndex(all.filter((t) => !t.active));
  const resolve = (text: string) => active.get(tagKey(text)) ?? null;
  const retired = (text: string) => (resolve(text) ? null : retiredWords.get(tagKey(text)) ?? null);
  const resolveList = (text: string) => {
    const codes = new Set<string>();
    const unknown: string[] = [];
    const old: string[] = [];
    let count = 0;
    for (const part of text.split(/[、,，;；]+/u)) {
      if (!part.trim()) continue;
      const whole = resolve(part) ?? retired(part);
      for (const word of whole ? [part] : part.split(/\s+/u).filter(Boolean)) {
        count++;
        const code = resolve(word);
        if (code) codes.add(code);
        else if (retired(word)) old.push(word.trim());
        else unknown.push(word.trim());
      }
    }
    return { codes: [...codes], unknown, retired: old, count };
  };
  return { tags, resolve, retired, resolveList };
}

/** 困难群体标签 as the dictionary editor sees them: retired ones too, with how many households carry each. */
export type TagCtx = Pick<Ctx, 'db' | 'grants' | 'req'>;

export async function tagsForAdmin(ctx: TagCtx): Promise<{ data: TagAdmin[]; editable: boolean }> {
  const editable = tagEditor(ctx.grants);
  return { data: await repo.allTags(ctx.db), editable };
}

/**
 * Every word of a tag (code, name, aliases) must name no other tag — compared as the resolver compares (case, width
 * and spaces folded) and against retired tags too, whose words still mean them. 409 with the word and its tag.
 */
function assertWordsFree(all: repo.TagAdminRow[], code: string, words: string[]): void {
  const taken = wordIndex(all.filter((t) => t.code !== code));
  const clashes = words.filter((w) => taken.has(tagKey(w))).map((w) => ({ word: w, tag: taken.get(tagKey(w))! }));
  if (clashes.length) throw errors.conflict(`“${clashes[0]!.word}”已是标签“${clashes[0]!.tag}”的名称或别名`, clashes);
}

/** Aliases once each, without the tag's own code and name (they are accepted anyway). */
function cleanAliases(code: string, name: string, aliases: string[]): string[] {
  const seen = new Set([tagKey(code), tagKey(name)]);
  return aliases.filter((a) => !seen.has(tagKey(a)) && seen.add(tagKey(a)));
}

export async function createTag(ctx: TagCtx, b: TagCreate): Promise<TagAdmin> {
  assertTagAdmin(ctx.grants);
  const aliases = cleanAliases(b.code, b.name, b.aliases);
  await ctx.db.transaction(async (tx) => {
    await repo.lockTags(tx);
    const all = await repo.allTags(tx);
    if (all.some((t) => t.code === b.code)) throw errors.conflict(`标签“${b.code}”已存在`);
    assertWordsFree(all, b.code, [b.code, b.name, ...aliases]);
    await repo.insertTag(tx, { code: b.code, name: b.name, aliases, vulnerable: b.vulnerable });
    await appendAudit(tx, ctx.req, { action: 'tag.create', entityType: 'tag', entityId: b.code, after: { name: b.name, aliases, vulnerable: b.vulnerable } });
  });
  return (await repo.allTags(ctx.db, b.code))[0]!;
}

/** Rename, edit aliases, retire or restore. The code (stored on households) never changes, so history keeps it. */
export async function updateTag(ctx: TagCtx, code: string, b: TagUpdate): Promise<TagAdmin> {
  assertTagAdmin(ctx.grants);
  await ctx.db.transaction(async (tx) => {
    await repo.lockTags(tx);
    const all = await repo.allTags(tx);
    const cur = all.find((t) => t.code === code);
    if (!cur) throw errors.notFound('标签不存在');
    const name = b.name ?? cur.name;
    const next = { name, aliases: cleanAliases(code, name, b.aliases ?? cur.aliases), vulnerable: b.vulnerable ?? cur.vulnerable, active: b.active ?? cur.active };
    assertWordsFree(all, code, [name, ...next.aliases]);
    await repo.updateTag(tx, code, next);
    const before = { name: cur.name, aliases: cur.aliases, vulnerable: cur.vulnerable, active: cur.active };
    await appendAudit(tx, ctx.req, { action: b.active === false && cur.active ? 'tag.retire' : 'tag.update', entityType: 'tag', entityId: code, before, after: next });
  });
  return (await repo.allTags(ctx.db, code))[0]!;
}

/** Only a tag no household has ever carried is deleted; one in use is retired instead (409 says so). */
export async function deleteTag(ctx: TagCtx, code: string): Promise<void> {
  assertTagAdmin(ctx.grants);
  await ctx.db.transaction(async (tx) => {
    await repo.lockTags(tx);
    const [cur] = await repo.allTags(tx, code);
    if (!cur) throw errors.notFound('标签不存在');
    if (cur.households > 0) throw errors.conflict(`已有 ${cur.households} 户使用“${cur.name}”，不能删除；不再使用时请停用`, { households: cur.households });
    await repo.deleteTag(tx, code);
    await appendAudit(tx, ctx.req, { action: 'tag.delete', entityType: 'tag', entityId: code, before: { name: cur.name, aliases: cur.aliases, vulnerable: cur.vulnerable, active: cur.active } });
  });
}

/**
 * Households for the header's search: what the caller may read (a member: the households linked to them now), by the
 * list's own matching; null when the role sees no households at all. Names and addresses only, as in the list.
 */
export async function search(ctx: Ctx, q: string, limit: number): Promise<{ items: SearchHousehold[]; more: boolean } | null> {
  const rd = reader(ctx);
  if (!rd.roots.length && !rd.personId) return null;
  const rows = await repo.searchHouseholds(ctx.db, rd, q, limit);
  return {
    items: rows.slice(0, limit).map((r) => ({
      id: r.id, headName: r.head_name, address: r.address, orgCode: r.org_code, orgName: r.org_name, match: r.match,
      residentName: r.resident_name,
    })),
    more: rows.length > limit,
  };
}

export async function list(ctx: Ctx, q: HouseholdListQuery): Promise<HouseholdList> {
  const rd = reader(ctx);
  assertRegistryRole(rd);
  let orgPath: string | undefined;
  if (q.org) {
    const org = await repo.orgByCode(ctx.db, q.org);
    if (!org || !(within(org.path, rd.roots) || (rd.personId && within(org.path, rd.memberBranches)))) throw errors.notFound();
    orgPath = org.path;
  }
  const rows = await repo.listHouseholds(ctx.db, {
    reader: rd, orgPath, q: q.q, tag: q.tag, gridCode: q.grid, away: q.away === undefined ? undefined : q.away === 'true',
    unlinked: q.unlinked === undefined ? undefined : q.unlinked === 'true', memberId: q.member,
    after: q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.int, cursorPart.text, cursorPart.uuid]).transform(([sort, addressNorm, id]) => ({ sort, addressNorm, id }))) : null, limit: q.limit,
  });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { data: page.map((r) => presentSummary(r, ctx.grants)), nextCursor: more ? encodeCursor([page[page.length - 1]!.org_sort, page[page.length - 1]!.address_norm, page[page.length - 1]!.id]) : null };
}

async function load(ctx: Ctx, id: string): Promise<repo.HouseholdRow> {
  const rd = reader(ctx);
  assertRegistryRole(rd);
  const row = await repo.findHousehold(ctx.db, id, rd);
  if (!row) throw errors.notFound();
  return row;
}

export async function get(ctx: Ctx, id: string): Promise<Household> {
  const row = await load(ctx, id);
  const linked = await linkedToCaller(ctx, id);
  return presentHousehold(row, await repo.residentsOf(ctx.db, id), ctx.grants, ctx.ring, linked);
}

/** Is the calling member (if any) the household's member now? Only that link, never the village, opens its phones. */
async function linkedToCaller(ctx: Ctx, householdId: string): Promise<boolean> {
  const personId = reader(ctx).personId;
  return personId ? repo.isLinkedNow(ctx.db, householdId, personId) : false;
}

/** Checks no schema can express: the ID checksum, the birth date and sex it encodes, away place without scope. */
function residentIssues(r: Partial<ResidentInput>, prefix: string): Issue[] {
  const issues: Issue[] = [];
  if (r.idNumber !== undefined) {
    if (!isValidIdNumber(r.idNumber)) issues.push({ path: `${prefix}idNumber`, message: '身份证号码校验位不正确或出生日期无效' });
    else {
      if (r.birthDate !== undefined && idNumberBirthDate(r.idNumber) !== r.birthDate) {
        issues.push({ path: `${prefix}birthDate`, message: '出生日期与身份证号码不一致' });
      }
      if (r.sex !== undefined && idNumberSex(r.idNumber) !== r.sex) issues.push({ path: `${prefix}sex`, message: '性别与身份证号码不一致' });
    }
  }
  if (r.awayPlace && !r.awayScope) issues.push({ path: `${prefix}awayScope`, message: '填写了在外地点，请选择在外范围' });
  return issues;
}

/**
 * Typed tags as codes (a name or alias counts as its tag; one code once), or the issues of unknown ones. A retired tag
 * is refused, except one the household already carries (`kept`): editing a household does not strip it.
 */
async function tagCodes(db: Db, tags: string[], issues: Issue[], kept: string[] = []): Promise<string[]> {
  if (!tags.length) return [];
  const dict = await tagDictionary(db);
  const codes = new Set<string>();
  for (const t of tags) {
    const code = dict.resolve(t);
    const old = code ? null : dict.retired(t);
    if (code) codes.add(code);
    else if (old && kept.includes(old)) codes.add(old);
    else if (old) issues.push({ path: 'tags', message: `标签“${t}”已停用，不能再用于登记` });
    else issues.push({ path: 'tags', message: `未知的标签：${t}` });
  }
  return [...codes];
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

/** Unique-index violations from a concurrent registration of the same ID number become 409, not 500. */
const guardDuplicates = <T>(fn: () => Promise<T>) => uniqueAs409('residents_id_hash_key', '该身份证号码已登记', fn);

async function duplicateConflict(ctx: Ctx, ids: string[], exceptResident?: string): Promise<void> {
  const hashes = ids.map((id) => keyedHash(ctx.ring, id));
  const existing = await repo.findByIdHashes(ctx.db, hashes, exceptResident);
  if (!existing.length) return;
  const readable = reader(ctx);
  const dupes = [];
  for (const e of existing) {
    const id = ids[hashes.indexOf(e.id_number_hash)]!;
    // Only point to the existing household when the caller may see it; otherwise say only that it exists.
    const visible = await repo.findHousehold(ctx.db, e.household_id, readable);
    dupes.push({ idNumberMasked: maskIdNumber(id), householdId: visible ? e.household_id : null });
  }
  throw errors.conflict('身份证号码已在其他住户中登记', dupes);
}

function isAway(residents: { birthDate: string; awayScope?: string | null }[]): boolean {
  const today = todayInShanghai();
  const adults = residents.filter((r) => ageOn(r.birthDate, today) >= 18);
  return adults.length > 0 && adults.every((r) => !!r.awayScope);
}

/** Masked snapshot for audit before/after: the audit log must not become a second copy of personal data. */
function auditResident(r: ResidentInput | ResidentUpdate) {
  return { ...r, idNumber: r.idNumber ? maskIdNumber(r.idNumber) : undefined, phone: r.phone ? '***' : r.phone };
}

async function insertResident(tx: Db, ring: Keyring, householdId: string, r: ResidentInput): Promise<string> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    INSERT INTO residents (household_id, name, sex, birth_date, relation, id_number_enc, id_number_hash, phone_enc, phone_tail,
                           away_scope, away_place)
    VALUES (${householdId}, ${r.name}, ${r.sex}, ${r.birthDate}, ${r.relation}, ${encrypt(ring, r.idNumber)},
            ${keyedHash(ring, r.idNumber)}, ${r.phone ? encrypt(ring, r.phone) : null}, ${r.phone ? phoneTail(r.phone) : null},
            ${r.awayScope ?? null}, ${r.awayPlace ?? null})
    RETURNING id`);
  return rows[0]!.id;
}

/** Head name, initials and the away flag follow the residents; recomputed after every resident change. */
async function refreshHousehold(tx: Db, householdId: string): Promise<void> {
  const rs = await repo.residentsOf(tx, householdId);
  const head = rs.find((r) => r.relation === '户主') ?? rs[0];
  const away = isAway(rs.map((r) => ({ birthDate: r.birth_date, awayScope: r.away_scope })));
  await tx.execute(sql`
    UPDATE households SET head_name = ${head?.name ?? ''}, head_initials = ${head ? initials(head.name) : ''},
                          away = ${away}, updated_at = now()
    WHERE id = ${householdId}`);
}

export async function create(ctx: Ctx, body: HouseholdCreate): Promise<Household> {
  assertAnyWrite(ctx.grants);
  const org = await repo.orgByCode(ctx.db, body.orgCode);
  if (!org || !within(org.path, reader(ctx).roots)) throw errors.notFound('组织不存在或无权查看');
  assertCan(ctx.grants, 'write', org.path);
  if (org.level !== 'village') throw errors.validation('住户须登记在村（社区）下', [{ path: 'orgCode', message: '请选择村（社区）' }]);
  const issues: Issue[] = [];
  const tags = await tagCodes(ctx.db, body.tags, issues);
  body.residents.forEach((r, i) => issues.push(...residentIssues(r, `residents/${i}/`)));
  const heads = body.residents.filter((r) => r.relation === '户主').length;
  if (heads !== 1) issues.push({ path: 'residents', message: '每户须有且仅有一名户主' });
  const seen = new Map<string, number>();
  body.residents.forEach((r, i) => {
    if (seen.has(r.idNumber)) issues.push({ path: `residents/${i}/idNumber`, message: `与第 ${seen.get(r.idNumber)! + 1} 人的身份证号码重复` });
    else seen.set(r.idNumber, i);
  });
  if (issues.length) throw errors.validation('请检查填写的内容', issues);
  await duplicateConflict(ctx, body.residents.map((r) => r.idNumber));
  const gridId = await resolveGrid(ctx.db, body.gridCode, org.path);
  const head = body.residents.find((r) => r.relation === '户主')!;
  const id = await guardDuplicates(() => ctx.db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ id: string }>(sql`
      INSERT INTO households (org_id, grid_id, address, head_name, head_initials, tags, away)
      VALUES (${org.id}, ${gridId ?? null}, ${body.address}, ${head.name}, ${initials(head.name)},
              ${sql`ARRAY[${sql.join(tags.map((t) => sql`${t}`), sql`, `)}]::text[]`}, ${isAway(body.residents)})
      RETURNING id`);
    const hid = rows[0]!.id;
    for (const r of body.residents) await insertResident(tx, ctx.ring, hid, r);
    await repo.bumpRollup(tx, org.id, 1);
    await refreshCoverage(tx, [org.id]);
    await appendAudit(tx, ctx.req, {
      action: 'household.create', entityType: 'household', entityId: hid,
      after: { orgCode: body.orgCode, address: body.address, tags, residents: body.residents.map(auditResident) },
    });
    return hid;
  }));
  return get(ctx, id);
}

export async function update(ctx: Ctx, id: string, body: HouseholdUpdate): Promise<Household> {
  const row = await load(ctx, id);
  assertCan(ctx.grants, 'write', row.org_path);
  const issues: Issue[] = [];
  const tags = body.tags && await tagCodes(ctx.db, body.tags, issues, row.tags);
  if (issues.length) throw errors.validation('请检查填写的内容', issues);
  const villagePath = row.org_path;
  const gridId = await resolveGrid(ctx.db, body.gridCode, villagePath);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`
      UPDATE households SET
        address = coalesce(${body.address ?? null}, address),
        tags = ${tags ? sql`ARRAY[${sql.join(tags.map((t) => sql`${t}`), sql`, `)}]::text[]` : sql`tags`},
        grid_id = ${gridId === undefined ? sql`grid_id` : gridId},
        updated_at = now()
      WHERE id = ${id}`);
    await appendAudit(tx, ctx.req, {
      action: 'household.update', entityType: 'household', entityId: id,
      before: { address: row.address, tags: row.tags, gridCode: row.grid_code }, after: { ...body, tags },
    });
  });
  return get(ctx, id);
}

/**
 * 注销住户 (全户迁出, 户销…): the household leaves the register but stays on record (removed_at; links and matters keep
 * pointing at it). Its living residents leave on `on` with the reason — which frees their ID numbers for a registration
 * elsewhere —, its active links end (constituent_left), its contact card is revoked, and the village's counts and
 * coverage follow, all in one transaction; audited.
 */
export async function remove(ctx: Ctx, id: string, on: string | undefined, reason: string): Promise<{ id: string; residentsLeft: number; linksEnded: number }> {
  const row = await load(ctx, id);
  assertCan(ctx.grants, 'write', row.org_path);
  const today = todayInShanghai();
  const day = on ?? today;
  if (day > today) throw errors.validation('注销日期不能晚于今天', [{ path: 'on', message: '注销日期不能晚于今天' }]);
  return ctx.db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ id: string }>(sql`
      UPDATE households SET removed_at = now(), updated_at = now() WHERE id = ${id} AND removed_at IS NULL RETURNING id`);
    if (!rows.length) throw errors.notFound(); // removed meanwhile
    const left = await tx.execute<{ id: string }>(sql`
      UPDATE residents SET left_on = ${day}::date, left_reason = ${reason} WHERE household_id = ${id} AND left_on IS NULL RETURNING id`);
    const ended = await tx.execute<{ id: string }>(sql`
      UPDATE links SET ends_on = greatest(starts_on, ${today}::date), end_reason = 'constituent_left'
      WHERE household_id = ${id} AND ends_on IS NULL RETURNING id`);
    await tx.execute(sql`UPDATE contact_cards SET revoked_at = now() WHERE household_id = ${id} AND revoked_at IS NULL`);
    await repo.bumpRollup(tx, row.org_id, -1);
    await refreshCoverage(tx, [row.org_id]);
    const result = { id, residentsLeft: left.rows.length, linksEnded: ended.rows.length };
    await appendAudit(tx, ctx.req, {
      action: 'household.remove', entityType: 'household', entityId: id,
      before: { address: row.address, headName: row.head_name }, after: { on: day, reason, ...result },
    });
    return result;
  });
}

export async function addResident(ctx: Ctx, householdId: string, body: ResidentInput): Promise<Household> {
  const row = await load(ctx, householdId);
  assertCan(ctx.grants, 'write', row.org_path);
  const issues = residentIssues(body, '');
  if (body.relation === '户主' && (await repo.residentsOf(ctx.db, householdId)).some((r) => r.relation === '户主')) {
    issues.push({ path: 'relation', message: '该户已有户主' });
  }
  if (issues.length) throw errors.validation('请检查填写的内容', issues);
  await duplicateConflict(ctx, [body.idNumber]);
  await guardDuplicates(() => ctx.db.transaction(async (tx) => {
    const rid = await insertResident(tx, ctx.ring, householdId, body);
    await refreshHousehold(tx, householdId);
    await appendAudit(tx, ctx.req, { action: 'resident.create', entityType: 'resident', entityId: rid, after: { householdId, ...auditResident(body) } });
  }));
  return get(ctx, householdId);
}

async function loadResident(ctx: Ctx, id: string) {
  const rd = reader(ctx);
  assertRegistryRole(rd);
  const r = await repo.findResident(ctx.db, id);
  // Visible exactly when its household is (subtree, or linked to the calling member).
  if (!r || !(await repo.findHousehold(ctx.db, r.household_id, rd))) throw errors.notFound();
  return r;
}

export async function updateResident(ctx: Ctx, id: string, body: ResidentUpdate): Promise<Household> {
  const r = await loadResident(ctx, id);
  assertCan(ctx.grants, 'write', r.org_path);
  // Validate the resulting record, not just the patch: a new birth date must still match the stored ID number.
  const idNumber = body.idNumber ?? decrypt(ctx.ring, r.id_number_enc);
  const merged = { idNumber, birthDate: body.birthDate ?? r.birth_date, sex: body.sex ?? r.sex, awayScope: body.awayScope === undefined ? r.away_scope : body.awayScope, awayPlace: body.awayPlace === undefined ? r.away_place : body.awayPlace };
  const issues = residentIssues(merged, '');
  if (body.relation === '户主' && r.relation !== '户主' && (await repo.residentsOf(ctx.db, r.household_id)).some((x) => x.relation === '户主')) {
    issues.push({ path: 'relation', message: '该户已有户主' });
  }
  if (issues.length) throw errors.validation('请检查填写的内容', issues);
  if (body.idNumber) await duplicateConflict(ctx, [body.idNumber], id);
  await guardDuplicates(() => ctx.db.transaction(async (tx) => {
    await tx.execute(sql`
      UPDATE residents SET
        name = coalesce(${body.name ?? null}, name),
        sex = coalesce(${body.sex ?? null}, sex),
        birth_date = coalesce(${body.birthDate ?? null}::date, birth_date),
        relation = coalesce(${body.relation ?? null}, relation),
        id_number_enc = ${body.idNumber ? encrypt(ctx.ring, body.idNumber) : sql`id_number_enc`},
        id_number_hash = ${body.idNumber ? keyedHash(ctx.ring, body.idNumber) : sql`id_number_hash`},
        phone_enc = ${body.phone === undefined ? sql`phone_enc` : body.phone === null ? null : encrypt(ctx.ring, body.phone)},
        phone_tail = ${body.phone === undefined ? sql`phone_tail` : body.phone === null ? null : phoneTail(body.phone)},
        away_scope = ${body.awayScope === undefined ? sql`away_scope` : body.awayScope},
        away_place = ${body.awayPlace === undefined ? sql`away_place` : body.awayPlace}
      WHERE id = ${id}`);
    await refreshHousehold(tx, r.household_id);
    await appendAudit(tx, ctx.req, {
      action: 'resident.update', entityType: 'resident', entityId: id,
      before: { name: r.name, sex: r.sex, birthDate: r.birth_date, relation: r.relation, awayScope: r.away_scope, awayPlace: r.away_place },
      after: auditResident(body),
    });
  }));
  return get(ctx, r.household_id);
}

export async function leaveResident(ctx: Ctx, id: string, on: string, reason: string): Promise<Household> {
  const r = await loadResident(ctx, id);
  assertCan(ctx.grants, 'write', r.org_path);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`UPDATE residents SET left_on = ${on}::date, left_reason = ${reason} WHERE id = ${id}`);
    await refreshHousehold(tx, r.household_id);
    await appendAudit(tx, ctx.req, { action: 'resident.leave', entityType: 'resident', entityId: id, after: { on, reason } });
  });
  return get(ctx, r.household_id);
}

/** The audited way to see a full ID number or phone: who, when, which field of whom, and why. */
export async function reveal(ctx: Ctx, id: string, field: 'idNumber' | 'phone', reason: string): Promise<string | null> {
  const r = await loadResident(ctx, id);
  // A member calls the households linked to them: the phone (never the ID number) of those, audited like any reveal.
  const asMember = field === 'phone' && !within(r.org_path, registryRoots(ctx.grants, 'reveal')) && (await linkedToCaller(ctx, r.household_id));
  if (!asMember) assertCan(ctx.grants, 'reveal', r.org_path);
  const enc = field === 'idNumber' ? r.id_number_enc : r.phone_enc;
  const value = enc ? decrypt(ctx.ring, enc) : null;
  await appendAudit(ctx.db, ctx.req, { action: 'resident.reveal', entityType: 'resident', entityId: id, after: { field, reason, ...(asMember ? { asLinkedMember: true } : {}) } });
  return value;
}


/**
 * Fills the phone tail (search by 尾号) of residents written before it existed — every writer now stores it with the
 * phone. Runs at boot in batches of 1,000 (decrypt, keep the 4 digits the mask shows, update); a partial index finds
 * the rows, so a boot with nothing to fill costs one index probe.
 */
export async function fillPhoneTails(db: Db, ring: Keyring): Promise<number> {
  let n = 0;
  for (;;) {
    const rows = await repo.residentsMissingTail(db, 1000);
    if (!rows.length) return n;
    await repo.setPhoneTails(db, rows.map((r) => r.id), rows.map((r) => phoneTail(decrypt(ring, r.phone_enc))));
    n += rows.length;
  }
}
