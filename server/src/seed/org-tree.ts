import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinyinKeys } from '../lib/pinyin.ts';
import type pg from 'pg';

/**
 * The real organization tree: Jiyuan's 16 towns/streets and 557 villages/communities (NBS 2023 codes, see
 * data/SOURCE.md), each node together with its party organization, plus the project office, departments and a few
 * unit party organizations beside the tree under the zone.
 */
export const ZONE = { code: '419001000000', name: '济源产城融合示范区', party: '中共济源产城融合示范区工作委员会' };
/** NBS codes are valid from the 2023 edition's cut-off; restructuring later adds history after this date. */
export const TREE_VALID_FROM = '2023-06-30';
export const OFFICE_CODE = `${ZONE.code}-O01`;

const DEPARTMENTS: [string, string][] = [
  ['D01', '纪检监察工委'], ['D02', '党工委宣传部'], ['D03', '党工委政法委'], ['D04', '信访局'],
  ['D05', '住房和城乡建设局'], ['D06', '生态环境局'], ['D07', '应急管理局'], ['D08', '农业农村局'],
  ['D09', '民政局'], ['D10', '人力资源和社会保障局'], ['D11', '卫生健康委员会'], ['D12', '公安局'],
];
// Illustrative unit party organizations (机关、企业); marked synthetic because their membership is invented.
const UNITS: [string, string, string][] = [
  ['U01', '示范区机关第一党支部', '党支部'],
  ['U02', '示范区非公企业联合党委', '党委'],
  ['U03', '示范区教育系统党委', '党委'],
];

export interface CsvRow { code: string; name: string; short_name: string; level: string; kind: string; parent_code: string; urban_rural_code: string }

export function readDivisions(): CsvRow[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'jiyuan-divisions.csv');
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = header!.split(',');
  return lines.map((l) => {
    const v = l.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, v[i] ?? ''])) as unknown as CsvRow;
  });
}

function partyOf(row: CsvRow): { kind: string; name: string } {
  if (row.level === 'town') {
    return row.kind === '街道'
      ? { kind: '党工委', name: `中共济源示范区${row.short_name}工作委员会` }
      : { kind: '党委', name: `中共济源示范区${row.short_name}委员会` };
  }
  const unit = row.kind === '居委会' && !/社区$/.test(row.short_name) ? `${row.short_name}社区` : row.short_name;
  return { kind: '党支部', name: `中共${unit}支部委员会` };
}

interface Node {
  code: string; name: string; shortName: string; level: string; adminKind: string | null; partyKind: string | null;
  partyName: string | null; parent: string | null; urbanRural: string | null; sortKey: number; synthetic: boolean;
}

export function treeNodes(): Node[] {
  const rows = readDivisions();
  const nodes: Node[] = [{
    code: ZONE.code, name: ZONE.name, shortName: '济源示范区', level: 'zone', adminKind: '示范区', partyKind: '党工委',
    partyName: ZONE.party, parent: null, urbanRural: null, sortKey: 0, synthetic: false,
  }];
  nodes.push({
    code: OFFICE_CODE, name: '党工委组织部 党群连心工程办公室', shortName: '党群连心办', level: 'office', adminKind: null,
    partyKind: null, partyName: null, parent: ZONE.code, urbanRural: null, sortKey: 900, synthetic: false,
  });
  DEPARTMENTS.forEach(([s, n], i) => nodes.push({
    code: `${ZONE.code}-${s}`, name: `济源示范区${n}`, shortName: n, level: 'department', adminKind: null, partyKind: null,
    partyName: null, parent: ZONE.code, urbanRural: null, sortKey: 1000 + i, synthetic: false,
  }));
  UNITS.forEach(([s, n, k], i) => nodes.push({
    code: `${ZONE.code}-${s}`, name: n, shortName: n, level: 'unit', adminKind: null, partyKind: k, partyName: `中共${n}`,
    parent: ZONE.code, urbanRural: null, sortKey: 2000 + i, synthetic: true,
  }));
  rows.forEach((r, i) => {
    const party = partyOf(r);
    nodes.push({
      code: r.code, name: r.name, shortName: r.short_name, level: r.level, adminKind: r.kind, partyKind: party.kind,
      partyName: party.name, parent: r.parent_code, urbanRural: r.urban_rural_code || null, sortKey: i + 1, synthetic: false,
    });
  });
  return nodes;
}

/** Inserts the whole tree in one transaction (parents before children); does nothing if the zone exists. */
export async function loadOrgTree(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query('SELECT 1 FROM orgs WHERE code = $1', [ZONE.code]);
  if (rows.length) return 0;
  const nodes = treeNodes();
  const byCode = new Map(nodes.map((n) => [n.code, n]));
  const pathOf = (n: Node): string => (n.parent ? `${pathOf(byCode.get(n.parent)!)}/${n.code}` : n.code);
  const cols = {
    code: [] as string[], name: [] as string[], short: [] as string[], level: [] as string[], admin: [] as (string | null)[],
    pk: [] as (string | null)[], pn: [] as (string | null)[], parent: [] as (string | null)[], path: [] as string[],
    depth: [] as number[], ur: [] as (string | null)[], ini: [] as string[], py: [] as string[], sort: [] as number[], syn: [] as boolean[],
  };
  for (const n of nodes) {
    const p = pathOf(n);
    const keys = pinyinKeys(n.shortName);
    cols.code.push(n.code); cols.name.push(n.name); cols.short.push(n.shortName); cols.level.push(n.level);
    cols.admin.push(n.adminKind); cols.pk.push(n.partyKind); cols.pn.push(n.partyName); cols.parent.push(n.parent);
    cols.path.push(p); cols.depth.push(p.split('/').length - 1); cols.ur.push(n.urbanRural);
    cols.ini.push(keys.initials); cols.py.push(keys.full); cols.sort.push(n.sortKey); cols.syn.push(n.synthetic);
  }
  await client.query('BEGIN');
  try {
    await client.query(`
      INSERT INTO orgs (code, name, short_name, level, admin_kind, party_kind, party_name, path, depth, urban_rural_code,
                        pinyin_initials, pinyin, sort_key, synthetic, valid_from)
      SELECT * , $15::date FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::int[], $10::text[], $11::text[], $12::text[], $13::int[], $14::bool[])`,
      [cols.code, cols.name, cols.short, cols.level, cols.admin, cols.pk, cols.pn, cols.path, cols.depth, cols.ur,
        cols.ini, cols.py, cols.sort, cols.syn, TREE_VALID_FROM]);
    await client.query(`
      UPDATE orgs o SET parent_id = p.id FROM unnest($1::text[], $2::text[]) AS x(code, parent)
      JOIN orgs p ON p.code = x.parent WHERE o.code = x.code`,
      [cols.code, cols.parent]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    throw e;
  }
  return nodes.length;
}
