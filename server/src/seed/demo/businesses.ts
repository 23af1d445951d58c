import type pg from 'pg';
import type { Keyring } from '../../config.ts';
import { encrypt } from '../../lib/crypto.ts';
import { phoneTail } from '../../lib/id-number.ts';
import { initials } from '../../lib/pinyin.ts';
import { makeCreditCode } from '../../lib/credit-code.ts';
import { fullName, mobileNumber, pickSurname } from './names.ts';
import { Rng, Weighted } from './rng.ts';

/**
 * Synthetic enterprises (企业), shops (个体工商户) and enterprise teams (班组) on the real village tree, all
 * `synthetic = true`. Deterministic like generate.ts: every choice comes from sfc32 streams seeded by
 * (seed, purpose, village code), so a village's businesses are the same at every scale. Only AES-GCM IVs vary.
 *
 * Sizes: Jiyuan has on the order of 1,200 enterprises and 15,000 individual businesses (illustrative figures for a
 * city of ~730k; market-entity statistics count more, including those registered in the urban districts'
 * buildings). At `full` every village gets its share; at `demo` the fully populated town (克井镇, home of the
 * 玉川 industrial cluster, so weighted up for enterprises) gets its share and every other village 0–2 shops;
 * `town` populates 克井镇, 沁园街道 and 梨林镇 fully.
 */

export type BusinessScale = 'demo' | 'town' | 'full';

const FULL_ENTERPRISES = 1_200;
const FULL_SHOPS = 15_000;
const FULL_TOWNS: Record<Exclude<BusinessScale, 'full'>, string[]> = {
  demo: ['419001100000'], // 克井镇
  town: ['419001100000', '419001001000', '419001106000'], // 克井镇, 沁园街道, 梨林镇
};
/** Towns with industrial parks: more enterprises per village (克井镇: 玉川产业集聚区; 五龙口镇; 承留镇). */
const INDUSTRIAL_TOWNS: Record<string, number> = { '419001100000': 2.2, '419001101000': 1.4, '419001104000': 1.3 };
/** Registration area code in the credit codes (the zone's; real codes carry the registering authority's). */
const AREA = '419001';
const BATCH = 4000;

interface Village { id: string; code: string; shortName: string; town: string; townCode: string; community: boolean; ur: string }

// --- names -----------------------------------------------------------------------------------------------------

/** Trade names (字号): generic auspicious words and local landmarks (太行, 王屋, 沁河, 济水, 玉川, 天坛, 愚公). */
const TRADE = ['恒通', '宏达', '鑫源', '华瑞', '瑞丰', '永盛', '诚信', '兴隆', '联创', '中原', '太行', '王屋', '沁河', '济水',
  '玉川', '天坛', '愚公', '富源', '德润', '康达', '正阳', '博远', '晟通', '鼎盛', '豫丰', '金石', '宏图', '鸿运', '长青',
  '新亚', '天成', '聚源', '华鑫', '嘉禾', '合力', '众邦', '广源', '丰泽', '立信', '宇航', '东方', '北斗', '金鼎', '安泰'] as const;

/** Industries with weights bent toward Jiyuan's economy (metallurgy, refractories, casting, chemicals, machinery). */
const INDUSTRY = new Weighted<[suffix: string, credit: '91' | '93']>([
  [['机械制造有限公司', '91'], 14], [['耐火材料有限公司', '91'], 8], [['铸造有限公司', '91'], 7], [['化工有限公司', '91'], 5],
  [['新材料科技有限公司', '91'], 6], [['钢结构工程有限公司', '91'], 5], [['建材有限公司', '91'], 8], [['物流有限公司', '91'], 7],
  [['商贸有限公司', '91'], 12], [['农业开发有限公司', '91'], 5], [['食品有限公司', '91'], 4], [['电力设备有限公司', '91'], 3],
  [['汽车零部件有限公司', '91'], 3], [['建筑工程有限公司', '91'], 6], [['环保科技有限公司', '91'], 3], [['矿山机械有限公司', '91'], 3],
  [['冶金辅料有限公司', '91'], 3], [['核桃种植专业合作社', '93'], 2], [['冬凌草种植专业合作社', '93'], 1], [['养殖专业合作社', '93'], 2],
]);
const ENT_PREFIX = new Weighted<string>([['济源市', 70], ['济源', 15], ['河南', 10], ['济源示范区', 5]]);

/** Shop names: a builder per kind; `s` = owner's surname, `v` = the village's short name without 村/社区. */
type ShopName = (r: Rng, s: string, v: string) => string;
const SHOPS = new Weighted<ShopName>([
  [(r, s) => r.pick([`${s}家超市`, `${r.pick(TRADE)}超市`, `${r.pick(TRADE)}便利店`, `${s}记便利店`]), 16],
  [(r, s, v) => r.pick([`${s}记小吃店`, `${v}烩面馆`, `${s}家饭店`, `${r.pick(TRADE)}饭庄`, `${s}记早餐店`, `${v}羊肉汤馆`]), 16],
  [(r, s) => r.pick([`${s}氏理发店`, `${r.pick(TRADE)}美发店`, `${r.pick(['时尚', '靓丽', '新潮'])}理发店`]), 7],
  [(_r, s, v) => `${v}${s}记农资店`, 6],
  [(r, s) => r.pick([`${s}记五金店`, `${r.pick(TRADE)}五金建材`]), 6],
  [(r) => `${r.pick(TRADE)}大药房`, 4],
  [(r, s) => r.pick([`${s}记电动车维修`, `${s}师傅修车铺`, `${r.pick(TRADE)}汽修店`]), 6],
  [(r, s) => r.pick([`${s}氏服装店`, `${r.pick(TRADE)}服饰`]), 6],
  [(r, s) => r.pick([`${s}家烟酒店`, `${r.pick(TRADE)}烟酒商行`]), 6],
  [(_r, _s, v) => `${v}快递驿站`, 3],
  [(r, s) => r.pick([`${s}记粮油店`, `${r.pick(TRADE)}粮油`]), 4],
  [(r, s) => r.pick([`${s}家水果店`, `${r.pick(TRADE)}鲜果`]), 5],
  [(r, s) => r.pick([`${s}记家电维修`, `${r.pick(TRADE)}手机店`]), 4],
  [(r, s) => r.pick([`${s}家馍店`, `${s}记豆腐坊`, `${r.pick(TRADE)}蛋糕店`]), 5],
  [(r, s) => r.pick([`${s}记建材门市`, `${r.pick(TRADE)}装饰`]), 3],
  [(_r, s, v) => `${v}${s}记养殖场`, 3],
]);
const TEAMS = ['一车间甲班', '一车间乙班', '二车间甲班', '二车间乙班', '三车间', '机修班', '电工班', '包装班', '质检班', '运输班',
  '仓储班', '炉前班', '装配班', '安全班'] as const;
const ENT_SIZE = new Weighted<[number, number]>([[[5, 20], 50], [[20, 100], 35], [[100, 300], 12], [[300, 1500], 3]]);
const ROADS = ['济渎路', '天坛路', '愚公路', '沁园路', '黄河大道', '宣化街', '北海大道', '玉川大道', '工业路', '建设路', '文化路', '创业路'] as const;

/** 主体标识码 (GB 11714): 8 characters and a check (weights 3 7 9 10 5 8 4 2, modulus 11; 10 → X, 11 → 0). */
function subjectCode(r: Rng): string {
  const digits = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = 'MA';
  for (let i = 0; i < 6; i++) body += r.pick(digits.split(''));
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((a, c, i) => a + (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55) * w[i]!, 0);
  const c = 11 - (sum % 11);
  return body + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
}

function villageWord(v: Village): string {
  return v.shortName.replace(/(村|社区|居委会)$/, '') || v.shortName;
}

function addressOf(r: Rng, v: Village, industrial: boolean): string {
  if (v.community || v.ur.startsWith('1')) return `${v.town} ${v.shortName} ${r.pick(ROADS)}${r.int(1, 300)}号`;
  if (industrial && r.chance(0.5)) return `${v.town} ${v.shortName} 工业园区 ${r.int(1, 80)}号`;
  return `${v.town} ${v.shortName} ${r.int(1, 10)}组 ${r.int(1, 120)}号`;
}

/** Relative size of a village's business life: communities and urban villages have more shops, industrial towns more firms. */
function bases(seed: number, v: Village): { ent: number; shop: number } {
  const r = new Rng(`${seed}:business-size:${v.code}`);
  const urban = v.community || v.ur.startsWith('1');
  const shop = v.community ? r.normal(60, 15, 25, 110) : urban ? r.normal(40, 10, 15, 80) : r.normal(20, 7, 5, 45);
  const ent = (urban ? r.normal(2.5, 1.2, 0.3, 6) : r.normal(2, 1.2, 0, 6)) * (INDUSTRIAL_TOWNS[v.townCode] ?? 1);
  return { ent, shop };
}

export async function generateBusinesses(
  client: pg.ClientBase,
  opts: { seed: number; scale: BusinessScale; keyring: Keyring },
): Promise<{ enterprises: number; shops: number; teams: number }> {
  const { seed, keyring } = opts;
  // Regeneration (generateDemo's reset) replaces earlier synthetic businesses; the same seed gives the same UUIDs.
  await client.query('DELETE FROM businesses WHERE synthetic');
  const { rows } = await client.query<{ id: string; code: string; short_name: string; admin_kind: string | null; ur: string | null; town: string; town_code: string }>(`
    SELECT v.id, v.code, v.short_name, v.admin_kind, v.urban_rural_code AS ur, t.short_name AS town, t.code AS town_code
    FROM orgs v JOIN orgs t ON t.id = v.parent_id
    WHERE v.level = 'village' AND v.valid_to IS NULL
    ORDER BY v.code`);
  const villages: Village[] = rows.map((x) => ({
    id: x.id, code: x.code, shortName: x.short_name, town: x.town, townCode: x.town_code, community: x.admin_kind === '居委会', ur: x.ur ?? '',
  }));
  const b = villages.map((v) => bases(seed, v));
  const entFactor = FULL_ENTERPRISES / Math.max(1e-9, b.reduce((a, x) => a + x.ent, 0));
  const shopFactor = FULL_SHOPS / Math.max(1e-9, b.reduce((a, x) => a + x.shop, 0));
  const fullTowns = opts.scale === 'full' ? null : new Set(FULL_TOWNS[opts.scale]);

  const cols: unknown[][] = Array.from({ length: 12 }, () => []);
  const stats = { enterprises: 0, shops: 0, teams: 0 };
  const usedCodes = new Set<string>();
  const flush = async () => {
    if (!cols[0]!.length) return;
    await client.query(`
      INSERT INTO businesses (id, kind, org_id, parent_id, name, name_initials, address, credit_code, contact_name,
                              contact_phone_enc, employees, contact_phone_tail, synthetic)
      SELECT *, true FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                                 $8::text[], $9::text[], $10::text[], $11::int[], $12::text[])`, cols);
    for (const c of cols) c.length = 0;
  };
  const push = (...v: [string, string, string, string | null, string, string, string | null, string | null, string | null, number]) => {
    const [id, kind, orgId, parentId, name, address, credit, contactName, phone, employees] = v;
    [id, kind, orgId, parentId, name, initials(name), address, credit, contactName,
      phone === null ? null : encrypt(keyring, phone), employees, phone === null ? null : phoneTail(phone)].forEach((x, i) => cols[i]!.push(x));
  };
  const creditCode = (r: Rng, prefix: string): string => {
    let code: string;
    do code = makeCreditCode(`${prefix}${AREA}${subjectCode(r)}`);
    while (usedCodes.has(code));
    usedCodes.add(code);
    return code;
  };

  for (const [vi, v] of villages.entries()) {
    const r = new Rng(`${seed}:businesses:${v.code}`);
    const ids = new Rng(`${seed}:businesses-uuid:${v.code}`);
    const populated = fullTowns === null || fullTowns.has(v.townCode);
    const nEnt = populated ? Math.round(b[vi]!.ent * entFactor) : 0;
    const nShop = populated ? Math.round(b[vi]!.shop * shopFactor) : r.int(0, 2);
    const industrial = v.townCode in INDUSTRIAL_TOWNS;
    const word = villageWord(v);
    const names = new Set<string>();
    const unique = (make: () => string): string => {
      for (let i = 0; i < 20; i++) {
        const n = make();
        if (!names.has(n)) { names.add(n); return n; }
      }
      let k = 2;
      const base = make();
      while (names.has(`${base}（${k}）`)) k++;
      names.add(`${base}（${k}）`);
      return `${base}（${k}）`;
    };
    const contact = (p: number, surname = pickSurname(r)): [string, string | null] => {
      const sex = r.chance(0.25) ? 'F' : 'M';
      return [fullName(r, surname, sex, r.int(1960, 1998)), r.chance(p) ? mobileNumber(r) : null];
    };

    for (let i = 0; i < nEnt; i++) {
      const [suffix, credit] = INDUSTRY.pick(r);
      const name = unique(() => (credit === '93' ? `济源市${word}${suffix}` : `${ENT_PREFIX.pick(r)}${r.pick(TRADE)}${suffix}`));
      const [lo, hi] = ENT_SIZE.pick(r);
      const employees = r.int(lo, hi);
      const [cName, cPhone] = contact(0.92);
      const id = ids.uuid();
      const address = addressOf(r, v, industrial);
      push(id, 'enterprise', v.id, null, name, address, creditCode(r, credit), cName, cPhone, employees);
      stats.enterprises++;
      // 班组 for about 20% of enterprises, mostly the larger ones.
      if (r.chance(employees >= 100 ? 0.55 : employees >= 20 ? 0.2 : 0.04)) {
        const n = r.int(2, 4);
        const pool = [...TEAMS];
        for (let k = 0; k < n; k++) {
          const team = pool.splice(r.int(0, pool.length - 1), 1)[0]!;
          const [tName, tPhone] = contact(0.7);
          push(ids.uuid(), 'team', v.id, id, team, address, null, tName, tPhone, Math.max(3, Math.round(employees / (n + 2) * (0.6 + r.next() * 0.8))));
          stats.teams++;
        }
      }
    }
    for (let i = 0; i < nShop; i++) {
      const surname = pickSurname(r);
      const make = SHOPS.pick(r);
      const name = unique(() => make(r, surname, word));
      const [cName, cPhone] = contact(0.8, surname);
      // Most 个体工商户 registered since 2016 carry a credit code (92…); older or informal ones may not have one on record.
      push(ids.uuid(), 'shop', v.id, null, name, addressOf(r, v, false), r.chance(0.75) ? creditCode(r, '92') : null,
        cName, cPhone, r.int(1, 6));
      stats.shops++;
    }
    if (cols[0]!.length >= BATCH) await flush();
  }
  await flush();
  return stats;
}
