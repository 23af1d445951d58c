import { relations } from '@lianxin/contracts';
import type { CellValue } from 'exceljs';
import ExcelJS from '../../lib/exceljs.ts';
import type { FastifyRequest } from 'fastify';
import { rm } from 'node:fs/promises';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { encrypt, keyedHash } from '../../lib/crypto.ts';
import { idNumberBirthDate, idNumberSex, isValidIdNumber } from '../../lib/id-number.ts';
import { initials } from '../../lib/pinyin.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { within } from '../auth/scope.ts';
import { todayInShanghai } from '../households/households.presenter.ts';
import { activeTags } from '../households/households.repo.ts';
import { recomputeCoverage, targetLoad } from '../links/coverage.repo.ts';
import {
  AWAY_SCOPES, HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, importLimits, NOTES_SHEET, RESIDENT_COLUMNS, RESIDENT_SHEET,
} from './imports.limits.ts';
import * as repo from './imports.repo.ts';

const BATCH = 1000;
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
const RELATIONS: ReadonlySet<string> = new Set(relations);
const MERGED_HINT = '（如使用了合并单元格，请取消合并并在每一行填写）';

export interface JobContext { db: Db; ring: Keyring; req: FastifyRequest; jobId: string; filePath: string; scope: string[] }

class TooManyRows extends Error {}

/** A cell as text, or why it cannot be accepted. Formulas are refused: the value a formula shows is not data we can check. */
type Cell = { text: string; error?: string };

function cellOf(v: CellValue): Cell {
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return v.includes('\u0000') ? { text: '', error: '包含无效字符（NUL）' } : { text: v.trim() };
  if (typeof v === 'number' || typeof v === 'boolean') return { text: String(v) };
  if (v instanceof Date) return { text: Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10) };
  if (typeof v === 'object') {
    if ('formula' in v || 'sharedFormula' in v) {
      const f = (v as { formula?: string; sharedFormula?: string }).formula ?? (v as { sharedFormula?: string }).sharedFormula ?? '';
      return { text: `=${f}`, error: '不接受公式，请复制后“选择性粘贴—数值”' };
    }
    if ('richText' in v) return cellOf(v.richText.map((t) => t.text).join(''));
    if ('error' in v) return { text: String(v.error), error: '单元格为错误值' };
    if ('text' in v) return cellOf((v as { text: unknown }).text as string);
  }
  return { text: '', error: '无法识别的单元格内容' };
}

function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d && y >= 1900;
}

/**
 * Runs one import job: stream → validate → stage, then (no errors only) one merge transaction. Never throws: any
 * failure ends the job as failed with a row-0 error. The temp file is removed at the end.
 */
export async function runHouseholdImport(ctx: JobContext): Promise<void> {
  const { db, ring, jobId } = ctx;
  const counts = { rows: 0, validated: 0, errors: 0, written: 0, households: 0, residents: 0 };
  let pendingErrors: repo.ErrorRow[] = [];
  const addError = (e: Omit<repo.ErrorRow, 'valuesEnc'>, values: string[] | null) => {
    counts.errors++;
    pendingErrors.push({ ...e, valuesEnc: values ? encrypt(ring, JSON.stringify(values)) : null });
  };
  const flushErrors = async () => { const e = pendingErrors; pendingErrors = []; await repo.insertErrors(db, jobId, e); };
  try {
    await repo.setStatus(db, jobId, 'validating');
    const orgs = await repo.orgsForImport(db);
    const tags = new Set((await activeTags(db)).map((t) => t.code));
    const householdKeys = new Map<string, number>(); // key → row of its first 住户 row
    const heads = new Map<string, number>(); // household key → 居民 rows saying 户主 (even rows with other errors)
    let households: repo.StagedHousehold[] = [];
    let residents: repo.StagedResident[] = [];
    const seen = new Set<string>();

    const reader = new ExcelJS.stream.xlsx.WorkbookReader(ctx.filePath, {
      sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore',
    });
    for await (const ws of reader) {
      const name = (ws as unknown as { name?: string }).name ?? '';
      const spec = name === HOUSEHOLD_SHEET ? HOUSEHOLD_COLUMNS : name === RESIDENT_SHEET ? RESIDENT_COLUMNS : null;
      if (name === NOTES_SHEET) { for await (const _ of ws) { /* drain */ } continue; }
      if (!spec) {
        addError({ sheet: name || '（未命名）', row: 0, column: '', reason: `无法识别的工作表“${name}”：只接受“${HOUSEHOLD_SHEET}”“${RESIDENT_SHEET}”“${NOTES_SHEET}”` }, null);
        for await (const _ of ws) { /* drain */ }
        continue;
      }
      seen.add(name);
      let headerOk = false;
      let headerSeen = false;
      let dataRows = 0;
      for await (const row of ws) {
        const values: Cell[] = [];
        for (let i = 1; i <= spec.length; i++) values.push(cellOf(row.getCell(i).value));
        if (!headerSeen) {
          headerSeen = true;
          if (row.number !== 1) addError({ sheet: name, row: 1, column: '', reason: '第 1 行应为表头' }, null);
          else {
            const bad = spec.findIndex((h, i) => values[i]!.text !== h);
            if (bad >= 0) addError({ sheet: name, row: 1, column: spec[bad]!, reason: `表头第 ${bad + 1} 列应为“${spec[bad]}”，请使用导入模板` }, values.map((c) => c.text));
            else headerOk = true;
          }
          if (headerOk) continue;
        }
        if (!headerOk) continue;
        if (values.every((c) => !c.text && !c.error)) continue;
        dataRows++;
        counts.rows++;
        if (dataRows > importLimits.maxRows) throw new TooManyRows(name);
        const texts = values.map((c) => c.text);
        const rowErrors: { column: string; reason: string }[] = [];
        values.forEach((c, i) => { if (c.error) rowErrors.push({ column: spec[i]!, reason: c.error }); });
        const text = (i: number) => (values[i]!.error ? null : values[i]!.text);
        const required = (i: number, max: number): string | null => {
          const v = text(i);
          if (v === null) return null;
          if (!v) { rowErrors.push({ column: spec[i]!, reason: `${spec[i]}不能为空${i === 0 ? MERGED_HINT : ''}` }); return null; }
          if (v.length > max) { rowErrors.push({ column: spec[i]!, reason: `${spec[i]}不能超过 ${max} 个字` }); return null; }
          return v;
        };
        const valuesEnc = () => encrypt(ring, JSON.stringify(texts));

        if (name === HOUSEHOLD_SHEET) {
          const key = required(0, 50);
          const orgCode = required(1, 40);
          const address = required(2, 120);
          const tagList = (text(3) ?? '').split(/[、,，;；\s]+/).filter(Boolean);
          if (tagList.length > 10) rowErrors.push({ column: '标签', reason: '标签不能超过 10 个' });
          for (const t of tagList) if (!tags.has(t)) rowErrors.push({ column: '标签', reason: `未知的标签：${t}` });
          let village: { id: string; path: string; level: string } | undefined;
          if (orgCode) {
            village = orgs.get(orgCode);
            if (!village) rowErrors.push({ column: '村（社区）代码', reason: `村（社区）代码不存在：${orgCode}` });
            else if (village.level !== 'village') { rowErrors.push({ column: '村（社区）代码', reason: '该代码不是村（社区）' }); village = undefined; }
            else if (!within(village.path, ctx.scope)) { rowErrors.push({ column: '村（社区）代码', reason: '不在您的管辖范围内，无权导入该村（社区）' }); village = undefined; }
          }
          let gridId: string | null = null;
          const gridCode = text(4);
          if (gridCode && village) {
            const grid = orgs.get(gridCode);
            if (!grid || grid.level !== 'grid' || !grid.path.startsWith(village.path + '/')) rowErrors.push({ column: '网格代码', reason: '网格不属于该村（社区）' });
            else gridId = grid.id;
          }
          if (key && householdKeys.has(key)) {
            rowErrors.push({ column: '户编号', reason: `户编号重复（第 ${householdKeys.get(key)} 行已使用）` });
          } else if (key) {
            householdKeys.set(key, row.number);
            // Staged even with errors (valid = false), so its residents are not also reported as "unknown 户编号".
            households.push({
              key, row: row.number, orgId: rowErrors.length ? null : village!.id, gridId, address, tags: tagList.join('、'),
              valid: !rowErrors.length, valuesEnc: valuesEnc(),
            });
          }
          if (!rowErrors.length) counts.validated++;
        } else {
          const key = required(0, 50);
          const personName = required(1, 40);
          const sexText = required(2, 2);
          const sex = sexText === '男' ? 'M' : sexText === '女' ? 'F' : null;
          if (sexText && !sex) rowErrors.push({ column: '性别', reason: '性别应为“男”或“女”' });
          const birth = required(3, 10);
          if (birth && !isRealDate(birth)) rowErrors.push({ column: '出生日期', reason: '出生日期格式应为 YYYY-MM-DD' });
          const rawId = row.getCell(5).value;
          let idNumber = required(4, 18)?.toUpperCase() ?? null;
          if (typeof rawId === 'number') { rowErrors.push({ column: '身份证号', reason: '身份证号请以文本格式填写（数字格式会丢失末位）' }); idNumber = null; }
          if (idNumber) {
            if (!/^\d{17}[\dX]$/.test(idNumber)) rowErrors.push({ column: '身份证号', reason: '身份证号码应为18位' });
            else if (!isValidIdNumber(idNumber)) rowErrors.push({ column: '身份证号', reason: '身份证号码校验位不正确或出生日期无效' });
            else {
              if (birth && isRealDate(birth) && idNumberBirthDate(idNumber) !== birth) rowErrors.push({ column: '出生日期', reason: '出生日期与身份证号码不一致' });
              if (sex && idNumberSex(idNumber) !== sex) rowErrors.push({ column: '性别', reason: '性别与身份证号码不一致' });
            }
          }
          const phone = text(5) || null;
          if (phone && !PHONE.test(phone)) rowErrors.push({ column: '电话', reason: '电话号码格式不正确' });
          const relation = required(6, 10);
          if (relation && !RELATIONS.has(relation)) rowErrors.push({ column: '与户主关系', reason: `与户主关系应为：${[...RELATIONS].join('、')}` });
          if (key && relation === '户主') heads.set(key, (heads.get(key) ?? 0) + 1);
          const awayText = text(7) || null;
          const awayScope = awayText ? AWAY_SCOPES[awayText] ?? null : null;
          if (awayText && !awayScope) rowErrors.push({ column: '在外范围', reason: '在外范围应为“省内市外”“省外”或“国外”' });
          const awayPlace = text(8) || null;
          if (awayPlace && awayPlace.length > 60) rowErrors.push({ column: '在外地点', reason: '在外地点不能超过 60 个字' });
          if (awayPlace && !awayText) rowErrors.push({ column: '在外范围', reason: '填写了在外地点，请填写在外范围' });
          if (!rowErrors.length) {
            counts.validated++;
            residents.push({
              householdKey: key!, row: row.number, name: personName!, nameInitials: initials(personName!), sex: sex!, birthDate: birth!,
              relation: relation!, idNumberEnc: encrypt(ring, idNumber!), idNumberHash: keyedHash(ring, idNumber!),
              phoneEnc: phone ? encrypt(ring, phone) : null, awayScope, awayPlace, valuesEnc: valuesEnc(),
            });
          }
        }
        for (const e of rowErrors) addError({ sheet: name, row: row.number, ...e }, texts);
        if (households.length >= BATCH) { await repo.stageHouseholds(db, jobId, households); households = []; }
        if (residents.length >= BATCH) { await repo.stageResidents(db, jobId, residents); residents = []; }
        if (pendingErrors.length >= BATCH) await flushErrors();
        if (counts.rows % (BATCH * 10) === 0) await repo.setCounts(db, jobId, counts);
      }
      if (!headerSeen) addError({ sheet: name, row: 1, column: '', reason: '缺少表头，请使用导入模板' }, null);
    }
    for (const s of [HOUSEHOLD_SHEET, RESIDENT_SHEET]) {
      if (!seen.has(s)) addError({ sheet: s, row: 0, column: '', reason: `缺少工作表“${s}”，请使用导入模板` }, null);
    }
    await repo.stageHouseholds(db, jobId, households);
    await repo.stageResidents(db, jobId, residents);
    await flushErrors();
    const badHeads = [...householdKeys.keys()].map((key) => ({ key, heads: heads.get(key) ?? 0 })).filter((b) => b.heads !== 1);
    counts.errors += await repo.crossCheck(db, jobId, badHeads);

    if (counts.errors) {
      await repo.clearStaging(db, jobId);
      await repo.setStatus(db, jobId, 'failed', counts);
      return;
    }
    await repo.setStatus(db, jobId, 'merging', counts);
    await db.transaction(async (tx) => {
      const r = await repo.mergeStaging(tx, jobId, todayInShanghai());
      await recomputeCoverage(tx, r.orgIds, await targetLoad(tx));
      await appendAudit(tx, ctx.req, {
        action: 'household.import', entityType: 'import_job', entityId: jobId,
        after: { households: r.households, residents: r.residents, villages: r.orgIds.length },
      });
      await repo.clearStaging(tx, jobId);
      counts.written = r.households + r.residents;
      counts.households = r.households;
      counts.residents = r.residents;
      await repo.setStatus(tx, jobId, 'done', counts);
    });
  } catch (e) {
    const pgErr = (e as { cause?: { code?: string; constraint?: string } }).cause ?? (e as { code?: string; constraint?: string });
    let reason: string;
    if (e instanceof TooManyRows) reason = `工作表“${e.message}”超过 ${importLimits.maxRows.toLocaleString('en-US')} 行，请拆分后分批导入`;
    else if (pgErr.code === '23505' && pgErr.constraint === 'residents_id_hash_key') reason = '导入期间有身份证号码已被登记，请重新导入';
    else {
      ctx.req.log.error({ err: e, jobId }, 'import failed');
      reason = '无法读取工作簿：文件已损坏或不是 Excel 2007 及以上版本的 .xlsx 文件';
    }
    try {
      addError({ sheet: '', row: 0, column: '', reason }, null);
      await flushErrors();
      await repo.clearStaging(db, jobId);
      counts.written = 0;
      counts.households = 0;
      counts.residents = 0;
      await repo.setStatus(db, jobId, 'failed', counts);
    } catch (e2) {
      ctx.req.log.error({ err: e2, jobId }, 'import: could not record the failure');
    }
  } finally {
    await rm(ctx.filePath, { force: true });
  }
}
