import type pg from 'pg';
import type { Keyring } from '../../config.ts';
import { encrypt, keyedHash } from '../../lib/crypto.ts';
import { initials } from '../../lib/pinyin.ts';
import { generateBusinesses } from './businesses.ts';
import { drizzle } from 'drizzle-orm/node-postgres';
import { refreshCoverage } from '../../modules/links/links.service.ts';
import { generateLinks } from './links.ts';
import { makeIdNumber, phoneTail } from '../../lib/id-number.ts';
import { fullName, mobileNumber, pickSurname } from './names.ts';
import { Rng, Weighted } from './rng.ts';

/**
 * Deterministic synthetic data on the real org tree: party members and helpers for every village branch, and
 * households with residents — all marked `synthetic = true`.
 *
 * Determinism: every random choice comes from sfc32 streams (rng.ts) seeded by (seed, purpose, village code), so a
 * village's members are the same at every scale and the same seed always yields the same names, ID numbers, phones
 * and UUIDs. Only the AES-GCM IVs inside the encrypted columns are random (the plaintext is deterministic).
 *
 * Scales (numbers from ../shared/mission/MISSION.md: 733k residents, ~250k households, 557 villages, tens of
 * thousands of members):
 * - demo: members everywhere, 克井镇 fully populated, ~20 households in every other village (< 20 s on 2 cores);
 * - town: the same with three towns fully populated (克井镇, 沁园街道, 梨林镇: rural, urban and plain);
 * - full: every village fully populated, ~250k households and ~730k residents.
 */

export type DemoScale = 'demo' | 'town' | 'full';

export interface GenerateDemoOptions {
  scale: DemoScale;
  seed?: number;
  keyring: Keyring;
  log?: (m: string) => void;
  /** Delete earlier synthetic residents, households and people (except people referenced by accounts) first. */
  reset?: boolean;
}

export interface GenerateDemoResult { members: number; helpers: number; households: number; residents: number; ms: number }

export const DEFAULT_DEMO_SEED = 20210910;
/** Ages are computed against a fixed date, not "now", so the same seed gives the same birth dates every year. */
const REF_YEAR = 2026;
/** Area code of every synthetic ID number (the zone's own code; real numbers carry the issuing county's). */
const AREA = '419001';
const FULL_HOUSEHOLDS = 250_000;
const FULL_TOWNS: Record<Exclude<DemoScale, 'full'>, string[]> = {
  demo: ['419001100000'], // 克井镇
  town: ['419001100000', '419001001000', '419001106000'], // 克井镇, 沁园街道, 梨林镇
};
/** Residents per INSERT … SELECT FROM unnest(…): large enough to amortize round trips, small enough for memory. */
const BATCH = 8000;

interface Village {
  id: string; code: string; shortName: string; town: string; townCode: string; community: boolean;
  /** NBS urban-rural class: 111 main urban area … 220 village; '' when the source has none. */
  ur: string;
}

type Sex = 'M' | 'F';
interface Person {
  name: string; surname: string; sex: Sex; age: number; birthDate: string; relation: string;
  away: [scope: string, place: string] | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Distributions. Household sizes: the 2020 census gives 2.62 persons per family household nationally and larger
// rural households; the mission's 733k residents / 250k households = 2.93 for Jiyuan's registered households.

const SIZE_URBAN = new Weighted<number>([[1, 18], [2, 29], [3, 26], [4, 15], [5, 7], [6, 5]]); // mean ≈ 2.76
const SIZE_RURAL = new Weighted<number>([[1, 15], [2, 28], [3, 21], [4, 19], [5, 11], [6, 6]]); // mean ≈ 2.98

/** 在外 destinations. 'city' = another city in Henan, 'province' = another province, 'abroad' = another country. */
const AWAY_SCOPE = new Weighted<string>([['city', 40], ['province', 55], ['abroad', 5]]);
const AWAY_PLACES: Record<string, Weighted<string>> = {
  city: new Weighted([['郑州', 40], ['洛阳', 15], ['焦作', 12], ['新乡', 8], ['开封', 5], ['许昌', 5], ['南阳', 5], ['平顶山', 4], ['安阳', 3], ['三门峡', 3]]),
  province: new Weighted([['广东深圳', 14], ['广东广州', 8], ['广东东莞', 8], ['浙江杭州', 9], ['浙江宁波', 5], ['江苏苏州', 9],
    ['上海', 12], ['北京', 12], ['山西晋城', 8], ['山西太原', 4], ['天津', 4], ['陕西西安', 5], ['福建厦门', 3]]),
  abroad: new Weighted([['日本', 25], ['韩国', 12], ['新加坡', 12], ['阿联酋迪拜', 8], ['沙特阿拉伯', 8], ['安哥拉', 6],
    ['马来西亚', 8], ['德国', 6], ['澳大利亚', 7], ['美国', 8]]),
};
const HELPER_KIND = new Weighted<string>([['志愿者', 60], ['积极分子', 25], ['非党干部', 15]]);

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** A date in `year` ('YYYY-MM-DD'); with REF_YEAR-01-01 as "today", someone born in year y is REF_YEAR-1-y. */
function dateIn(rng: Rng, year: number): string {
  const m = rng.int(1, 12);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const d = rng.int(1, m === 2 && leap ? 29 : MONTH_DAYS[m - 1]!);
  return `${year}-${pad2(m)}-${pad2(d)}`;
}
const birthYearOf = (age: number) => REF_YEAR - 1 - age;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(x)));

function urbanOf(v: Village): boolean {
  return v.community || v.ur.startsWith('1');
}

/**
 * A village's household count at full scale, before normalization to FULL_HOUSEHOLDS. Communities in the urban
 * core are largest; plain villages of a few hundred households dominate (the 220 class is 364 of 557).
 */
function baseHouseholds(seed: number, v: Village): number {
  const r = new Rng(`${seed}:size:${v.code}`);
  if (v.community) return r.normal(1000, 220, 600, 1600);
  if (v.ur === '111' || v.ur === '112' || v.ur === '121') return r.normal(760, 160, 450, 1200);
  if (v.ur === '122' || v.ur === '123') return r.normal(560, 130, 300, 950);
  return r.normal(400, 120, 180, 800);
}

// ---------------------------------------------------------------------------------------------------------------

export async function generateDemo(pool: pg.Pool, opts: GenerateDemoOptions): Promise<GenerateDemoResult> {
  const started = Date.now();
  const seed = opts.seed ?? DEFAULT_DEMO_SEED;
  const log = opts.log ?? (() => {});
  const ring = opts.keyring;
  const client = await pool.connect();
  const stats = { members: 0, helpers: 0, households: 0, residents: 0, workingAge: 0, workingAway: 0, awayHouseholds: 0 };
  const tagCounts = new Map<string, number>();
  try {
    await client.query('BEGIN');
    // One generator at a time (two concurrent first starts must not both populate).
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('lianxin:seed:demo'))`);
    const existing = await client.query('SELECT 1 FROM households WHERE synthetic LIMIT 1');
    if (existing.rows.length) {
      if (!opts.reset) {
        throw new Error('synthetic households already exist: refusing to generate demo data again (pass reset: true / --reset to replace them)');
      }
      await deleteSynthetic(client, log);
    }

    const villages = await loadVillages(client);
    if (!villages.length) throw new Error('no village orgs found: load the org tree before generating demo data');
    const bases = villages.map((v) => baseHouseholds(seed, v));
    const factor = FULL_HOUSEHOLDS / bases.reduce((a, b) => a + b, 0);
    const fullTowns = opts.scale === 'full' ? null : new Set(FULL_TOWNS[opts.scale]);

    const out = new Writer(client, ring);
    const usedIds = new Set<string>();
    const usedPhones = new Set<string>();
    let lastLog = Date.now();

    for (const [vi, v] of villages.entries()) {
      // --- members and helpers (identical at every scale) ---
      const pr = new Rng(`${seed}:people:${v.code}`);
      const pid = new Rng(`${seed}:people-uuid:${v.code}`);
      // Personal mobiles and 双报到 from a stream of their own, so adding them changed no earlier draw (names, ages).
      const pph = new Rng(`${seed}:people-phone:${v.code}`);
      const personalPhone = () => {
        let p: string;
        do p = mobileNumber(pph);
        while (usedPhones.has(p));
        usedPhones.add(p);
        return p;
      };
      const urban = urbanOf(v);
      const nMembers = clamp(v.community ? pr.normal(45, 9, 30, 60) : urban ? pr.normal(40, 8, 25, 60) : pr.normal(32, 7, 20, 45), 20, 60);
      for (let i = 0; i < nMembers; i++) {
        // Women are about 30% of party members (中共中央组织部 2023 党内统计公报: 30.2%); rural branches are older.
        const sex: Sex = pr.chance(0.3) ? 'F' : 'M';
        const age = clamp(urban ? pr.normal(48, 15, 22, 85) : pr.normal(56, 14, 22, 85), 22, 85);
        const by = birthYearOf(age);
        const joinAge = clamp(pr.normal(28, 7, 18, age), 18, age);
        const since = dateIn(pr, Math.min(by + joinAge, REF_YEAR - 1));
        // 流动党员: members working away from their branch, mostly young rural ones.
        const mobile = age < 55 && pr.chance(urban ? 0.02 : 0.07);
        // 双报到: members working in organs and enterprises also report to the community where they live — common in
        // urban communities, rare in villages.
        const dual = pph.chance(v.community ? 0.15 : urban ? 0.06 : 0.02);
        out.person(pid.uuid(), v.id, 'member', fullName(pr, pickSurname(pr), sex, by), sex, by, mobileNumber(pr), since, null, mobile, dual, personalPhone());
        stats.members++;
      }
      const nHelpers = Math.max(1, Math.round(nMembers * 0.055)); // ≈ 5% of people are non-member helpers
      for (let i = 0; i < nHelpers; i++) {
        const kind = HELPER_KIND.pick(pr);
        const sex: Sex = pr.chance(0.5) ? 'F' : 'M';
        const age = kind === '积极分子' ? pr.int(18, 40) : kind === '非党干部' ? pr.int(25, 55) : pr.int(20, 70);
        const by = birthYearOf(age);
        out.person(pid.uuid(), v.id, 'helper', fullName(pr, pickSurname(pr), sex, by), sex, by, mobileNumber(pr), null, kind, false, false, personalPhone());
        stats.helpers++;
      }

      // --- households ---
      const fullN = Math.max(20, Math.round(bases[vi]! * factor));
      const populated = fullTowns === null || fullTowns.has(v.townCode);
      const hr = new Rng(`${seed}:households:${v.code}`);
      const hid = new Rng(`${seed}:households-uuid:${v.code}`);
      const n = populated ? fullN : hr.int(18, 22);
      for (let k = 0; k < n; k++) {
        // A thin village gets a spread-out sample of the addresses it would have when fully populated.
        const index = populated ? k : Math.floor(((k + hr.next()) * fullN) / n);
        const members = household(hr, urban);
        const tags = tagsFor(hr, members, urban);
        for (const t of tags) tagCounts.set(t, (tagCounts.get(t) ?? 0) + 1);
        const adults = members.filter((p) => p.age >= 18);
        const away = adults.length > 0 && adults.every((p) => p.away);
        if (away) stats.awayHouseholds++;
        const householdId = hid.uuid();
        out.household(householdId, v.id, address(v, index, fullN), members[0]!.name, tags, away);
        stats.households++;
        for (const p of members) {
          if (p.age >= 18 && p.age < 60) {
            stats.workingAge++;
            if (p.away) stats.workingAway++;
          }
          let id: string;
          do id = makeIdNumber(AREA, p.birthDate, hr.int(0, p.sex === 'M' ? 499 : 498), p.sex);
          while (usedIds.has(id));
          usedIds.add(id);
          // About 70% of adults have a phone on record: nearly all working-age adults, fewer of the very old.
          const phoneP = p.age < 18 ? 0 : p.age < 60 ? 0.85 : p.age < 75 ? 0.6 : 0.3;
          const phone = hr.chance(phoneP) ? mobileNumber(hr) : null;
          out.resident(hid.uuid(), householdId, p.name, p.sex, p.birthDate, p.relation,
            encrypt(ring, id), keyedHash(ring, id), phone === null ? null : encrypt(ring, phone),
            p.away?.[0] ?? null, p.away?.[1] ?? null, phone === null ? null : phoneTail(phone));
          stats.residents++;
        }
        if (out.size >= BATCH) await out.flush();
      }
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        log(`demo data: ${vi + 1}/${villages.length} villages, ${stats.households} households, ${stats.residents} residents`);
      }
    }
    await out.finish();
    const biz = await generateBusinesses(client, { seed, scale: opts.scale, keyring: ring });
    log(`demo businesses: ${biz.enterprises} enterprises, ${biz.shops} shops, ${biz.teams} teams`);
    // Statistics first: without them the planner picks nested loops over freshly loaded tables (minutes, not seconds).
    await client.query('ANALYZE people, households, businesses');
    const linked = await generateLinks(client, seed);
    await client.query('ANALYZE links');
    log(`demo links: ${linked.households} households and ${linked.businesses} businesses linked to members`);
    await refreshCoverage(drizzle(client), null);
    // A published office line per village and town (0391-66xxxxx, deterministic from the code), for the public card
    // page; only where none is set, so a real number entered on a real org is never overwritten.
    await client.query(`
      UPDATE orgs SET public_phone = '0391-66' || lpad((abs(hashtext('lianxin:demo-phone:' || $1 || ':' || code)::bigint) % 100000)::text, 5, '0')
      WHERE level IN ('village', 'town') AND public_phone IS NULL AND valid_to IS NULL`, [String(seed)]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  // Fresh bulk-loaded tables have no statistics; the planner would guess badly for the first queries.
  await pool.query('ANALYZE people, households, residents, businesses, links');
  await refreshRollups(pool);
  const ms = Date.now() - started;
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : '0');
  log(`demo data (${opts.scale}, seed ${seed}): ${stats.members} members, ${stats.helpers} helpers, ${stats.households} households, `
    + `${stats.residents} residents (${(stats.residents / Math.max(1, stats.households)).toFixed(2)}/household); `
    + `away: ${pct(stats.workingAway, stats.workingAge)}% of working-age adults, ${stats.awayHouseholds} whole households; `
    + `tags: ${[...tagCounts].map(([t, c]) => `${t} ${c}`).join(', ')}; ${(ms / 1000).toFixed(1)} s`);
  return { members: stats.members, helpers: stats.helpers, households: stats.households, residents: stats.residents, ms };
}

/**
 * Recomputes org_rollups from people (current members) and households: one row per village, department and unit (the finest levels)
 * plus any other org that directly holds people or households. Towns and the zone are sums over their subtree.
 */
export async function refreshRollups(db: pg.Pool | pg.ClientBase): Promise<number> {
  const r = await db.query(`
    INSERT INTO org_rollups (org_id, members, households, updated_at)
    SELECT o.id, COALESCE(p.n, 0), COALESCE(h.n, 0), now()
    FROM orgs o
    LEFT JOIN (SELECT org_id, count(*)::int AS n FROM people WHERE kind = 'member' AND left_on IS NULL GROUP BY org_id) p ON p.org_id = o.id
    LEFT JOIN (SELECT org_id, count(*)::int AS n FROM households GROUP BY org_id) h ON h.org_id = o.id
    WHERE o.level IN ('village', 'department', 'unit') OR p.n IS NOT NULL OR h.n IS NOT NULL
    ON CONFLICT (org_id) DO UPDATE SET members = EXCLUDED.members, households = EXCLUDED.households, updated_at = now()`);
  return r.rowCount ?? 0;
}

async function deleteSynthetic(client: pg.ClientBase, log: (m: string) => void): Promise<void> {
  await client.query('DELETE FROM links WHERE synthetic OR household_id IN (SELECT id FROM households WHERE synthetic) OR business_id IN (SELECT id FROM businesses WHERE synthetic) OR person_id IN (SELECT id FROM people WHERE synthetic)');
  const r = await client.query('DELETE FROM residents WHERE synthetic OR household_id IN (SELECT id FROM households WHERE synthetic)');
  const h = await client.query('DELETE FROM households WHERE synthetic');
  // Demo accounts point at some synthetic people (accounts.person_id): those stay. Regenerating with the same seed
  // yields the same UUIDs, so the insert skips them (ON CONFLICT DO NOTHING).
  const p = await client.query(`
    DELETE FROM people p WHERE p.synthetic AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)`);
  log(`demo data reset: deleted ${r.rowCount} residents, ${h.rowCount} households, ${p.rowCount} people`);
}

async function loadVillages(client: pg.ClientBase): Promise<Village[]> {
  const { rows } = await client.query<{ id: string; code: string; short_name: string; admin_kind: string | null; ur: string | null; town: string; town_code: string }>(`
    SELECT v.id, v.code, v.short_name, v.admin_kind, v.urban_rural_code AS ur, t.short_name AS town, t.code AS town_code
    FROM orgs v JOIN orgs t ON t.id = v.parent_id
    WHERE v.level = 'village' AND v.valid_to IS NULL
    ORDER BY v.code`);
  return rows.map((r) => ({
    id: r.id, code: r.code, shortName: r.short_name, town: r.town, townCode: r.town_code,
    community: r.admin_kind === '居委会', ur: r.ur ?? '',
  }));
}

/**
 * Address of the index-th household of a village that has fullN households: 村民小组 and house number in villages
 * (groups of ~50 households, 3–12 groups), building/unit/flat in communities (24 flats per building).
 */
function address(v: Village, index: number, fullN: number): string {
  if (v.community) {
    const name = /社区$/.test(v.shortName) ? v.shortName : `${v.shortName}社区`;
    const b = 1 + Math.floor(index / 24), u = 1 + Math.floor((index % 24) / 12), f = 1 + Math.floor((index % 12) / 2);
    return `${v.town} ${name} ${b}号楼${u}单元${f}0${1 + (index % 2)}`;
  }
  const groups = clamp(fullN / 50, 3, 12);
  const per = Math.ceil(fullN / groups);
  return `${v.town} ${v.shortName} ${1 + Math.floor(index / per)}组 ${1 + (index % per)}号`;
}

// ---------------------------------------------------------------------------------------------------------------
// One household: head first, then spouse, children or a married child with in-law and grandchildren, parents.

function household(rng: Rng, urban: boolean): Person[] {
  const size = (urban ? SIZE_URBAN : SIZE_RURAL).pick(rng);
  const out: Person[] = [];
  const add = (surname: string, sex: Sex, age: number, relation: string): Person => {
    const a = clamp(age, 0, 99);
    const by = birthYearOf(a);
    const p: Person = { name: fullName(rng, surname, sex, by), surname, sex, age: a, birthDate: dateIn(rng, by), relation, away: null };
    out.push(p);
    return p;
  };
  // People living alone are mostly the elderly (the mission's 独居老人) or young singles.
  const headAge = size === 1 ? (rng.chance(0.45) ? rng.int(65, 92) : rng.int(24, 64)) : clamp(rng.normal(53, 13, 28, 85), 28, 85);
  const headSex: Sex = rng.chance(size === 1 ? 0.5 : 0.8) ? 'M' : 'F';
  const head = add(pickSurname(rng), headSex, headAge, '户主');
  if (size === 1) {
    awayLogic(rng, out, urban, []);
    return out;
  }
  let left = size - 1;
  let spouse: Person | null = null;
  if (rng.chance(0.88)) {
    const sex: Sex = headSex === 'M' ? 'F' : 'M';
    spouse = add(pickSurname(rng), sex, headAge + (headSex === 'M' ? -rng.int(0, 5) : rng.int(0, 5)), '配偶');
    left--;
  }
  const father = headSex === 'M' ? head : spouse ?? head;
  const couples: [Person, Person | null, Person[]][] = [];
  if (left >= 3 && headAge >= 50 && rng.chance(0.7)) {
    // Three generations: a married child, the in-law, and grandchildren.
    const sonLine = rng.chance(0.85);
    const childAge = Math.max(20, headAge - rng.int(22, 30));
    const child = add(father.surname, sonLine ? 'M' : 'F', childAge, sonLine ? '子' : '女');
    const inlaw = add(pickSurname(rng), sonLine ? 'F' : 'M', childAge + (sonLine ? -rng.int(0, 4) : rng.int(0, 4)), sonLine ? '儿媳' : '女婿');
    left -= 2;
    const surname = sonLine ? child.surname : inlaw.surname;
    let age = Math.max(0, childAge - rng.int(22, 32)) + rng.int(0, 4);
    const kids: Person[] = [];
    for (; left > 0; left--) {
      const sex: Sex = rng.chance(0.52) ? 'M' : 'F';
      kids.push(add(surname, sex, Math.max(0, age), sex === 'M' ? '孙子' : '孙女'));
      age -= rng.int(1, 5);
    }
    couples.push([head, spouse, []], [child, inlaw, kids]);
  } else {
    const parents = headAge <= 62 && rng.chance(left >= 3 ? 0.4 : 0.15) ? Math.min(left, rng.int(1, 2)) : 0;
    let age = Math.max(0, headAge - rng.int(22, 32));
    const kids: Person[] = [];
    for (let i = 0; i < left - parents; i++) {
      const sex: Sex = rng.chance(0.52) ? 'M' : 'F';
      kids.push(add(father.surname, sex, Math.max(0, age), sex === 'M' ? '子' : '女'));
      age -= rng.int(1, 6);
    }
    const parentAge = headAge + rng.int(22, 32);
    if (parents === 2) {
      add(head.surname, 'M', parentAge, '父亲');
      add(pickSurname(rng), 'F', parentAge - rng.int(0, 4), '母亲');
    } else if (parents === 1) {
      // Widowed parents living with a child are more often mothers (women live longer).
      if (rng.chance(0.35)) add(head.surname, 'M', parentAge, '父亲');
      else add(pickSurname(rng), 'F', parentAge, '母亲');
    }
    couples.push([head, spouse, kids]);
  }
  awayLogic(rng, out, urban, couples);
  return out;
}

const working = (p: Person) => p.age >= 18 && p.age < 60;

/**
 * 在外: couples of working age often migrate together, leaving children with grandparents (留守儿童); sometimes the
 * whole household lives away. Rates give ≈ 8% of working-age adults away overall (more in villages).
 */
function awayLogic(rng: Rng, out: Person[], urban: boolean, couples: [Person, Person | null, Person[]][]): void {
  const dest = (): [string, string] => {
    const scope = AWAY_SCOPE.pick(rng);
    return [scope, AWAY_PLACES[scope]!.pick(rng)];
  };
  if (out.some(working) && rng.chance(urban ? 0.008 : 0.015)) {
    const d = dest(); // the whole household lives away together
    for (const p of out) p.away = d;
    return;
  }
  for (const [a, b] of couples) {
    if (b && working(a) && working(b) && rng.chance(urban ? 0.04 : 0.08)) {
      const d = dest();
      a.away = d;
      b.away = d;
    }
  }
  for (const p of out) {
    if (!p.away && working(p) && rng.chance(urban ? 0.02 : 0.035)) p.away = dest();
  }
  // Children whose parents are all away stay only if another adult at home can look after them; otherwise they go along.
  const adultAtHome = out.some((p) => p.age >= 18 && !p.away);
  for (const [a, b, kids] of couples) {
    const parentsAway = a.away && (!b || b.away);
    if (!parentsAway) continue;
    for (const k of kids) if (k.age < 18 && !adultAtHome) k.away = a.away;
  }
}

/** Vulnerability tags consistent with the household: 独居老人 and 留守儿童 follow from its members. */
function tagsFor(rng: Rng, m: Person[], urban: boolean): string[] {
  const tags: string[] = [];
  const head = m[0]!;
  const alone = m.length === 1;
  let tekun = false;
  // 特困 (no income, no able supporter) are mostly old people living alone; exclusive with 低保 by policy.
  if (alone && head.age >= 60 && rng.chance(0.08)) { tags.push('特困'); tekun = true; }
  if (!tekun && rng.chance((urban ? 0.015 : 0.035) * (head.age >= 70 ? 2 : 1))) tags.push('低保');
  if (rng.chance(0.04)) tags.push('残疾');
  if (rng.chance(m.some((p) => p.age >= 70) ? 0.03 : 0.01)) tags.push('重病');
  if (alone && head.age >= 65 && !head.away) tags.push('独居老人');
  if (hasLeftBehindChild(m)) tags.push('留守儿童');
  return tags;
}

/** A child under 16 at home whose father and mother (both in the household) are away. */
function hasLeftBehindChild(m: Person[]): boolean {
  const head = m[0]!;
  const spouse = m.find((p) => p.relation === '配偶');
  const child = m.find((p) => p.relation === '子' || p.relation === '女');
  const inlaw = m.find((p) => p.relation === '儿媳' || p.relation === '女婿');
  const kidsAtHome = (rels: string[]) => m.some((p) => rels.includes(p.relation) && p.age < 16 && !p.away);
  if (spouse && head.away && spouse.away && kidsAtHome(['子', '女'])) return true;
  return !!(child && inlaw && child.away && inlaw.away && kidsAtHome(['孙子', '孙女']));
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Column buffers flushed as INSERT … SELECT FROM unnest($1::uuid[], …): one statement per table per batch, close to
 * COPY speed without another dependency. One batch stays in flight while the next is built, so PostgreSQL inserts
 * on one core while Node generates and encrypts on the other.
 */
class Writer {
  private hh = cols(7);
  private res = cols(12);
  private ppl = cols(15);
  private pending: Promise<unknown> | null = null;

  constructor(private readonly client: pg.ClientBase, private readonly ring: Keyring) {}

  get size(): number { return this.res[0]!.length + this.hh[0]!.length + this.ppl[0]!.length; }

  /** The last value is the personal mobile: stored as every writer stores it (encrypted, keyed hash, tail). */
  person(...v: [string, string, string, string, Sex, number, string, string | null, string | null, boolean, boolean, string]): void {
    const phone = v[11];
    [...v.slice(0, 11), initials(v[3]), encrypt(this.ring, phone), keyedHash(this.ring, phone), phoneTail(phone)]
      .forEach((x, i) => this.ppl[i]!.push(i === 5 ? String(x) : x));
  }
  household(id: string, orgId: string, address: string, headName: string, tags: string[], away: boolean): void {
    // Arrays of arrays would flatten in unnest: tags travel as array literals and are cast back per row.
    [id, orgId, address, headName, initials(headName), `{${tags.join(',')}}`, away].forEach((x, i) => this.hh[i]!.push(x));
  }
  resident(...v: [string, string, string, Sex, string, string, string, string, string | null, string | null, string | null, string | null]): void {
    v.forEach((x, i) => this.res[i]!.push(x));
  }

  async flush(): Promise<void> {
    const statements: [string, unknown[][]][] = [];
    if (this.ppl[0]!.length) {
      statements.push([`
        INSERT INTO people (id, org_id, kind, name, sex, birth_year, work_phone, member_since, helper_kind, mobile, dual_registered,
                            name_initials, phone_enc, phone_hash, phone_tail, synthetic)
        SELECT *, true FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                   $8::date[], $9::text[], $10::bool[], $11::bool[], $12::text[], $13::text[], $14::text[], $15::text[])
        ON CONFLICT (id) DO NOTHING`, this.ppl]);
      this.ppl = cols(15);
    }
    if (this.hh[0]!.length) {
      statements.push([`
        INSERT INTO households (id, org_id, address, head_name, head_initials, tags, away, synthetic)
        SELECT id, org_id, address, head_name, head_initials, tags::text[], away, true
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[])
          AS x(id, org_id, address, head_name, head_initials, tags, away)`,
      this.hh]);
      this.hh = cols(7);
    }
    if (this.res[0]!.length) {
      statements.push([`
        INSERT INTO residents (id, household_id, name, sex, birth_date, relation, id_number_enc, id_number_hash, phone_enc,
                               away_scope, away_place, phone_tail, synthetic)
        SELECT *, true FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[],
                                   $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])`, this.res]);
      this.res = cols(12);
    }
    // Chain this batch behind the one in flight (a pg client runs one query at a time) and return once that one is
    // done: this batch executes in PostgreSQL while the caller builds the next.
    const previous = this.pending ?? Promise.resolve();
    const batch = previous.then(async () => {
      for (const [sql, params] of statements) await this.client.query(sql, params);
    });
    batch.catch(() => {}); // observed by the next flush/finish; avoids an unhandled rejection meanwhile
    this.pending = batch;
    await previous;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.pending;
  }
}

function cols(n: number): unknown[][] {
  return Array.from({ length: n }, () => []);
}
