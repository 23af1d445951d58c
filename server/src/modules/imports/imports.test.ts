import type { Workbook } from 'exceljs';
import ExcelJS from '../../lib/exceljs.ts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { residentBody } from '../../../test/factories.ts';
import { errorRowsOf, importWorkbook, uploadWorkbook, waitForJob } from '../../../test/imports.ts';
import { decrypt, keyedHash } from '../../lib/crypto.ts';
import { makeIdNumber } from '../../lib/id-number.ts';
import { initials } from '../../lib/pinyin.ts';
import { lastImportPhases } from './imports.job.ts';
import { importLimits, XLSX_TYPE } from './imports.limits.ts';

let t: TestApp;
const s: Record<string, Session> = {};
let own: string; // the secretary's village
let neighbour: string; // another village of the same town

type Household = [key: string, village: string, address: string, tags: string, grid: string];
type Resident = [key: string, name: string, sex: string, birth: string, id: string, phone: string, relation: string, awayScope: string, awayPlace: string];

beforeAll(async () => {
  t = await setupTestApp();
  for (const r of ['office', 'secretary', 'leader', 'department']) s[r] = await login(t.app, r);
  const { rows } = await t.database.db.execute<{ code: string }>(sql`
    SELECT v.code FROM orgs v JOIN orgs p ON p.id = v.parent_id
    WHERE v.level = 'village' AND p.code = '419001100000' ORDER BY v.sort_key`);
  own = rows[0]!.code;
  neighbour = rows[1]!.code;
});
afterAll(async () => { await t.close(); });

function get(role: string, url: string) {
  return t.app.inject({ method: 'GET', url, headers: { cookie: s[role]!.cookie } });
}
const upload = (role: string, body: Buffer) => uploadWorkbook(t.app, s[role]!, 'households', body);
async function count(table: 'households' | 'residents'): Promise<number> {
  return (await t.database.db.execute<{ n: number }>(sql.raw(`SELECT count(*)::int AS n FROM ${table}`))).rows[0]!.n;
}
const finished = (role: string, id: string) => waitForJob(t.app, s[role]!, id);
const importAs = (role: string, body: Buffer) => importWorkbook(t.app, s[role]!, 'households', body);
async function workbook(households: Household[], residents: Resident[], edit?: (wb: Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const hs = wb.addWorksheet('住户');
  hs.addRow(['户编号', '村（社区）代码', '地址', '标签', '网格代码']);
  for (const h of households) hs.addRow(h);
  const rs = wb.addWorksheet('居民');
  rs.addRow(['户编号', '姓名', '性别', '出生日期', '身份证号', '电话', '与户主关系', '在外范围', '在外地点']);
  for (const r of residents) rs.addRow(r);
  edit?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
function person(key: string, relation: string, o: { sex?: 'M' | 'F'; birthDate?: string; phone?: string; away?: string } = {}): Resident {
  const b = residentBody({ relation, sex: o.sex ?? 'M', birthDate: o.birthDate ?? '1970-05-17' });
  return [key, `导入${relation}`, b.sex === 'M' ? '男' : '女', b.birthDate, b.idNumber, o.phone ?? '', relation, o.away ?? '', ''];
}
/** Three households, seven residents, in the secretary's village. */
function sample(village: string): { households: Household[]; residents: Resident[] } {
  return {
    households: [[`A`, village, '导入测试 1组 1号', '低保', ''], ['B', village, '导入测试 1组 2号', '', ''], ['C', village, '导入测试 2组 9号', '低保、残疾', '']],
    residents: [
      person('A', '户主', { phone: '13812345678' }), person('A', '配偶', { sex: 'F', birthDate: '1972-03-02' }), person('A', '子', { birthDate: '2001-09-09' }),
      person('B', '户主', { away: '省外' }), person('B', '女', { sex: 'F', birthDate: '2015-01-20' }),
      person('C', '户主', { sex: 'F', birthDate: '1950-12-01' }), person('C', '孙子', { birthDate: '2012-06-30' }),
    ],
  };
}
const errorRows = (role: string, id: string) => errorRowsOf(t.app, s[role]!, id);

describe('GET /api/v1/imports/templates/households.xlsx', () => {
  it('returns 200 with sheets 说明, 住户, 居民, 可选值 and re-uploaded unchanged is done with 0 rows and nothing written', async () => {
    const res = await get('secretary', '/api/v1/imports/templates/households.xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(XLSX_TYPE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明', '住户', '居民', '可选值']);
    expect(wb.getWorksheet('说明')!.getColumn(1).values.join('')).toContain('300,000');
    expect(wb.getWorksheet('说明')!.getColumn(1).values.join('')).toContain('100 MB');
    const before = [await count('households'), await count('residents')];
    const job = await importAs('secretary', res.rawPayload);
    expect(job).toMatchObject({ status: 'done', counts: { rows: 0, validated: 0, errors: 0, written: 0 } });
    expect([await count('households'), await count('residents')]).toEqual(before);
  });
});

describe('POST /api/v1/imports/households', () => {
  it('is done for 3 households / 7 residents: counts, encryption at rest, masked in GET /households, audited, village count +3', async () => {
    const { households, residents } = sample(own);
    const before = (await get('office', `/api/v1/orgs/${own}`)).json().data.counts.households;
    const job = await importAs('secretary', await workbook(households, residents));
    expect(job).toMatchObject({ status: 'done', counts: { rows: 10, validated: 10, errors: 0, written: 10, households: 3, residents: 7 } });
    expect(job.startedAt).toBeTruthy();
    expect(job.finishedAt).toBeTruthy();
    const head = residents[0]!;
    const { rows } = await t.database.db.execute<{ id_number_enc: string; phone_enc: string | null; phone_tail: string | null; household_id: string }>(sql`
      SELECT r.id_number_enc, r.phone_enc, r.phone_tail, r.household_id FROM residents r JOIN households h ON h.id = r.household_id
      WHERE h.address = '导入测试 1组 1号' AND r.relation = '户主'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_number_enc.startsWith('t1:')).toBe(true);
    expect(rows[0]!.id_number_enc).not.toContain(head[4]);
    expect(decrypt(t.config.keyring, rows[0]!.id_number_enc)).toBe(head[4]);
    expect(decrypt(t.config.keyring, rows[0]!.phone_enc!)).toBe('13812345678');
    expect(rows[0]!.phone_tail).toBe('5678'); // search by 尾号
    const list = await get('secretary', `/api/v1/households?org=${own}&q=${encodeURIComponent('导入测试')}`);
    expect(list.json().data.map((h: { address: string }) => h.address).sort()).toEqual(['导入测试 1组 1号', '导入测试 1组 2号', '导入测试 2组 9号']);
    const a = list.json().data.find((h: { address: string }) => h.address === '导入测试 1组 1号');
    expect(a).toMatchObject({ headName: '导入户主', tags: ['低保'], residentCount: 3, away: false });
    const b = list.json().data.find((h: { address: string }) => h.address === '导入测试 1组 2号');
    expect(b.away).toBe(true); // the only adult is away
    const detail = await get('secretary', `/api/v1/households/${rows[0]!.household_id}`);
    expect(detail.body).not.toContain(head[4]);
    expect(detail.body).not.toContain('13812345678');
    expect(detail.json().data.residents[0].idNumberMasked).toBe(`${head[4].slice(0, 3)}***********${head[4].slice(-4)}`);
    const audit = await t.database.db.execute<{ after: { households: number; residents: number } }>(sql`
      SELECT after FROM audit_events WHERE action = 'household.import' AND entity_id = ${job.id}`);
    expect(audit.rows[0]!.after).toMatchObject({ households: 3, residents: 7 });
    expect((await get('office', `/api/v1/orgs/${own}`)).json().data.counts.households).toBe(before + 3);
  });

  it('is done for 2,600 households / 5,200 residents (a full batch sealed on the worker thread): IDs decrypt, hashes are the lookup hash', async () => {
    const households: Household[] = [];
    const residents: Resident[] = [];
    for (let i = 0; i < 2600; i++) {
      const birth = new Date(Date.UTC(1960, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      households.push([`W${i}`, own, `批量导入 ${i} 号`, '', '']);
      residents.push([`W${i}`, `批量户主${i}`, '男', birth, makeIdNumber('419008', birth, 7, 'M'), i % 2 ? '13900000000' : '', '户主', '', '']);
      residents.push([`W${i}`, `批量配偶${i}`, '女', birth, makeIdNumber('419008', birth, 7, 'F'), '', '配偶', '', '']);
    }
    const job = await importAs('secretary', await workbook(households, residents));
    expect(job).toMatchObject({ status: 'done', counts: { errors: 0, households: 2600, residents: 5200 } });
    expect(lastImportPhases.workerBatches).toBe(2); // 5,000 + the last 200, once the worker has started
    const { rows } = await t.database.db.execute<{ id_number_enc: string; id_number_hash: string; phone_enc: string | null; head_initials: string; address: string }>(sql`
      SELECT r.id_number_enc, r.id_number_hash, r.phone_enc, h.head_initials, h.address FROM residents r JOIN households h ON h.id = r.household_id
      WHERE h.address IN ('批量导入 1 号', '批量导入 2599 号') AND r.relation = '户主' ORDER BY h.address`);
    expect(rows).toHaveLength(2);
    for (const [n, r] of [[1, rows[0]!], [2599, rows[1]!]] as const) {
      const id = residents[2 * n]![4];
      expect(r.address).toBe(`批量导入 ${n} 号`);
      expect(decrypt(t.config.keyring, r.id_number_enc)).toBe(id);
      expect(r.id_number_hash).toBe(keyedHash(t.config.keyring, id));
      expect(decrypt(t.config.keyring, r.phone_enc!)).toBe('13900000000');
      expect(r.head_initials).toBe(initials(`批量户主${n}`));
    }
  });

  it('is done for cells as Excel users type them: a birth date as a date-formatted number, a name in rich text, an address in a shared string', async () => {
    const { households, residents } = sample(own);
    const body = await workbook(households.slice(0, 1), residents.slice(0, 1).map((r) => { const x = [...r] as Resident; x[1] = '富文本户主'; return x; }), (wb) => {
      const rs = wb.getWorksheet('居民')!;
      rs.getCell('D2').value = new Date(Date.UTC(1970, 4, 17));
      rs.getCell('D2').numFmt = 'yyyy"年"m"月"d"日"';
      rs.getCell('B2').value = { richText: [{ text: '富文本' }, { font: { bold: true }, text: '户主' }] };
    });
    const job = await importAs('secretary', body);
    expect(job.status, JSON.stringify(await errorRows('secretary', job.id))).toBe('done');
    const { rows } = await t.database.db.execute<{ name: string; birth_date: string }>(sql`
      SELECT name, birth_date::text FROM residents WHERE name = '富文本户主'`);
    expect(rows).toEqual([{ name: '富文本户主', birth_date: '1970-05-17' }]);
  });

  it('is done storing text exactly as typed with line breaks (Alt+Enter), tabs and backslashes; ids are UUIDv7 ascending in row order', async () => {
    const { households, residents } = sample(own);
    const hh = households.map((h, i) => { const x = [...h] as Household; x[2] = [`转义\n测试 ${i} 号`, `转义\t测试\\${i}`, `转义\r\n测试 "${i}" \\N`][i]!; return x; });
    const rs = residents.map((r, i) => { const x = [...r] as Resident; if (i === 3) { x[7] = '省外'; x[8] = '广州\\天河\t区'; } return x; });
    const job = await importAs('secretary', await workbook(hh, rs));
    expect(job.status, JSON.stringify(await errorRows('secretary', job.id))).toBe('done');
    const { rows } = await t.database.db.execute<{ id: string; address: string; places: (string | null)[]; resident_ids: string[] }>(sql`
      SELECT h.id, h.address, array_agg(r.away_place ORDER BY r.id) AS places, array_agg(r.id ORDER BY r.id) AS resident_ids
      FROM households h JOIN residents r ON r.household_id = h.id WHERE h.address LIKE '转义%' GROUP BY h.id ORDER BY h.id`);
    expect(rows.map((r) => r.address)).toEqual(hh.map((h) => h[2]));
    expect(rows[1]!.places).toEqual(['广州\\天河\t区', null]);
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const residentIds = rows.flatMap((r) => r.resident_ids);
    for (const id of [...rows.map((r) => r.id), ...residentIds]) expect(id).toMatch(v7);
    expect(residentIds).toEqual([...residentIds].sort()); // households in row order hold residents in row order
  });

  it('fails with exactly 2 errors for a bad check digit and an unknown village, lists them in errors.xlsx, writes nothing; fixed and re-uploaded it is done', async () => {
    const { households, residents } = sample(own);
    const good = residents[1]![4];
    const badId = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const bad = { households: households.map((h) => [...h] as Household), residents: residents.map((r) => [...r] as Resident) };
    bad.residents[1]![4] = badId;
    bad.households[2]![1] = '419001999999';
    const before = [await count('households'), await count('residents')];
    const job = await importAs('secretary', await workbook(bad.households, bad.residents));
    expect(job).toMatchObject({ status: 'failed', counts: { rows: 10, errors: 2, written: 0 } });
    expect([await count('households'), await count('residents')]).toEqual(before);
    const errs = await errorRows('secretary', job.id);
    expect(errs.map((e) => e.slice(0, 3))).toEqual([['4', '住户', '村（社区）代码'], ['3', '居民', '身份证号']]);
    expect(errs[1]![3]).toContain('校验位');
    expect(errs[1]!.slice(4)).toContain(badId); // the original row values
    // The project office may see the job, but not the residents' ID numbers and phones in full; each download audited.
    const officeErrs = await errorRowsOf(t.app, s.office!, job.id);
    expect(officeErrs.map((e) => e.slice(0, 4))).toEqual(errs.map((e) => e.slice(0, 4)));
    expect(officeErrs[1]!.slice(4)).toContain(`${badId.slice(0, 3)}***********${badId.slice(-4)}`);
    expect(JSON.stringify(officeErrs)).not.toContain(badId);
    const audits = await t.database.db.execute<{ after: { masked: boolean } }>(sql`
      SELECT after FROM audit_events WHERE action = 'import.errors_download' AND entity_id = ${job.id} ORDER BY id`);
    expect(audits.rows.map((r) => r.after.masked)).toEqual([false, true]);
    const done = await importAs('secretary', await workbook(households.map((h, i) => [h[0], h[1], h[2].replace('导入测试', `修正${i}`), h[3], h[4]] as Household),
      sample(own).residents));
    expect(done).toMatchObject({ status: 'done', counts: { errors: 0, written: 10 } });
  });

  it('fails for a secretary importing into a neighbouring village (errors, nothing written)', async () => {
    const { households, residents } = sample(neighbour);
    const before = await count('households');
    const job = await importAs('secretary', await workbook(households, residents));
    expect(job.status).toBe('failed');
    expect(job.counts.errors).toBe(3);
    expect((await errorRows('secretary', job.id)).every((e) => e[3]!.includes('管辖范围'))).toBe(true);
    expect(await count('households')).toBe(before);
  });

  it('fails with an error row for a formula cell, an unknown 户编号, a second 户主 and a duplicate ID number', async () => {
    const { households, residents } = sample(own);
    residents.push(['Z', '无户', '男', '1980-01-01', residentBody({ birthDate: '1980-01-01' }).idNumber, '', '户主', '', '']);
    residents.push([...person('B', '户主')]);
    residents.push([...residents[0]!.slice(0, 6), '兄弟姐妹', '', ''] as Resident);
    const body = await workbook(households, residents, (wb) => {
      wb.getWorksheet('住户')!.getCell('C2').value = { formula: 'CONCAT("a","b")', result: 'ab' };
    });
    const job = await importAs('secretary', body);
    expect(job.status).toBe('failed');
    const errs = await errorRows('secretary', job.id);
    expect(errs.map((e) => [e[0], e[1], e[2]])).toEqual(expect.arrayContaining([
      ['2', '住户', '地址'], ['9', '居民', '户编号'], ['3', '住户', '户编号'], ['11', '居民', '身份证号'],
    ]));
    expect(errs.find((e) => e[2] === '地址')![3]).toContain('公式');
    // File-wide errors carry the original row too (read back from the file for those rows only).
    const values = (row: string, sheet: string) => errs.find((e) => e[0] === row && e[1] === sheet)!.slice(4);
    expect(values('9', '居民').slice(0, 2)).toEqual(['Z', '无户']);
    expect(values('3', '住户').slice(0, 2)).toEqual(['B', own]);
    expect(values('11', '居民')[4]).toBe(residents[0]![4]);
  });

  it('fails with a clear error for a wrong sheet name', async () => {
    const body = await workbook([], [], (wb) => { wb.getWorksheet('居民')!.name = 'Sheet2'; });
    const job = await importAs('secretary', body);
    expect(job.status).toBe('failed');
    const reasons = (await errorRows('secretary', job.id)).map((e) => e[3]);
    expect(reasons).toEqual(expect.arrayContaining([expect.stringContaining('Sheet2'), expect.stringContaining('缺少工作表“居民”')]));
  });

  it('fails with a clear error for merged 户编号 cells (the merged-away cells read as empty)', async () => {
    const { households, residents } = sample(own);
    const body = await workbook(households, residents, (wb) => { wb.getWorksheet('居民')!.mergeCells('A2:A4'); });
    const job = await importAs('secretary', body);
    expect(job.status).toBe('failed');
    const errs = await errorRows('secretary', job.id);
    expect(errs.filter((e) => e[1] === '居民').map((e) => [e[0], e[2]])).toEqual([['2', '户编号'], ['3', '户编号'], ['4', '户编号']]);
    expect(errs.find((e) => e[0] === '2')![3]).toContain('合并单元格 A2:A4');
    expect(errs.find((e) => e[0] === '3')![3]).toContain('合并单元格');
  });

  it('fails naming the range for merged cells over an optional column (电话), which would otherwise import silently', async () => {
    const { households, residents } = sample(own);
    const body = await workbook(households, residents, (wb) => { wb.getWorksheet('居民')!.mergeCells('F2:F3'); });
    const job = await importAs('secretary', body);
    expect(job.status).toBe('failed');
    expect(job.counts.written).toBe(0);
    const errs = await errorRows('secretary', job.id);
    expect(errs.map((e) => [e[0], e[1], e[2]])).toEqual([['2', '居民', '电话']]);
    expect(errs[0]![3]).toContain('合并单元格 F2:F3');
  });

  it('fails (not 500, not stuck) for a zip that is not a workbook', async () => {
    const job = await importAs('secretary', Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(2048, 0x41)]));
    expect(job.status).toBe('failed');
    expect((await errorRows('secretary', job.id))[0]![3]).toContain('无法读取工作簿');
  });

  it('returns 403 for leader and department, before reading the body', async () => {
    const body = await workbook([], []);
    for (const role of ['leader', 'department']) expect((await upload(role, body)).statusCode).toBe(403);
  });

  it('returns 400 for non-xlsx bytes named .xlsx', async () => {
    const res = await upload('secretary', Buffer.from('name,idNumber\n张三,410000\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.id).toBe('validation_error');
  });

  it('returns 413 payload_too_large over the size limit', async () => {
    const saved = importLimits.maxBytes;
    importLimits.maxBytes = 1024;
    try {
      const res = await upload('secretary', Buffer.concat([Buffer.from([0x50, 0x4b, 3, 4]), Buffer.alloc(4096)]));
      expect(res.statusCode).toBe(413);
      expect(res.json().error.id).toBe('payload_too_large');
    } finally {
      importLimits.maxBytes = saved;
    }
  });

  it('fails over the row limit per sheet without writing', async () => {
    const saved = importLimits.maxRows;
    importLimits.maxRows = 2;
    try {
      const { households, residents } = sample(own);
      const job = await importAs('secretary', await workbook(households, residents));
      expect(job.status).toBe('failed');
      expect((await errorRows('secretary', job.id))[0]![3]).toContain('超过 2 行');
    } finally {
      importLimits.maxRows = saved;
    }
  });

  it('fails with a clear error, writing nothing, for a workbook that inflates past the limit (zip bomb), even when its directory understates the sizes', async () => {
    const saved = importLimits.maxInflatedBytes;
    importLimits.maxInflatedBytes = 1024 * 1024;
    try {
      // A real workbook, 400 rows of three distinct 1,000-character cells: ~3.6 MB of XML in a few dozen KB.
      const filler = (i: number, c: number) => `${'连'.repeat(1000)}${i}-${c}`;
      const body = await workbook(Array.from({ length: 400 }, (_, i): Household => [`Z${i}`, own, filler(i, 1), filler(i, 2), filler(i, 3)]), []);
      expect(body.length).toBeLessThan(100 * 1024);
      // The same bytes with every central-directory entry claiming to inflate to 1 byte: only counting catches it.
      const lying = Buffer.from(body);
      const central = Buffer.from([0x50, 0x4b, 1, 2]);
      for (let p = lying.indexOf(central); p >= 0; p = lying.indexOf(central, p + 4)) lying.writeUInt32LE(1, p + 24);
      const before = { households: await count('households'), residents: await count('residents') };
      for (const file of [body, lying]) {
        const job = await importAs('secretary', file);
        expect(job.status).toBe('failed');
        expect(job.counts).toMatchObject({ rows: 0, written: 0, errors: 1 });
        const errs = await errorRows('secretary', job.id);
        expect(errs).toHaveLength(1);
        expect(errs[0]![3]).toContain('工作簿解压后超过 1 MB');
      }
      expect({ households: await count('households'), residents: await count('residents') }).toEqual(before);
      // Under the limit the same workbook is read (and fails on its rows, not on its size).
      importLimits.maxInflatedBytes = saved;
      const job = await importAs('secretary', body);
      expect(job.status).toBe('failed');
      expect(job.counts.rows).toBe(400);
    } finally {
      importLimits.maxInflatedBytes = saved;
    }
  });
});

describe('GET /api/v1/imports/:id', () => {
  it('returns 404 to another account, 200 to the project office', async () => {
    const res = await upload('secretary', await workbook([], []));
    const id = res.json().data.id;
    await finished('secretary', id);
    expect((await get('leader', `/api/v1/imports/${id}`)).statusCode).toBe(404);
    expect((await get('leader', `/api/v1/imports/${id}/errors.xlsx`)).statusCode).toBe(404);
    expect((await get('office', `/api/v1/imports/${id}`)).statusCode).toBe(200);
  });
});
