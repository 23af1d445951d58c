import { relations } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import type pg from 'pg';
import { rm } from 'node:fs/promises';
import type { Keyring } from '../../config.ts';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { Db } from '../../db/client.ts';
import * as schema from '../../db/schema/index.ts';
import { type DateInput, parseDateInput } from '../../lib/date-input.ts';
import { idNumberBirthDate, idNumberSex, isValidIdNumber, phoneTail } from '../../lib/id-number.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { within } from '../auth/scope.ts';
import { todayInShanghai } from '../../lib/dates.ts';
import { tagDictionary } from '../households/households.service.ts';
import { refreshCoverage } from '../links/links.service.ts';
import {
  AWAY_SCOPES, HOUSEHOLD_COLUMNS, HOUSEHOLD_SHEET, importLimits, NOTES_SHEET, OPTIONS_SHEET, RESIDENT_COLUMNS, RESIDENT_SHEET,
} from './imports.limits.ts';
import { oneMergeAtATime } from './imports.merge.ts';
import { isExampleRow } from './imports.template.ts';
import * as repo from './imports.repo.ts';
import { sealer, sealHere, SealWorker } from './imports.seal.ts';
import { type Cell, failureReason, keptValues, MERGED_HINT, mergedError, PHONE, rowCells, TooManyRows } from './imports.cells.ts';
import { readSheets, type XValue } from './imports.xlsx-reader.ts';
import { listEntries } from './imports.zip.ts';

/** Rows per staging statement; progress is written every 10,000 rows. */
const BATCH = 5000;
const RELATIONS: ReadonlySet<string> = new Set(relations);

export interface JobContext { db: Db; ring: Keyring; req: FastifyRequest; jobId: string; filePath: string; scope: string[] }

function specOf(sheet: string): readonly string[] | null {
  return sheet === HOUSEHOLD_SHEET ? HOUSEHOLD_COLUMNS : sheet === RESIDENT_SHEET ? RESIDENT_COLUMNS : null;
}

/** Wall-clock milliseconds per phase of the last job, and how many batches the worker sealed (logged; read by bench/import.ts and a test). */
export const lastImportPhases: Record<string, number> = {};

type RowError = { column: string; reason: string };

/** A cell's text, or null when the cell itself was refused (its error is already recorded). */
function textOf(values: Cell[], i: number): string | null {
  return values[i]!.error ? null : values[i]!.text;
}

/**
 * A required cell's text within `max` characters, or null with the reason recorded. Plain functions, not closures made
 * per row: 300,000 rows × two closures (each named by tsx's keepNames helper) showed up in the profile.
 */
function requiredOf(values: Cell[], spec: readonly string[], rowErrors: RowError[], i: number, max: number): string | null {
  const v = textOf(values, i);
  if (v === null) return null;
  if (!v) { rowErrors.push({ column: spec[i]!, reason: `${spec[i]}不能为空${i === 0 ? MERGED_HINT : ''}` }); return null; }
  if (v.length > max) { rowErrors.push({ column: spec[i]!, reason: `${spec[i]}不能超过 ${max} 个字` }); return null; }
  return v;
}

/** Birth dates repeat (~36,500 a century): the answer is remembered across jobs, for up to 100,000 strings. */
const dates = new Map<string, DateInput>();
function dateOf(raw: XValue, text: string): DateInput {
  if (typeof raw === 'number') return parseDateInput(raw); // a serial day or 19600517 typed as a number
  let d = dates.get(text);
  if (d === undefined) {
    d = parseDateInput(text); // a date cell's Date is already YYYY-MM-DD text (imports.cells.ts)
    if (dates.size < 100_000) dates.set(text, d);
  }
  return d;
}

/**
 * Runs one import job: bound the inflated size → stream → validate → stage, then (no errors only) one merge
 * transaction. Never throws: any failure ends the job as failed with a row-0 error. The temp file is removed at the end.
 * Staging, cross-checks and the merge run on one connection of the job's own (its TEMP tables live there); it is
 * closed, not returned to the pool, when the job ends.
 */
export async function runHouseholdImport(ctx: JobContext): Promise<void> {
  const { db, ring, jobId } = ctx;
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  let mark = t0;
  const phase = (name: string) => { const now = performance.now(); phases[name] = (phases[name] ?? 0) + now - mark; mark = now; };
  const publish = () => {
    for (const k of Object.keys(lastImportPhases)) delete lastImportPhases[k];
    Object.assign(lastImportPhases, phases);
  };
  const seal = sealer(ring);
  const counts = { rows: 0, validated: 0, errors: 0, written: 0, households: 0, residents: 0 };
  let pendingErrors: repo.ErrorRow[] = [];
  const addError = (e: Omit<repo.ErrorRow, 'valuesEnc'>, values: string[] | null) => {
    counts.errors++;
    pendingErrors.push({ ...e, valuesEnc: values ? seal(JSON.stringify(keptValues(values))) : null });
  };
  const flushErrors = async () => { const e = pendingErrors; pendingErrors = []; await repo.insertErrors(db, jobId, e); };
  let client: pg.PoolClient | null = null;
  const worker: { seal: SealWorker | null } = { seal: null }; // started by the first full batch of residents
  let progress: Promise<void> = Promise.resolve(); // progress counts, written in order, waited for before any final status
  try {
    await repo.setStatus(db, jobId, 'validating');
    // Directory only (declared sizes, no hidden entries); the reader counts what it inflates against the same bound.
    const entries = await listEntries(ctx.filePath, importLimits.maxInflatedBytes);
    phase('inflateCheck');
    client = await (db as Db & { $client: pg.Pool }).$client.connect();
    const c = client;
    await repo.createStaging(c);
    const ids = repo.idPrefixes();
    const orgs = await repo.orgsForImport(db);
    const tags = await tagDictionary(db);
    const tagWords = tags.tags.map((t) => t.code).join('、');
    const householdKeys = new Map<string, number>(); // key → row of its first 住户 row
    const invalidHouseholds = new Set<string>(); // keys of 住户 rows staged with errors
    const heads = new Map<string, number>(); // household key → 居民 rows saying 户主 (even rows with other errors)
    let households = new repo.HouseholdBatch();
    let residents = new repo.ResidentBatch();
    const seen = new Set<string>();
    // One staging statement in flight while the next batch is read: PostgreSQL writes while this process parses.
    let inflight: Promise<unknown> = Promise.resolve();
    let waited = 0;
    let parseMs = 0; // waiting for exceljs' next row (unzip, XML, row objects)
    let rowMs = 0; // checking a row and handing it to staging
    // Encryption, keyed hash and initials run on a worker thread, beside the parsing, once a first full batch exists;
    // a file under one batch is sealed on this thread, which saves starting a worker for a few rows.
    const sealAndStage = async (b: repo.ResidentBatch) => {
      const m = { ids: b.idPlain, phones: b.phonePlain, names: b.name, heads: b.head };
      if (b.length >= BATCH) {
        worker.seal ??= new SealWorker(ring, (e) => ctx.req.log.warn({ err: e, jobId }, 'import: seal worker failed; sealing on the main thread'));
      }
      const r = worker.seal ? await worker.seal.seal(m) : sealHere(ring, { ...m, seq: 0 });
      if (r.onWorker) phases.workerBatches = (phases.workerBatches ?? 0) + 1;
      Object.assign(b, { idEnc: r.idEnc, idHash: r.idHash, phoneEnc: r.phoneEnc, initials: r.initials, idPlain: [], phonePlain: [] });
      return repo.stageResidents(c, b);
    };
    const send = async (q: Promise<unknown>) => {
      // Awaited by the next send (or after the loop). Marked handled first: when the batch before it failed, the await
      // below throws and this one is never awaited (its failure would otherwise be an unhandled rejection).
      q.catch(() => {});
      const w = performance.now();
      await inflight;
      waited += performance.now() - w;
      inflight = q;
    };

    for await (const ws of readSheets(ctx.filePath, entries, importLimits.maxInflatedBytes)) {
      const name = ws.name;
      const spec = specOf(name);
      if (name === NOTES_SHEET || name === OPTIONS_SHEET) { for await (const _ of ws) { /* drain */ } continue; }
      if (!spec) {
        addError({ sheet: name || '（未命名）', row: 0, column: '', reason: `无法识别的工作表“${name}”：只接受“${HOUSEHOLD_SHEET}”“${RESIDENT_SHEET}”“${NOTES_SHEET}”` }, null);
        for await (const _ of ws) { /* drain */ }
        continue;
      }
      seen.add(name);
      let headerOk = false;
      let headerSeen = false;
      let dataRows = 0;
      let rowEnd = performance.now();
      for await (const row of ws) {
        const rowStart = performance.now();
        parseMs += rowStart - rowEnd;
        const raw = row.values;
        const values = rowCells(raw, spec.length);
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
        // The template's example rows (first cell 示例…) are not data; row numbers stay the sheet's own.
        if (values.every((c) => !c.text && !c.error) || isExampleRow(values[0]!.text)) continue;
        dataRows++;
        counts.rows++;
        if (dataRows > importLimits.maxRows) throw new TooManyRows(name);
        const rowErrors: RowError[] = [];
        values.forEach((c, i) => { if (c.error) rowErrors.push({ column: spec[i]!, reason: c.error }); });

        if (name === HOUSEHOLD_SHEET) {
          const key = requiredOf(values, spec, rowErrors, 0, 50);
          const orgCode = requiredOf(values, spec, rowErrors, 1, 40);
          const address = requiredOf(values, spec, rowErrors, 2, 120);
          // Each a code, name or alias (低保户 → 低保), stored as codes (TagDictionary.resolveList says how a cell splits).
          const typed = tags.resolveList(textOf(values, 3) ?? '');
          const tagList = typed.codes;
          if (typed.count > 10) rowErrors.push({ column: '标签', reason: '标签不能超过 10 个' });
          for (const t of typed.unknown) rowErrors.push({ column: '标签', reason: `未知的标签：${t}（可填：${tagWords}）` });
          for (const t of typed.retired) rowErrors.push({ column: '标签', reason: `标签“${t}”已停用，不能再导入（可填：${tagWords}）` });
          let village: { id: string; path: string; level: string } | undefined;
          if (orgCode) {
            village = orgs.get(orgCode);
            if (!village) rowErrors.push({ column: '村（社区）代码', reason: `村（社区）代码不存在：${orgCode}` });
            else if (village.level !== 'village') { rowErrors.push({ column: '村（社区）代码', reason: '该代码不是村（社区）' }); village = undefined; }
            else if (!within(village.path, ctx.scope)) { rowErrors.push({ column: '村（社区）代码', reason: '不在您的管辖范围内，无权导入该村（社区）' }); village = undefined; }
          }
          let gridId: string | null = null;
          const gridCode = textOf(values, 4);
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
            if (rowErrors.length) invalidHouseholds.add(key);
            households.key.push(key); households.row.push(row.number); households.orgId.push(rowErrors.length ? null : village!.id);
            households.gridId.push(gridId); households.address.push(address); households.tags.push(tagList.join('、'));
            households.valid.push(!rowErrors.length);
          }
          if (!rowErrors.length) counts.validated++;
        } else {
          const key = requiredOf(values, spec, rowErrors, 0, 50);
          const personName = requiredOf(values, spec, rowErrors, 1, 40);
          const sexText = requiredOf(values, spec, rowErrors, 2, 2);
          const sex = sexText === '男' ? 'M' : sexText === '女' ? 'F' : null;
          if (sexText && !sex) rowErrors.push({ column: '性别', reason: '性别应为“男”或“女”' });
          const birthText = requiredOf(values, spec, rowErrors, 3, 20);
          const birthIn = birthText ? dateOf(raw[4], birthText) : null;
          if (birthIn && 'error' in birthIn) rowErrors.push({ column: '出生日期', reason: birthIn.error });
          else if (birthIn && birthIn.date < '1900-01-01') rowErrors.push({ column: '出生日期', reason: '出生日期不能早于 1900 年' });
          const birth = birthIn && 'date' in birthIn && birthIn.date >= '1900-01-01' ? birthIn.date : null;
          const rawId = raw[5];
          let idNumber = requiredOf(values, spec, rowErrors, 4, 18)?.toUpperCase() ?? null;
          if (typeof rawId === 'number') { rowErrors.push({ column: '身份证号', reason: '身份证号请以文本格式填写（数字格式会丢失末位）' }); idNumber = null; }
          if (idNumber) {
            if (!/^\d{17}[\dX]$/.test(idNumber)) rowErrors.push({ column: '身份证号', reason: '身份证号码应为18位' });
            else if (!isValidIdNumber(idNumber)) rowErrors.push({ column: '身份证号', reason: '身份证号码校验位不正确或出生日期无效' });
            else {
              if (birth && idNumberBirthDate(idNumber) !== birth) rowErrors.push({ column: '出生日期', reason: '出生日期与身份证号码不一致' });
              if (sex && idNumberSex(idNumber) !== sex) rowErrors.push({ column: '性别', reason: '性别与身份证号码不一致' });
            }
          }
          const phone = textOf(values, 5) || null;
          if (phone && !PHONE.test(phone)) rowErrors.push({ column: '电话', reason: '电话号码格式不正确' });
          const relation = requiredOf(values, spec, rowErrors, 6, 10);
          if (relation && !RELATIONS.has(relation)) rowErrors.push({ column: '与户主关系', reason: `与户主关系应为：${[...RELATIONS].join('、')}` });
          if (key && relation === '户主') heads.set(key, (heads.get(key) ?? 0) + 1);
          const awayText = textOf(values, 7) || null;
          const awayScope = awayText ? AWAY_SCOPES[awayText] ?? null : null;
          if (awayText && !awayScope) rowErrors.push({ column: '在外范围', reason: '在外范围应为“省内市外”“省外”或“国外”' });
          const awayPlace = textOf(values, 8) || null;
          if (awayPlace && awayPlace.length > 60) rowErrors.push({ column: '在外地点', reason: '在外地点不能超过 60 个字' });
          if (awayPlace && !awayText) rowErrors.push({ column: '在外范围', reason: '填写了在外地点，请填写在外范围' });
          if (!rowErrors.length) {
            counts.validated++;
            // Pinyin initials are only stored for the head (households.head_initials): the slowest step per name.
            residents.key.push(key!); residents.row.push(row.number); residents.name.push(personName!); residents.sex.push(sex!);
            residents.birth.push(birth!); residents.relation.push(relation!);
            residents.idPlain.push(idNumber!); residents.phonePlain.push(phone); residents.head.push(relation === '户主');
            residents.phoneTail.push(phone ? phoneTail(phone) : null);
            residents.awayScope.push(awayScope); residents.awayPlace.push(awayPlace);
          }
        }
        if (rowErrors.length) {
          const texts = values.map((c) => c.text);
          for (const e of rowErrors) addError({ sheet: name, row: row.number, ...e }, texts);
        }
        if (households.length >= BATCH) { await send(repo.stageHouseholds(c, households, ids.households)); households = new repo.HouseholdBatch(); }
        if (residents.length >= BATCH) { await send(sealAndStage(residents)); residents = new repo.ResidentBatch(); }
        if (pendingErrors.length >= 1000) await flushErrors();
        if (counts.rows % (BATCH * 2) === 0) {
          // Progress is written in order but not waited for: a round trip to a busy server per 10,000 rows adds up.
          const snapshot = { ...counts };
          progress = progress.then(() => repo.setCounts(db, jobId, snapshot));
          progress.catch(() => {}); // awaited after the loop; this only keeps an early failure from being "unhandled"
        }
        rowEnd = performance.now();
        rowMs += rowEnd - rowStart;
      }
      if (!headerSeen) addError({ sheet: name, row: 1, column: '', reason: '缺少表头，请使用导入模板' }, null);
      // A merged range would have imported its value into its first row only, silently: any merge is an error.
      for (const ref of ws.merged) addError({ sheet: name, ...mergedError(ref, spec) }, null);
    }
    for (const s of [HOUSEHOLD_SHEET, RESIDENT_SHEET]) {
      if (!seen.has(s)) addError({ sheet: s, row: 0, column: '', reason: `缺少工作表“${s}”，请使用导入模板` }, null);
    }
    await send(repo.stageHouseholds(c, households, ids.households));
    await send(sealAndStage(residents));
    await send(Promise.resolve());
    await progress;
    await flushErrors();
    phases.stagingWait = waited;
    phases.readParse = parseMs;
    phases.readRows = rowMs;
    phase('read');

    // File-wide checks. Their errors carry the row's values like the others: read back from the file for those rows only.
    const found = new Map<string, Map<number, { column: string; reason: string }[]>>();
    const note = (sheet: string, row: number, column: string, reason: string) => {
      let rows = found.get(sheet);
      if (!rows) found.set(sheet, rows = new Map());
      let list = rows.get(row);
      if (!list) rows.set(row, list = []);
      list.push({ column, reason });
    };
    for (const [key, row] of householdKeys) {
      const n = heads.get(key) ?? 0;
      if (n !== 1 && !invalidHouseholds.has(key)) note(HOUSEHOLD_SHEET, row, '户编号', `每户须有且仅有一名户主（本户有 ${n} 名）`);
    }
    for (const e of await repo.crossCheck(c)) note(RESIDENT_SHEET, e.row, e.column, e.reason);
    phase('crossCheck');
    if (found.size) {
      for await (const ws of readSheets(ctx.filePath, entries, importLimits.maxInflatedBytes)) {
        const name = ws.name;
        const spec = specOf(name);
        const wanted = found.get(name);
        for await (const row of ws) {
          const list = spec && wanted?.get(row.number);
          if (!list) continue;
          wanted!.delete(row.number);
          const texts = rowCells(row.values, spec.length).map((v) => v.text);
          for (const e of list) addError({ sheet: name, row: row.number, ...e }, texts);
          if (pendingErrors.length >= 1000) await flushErrors();
        }
      }
      await flushErrors();
      phase('errorValues');
    }

    if (counts.errors) {
      await repo.setStatus(db, jobId, 'failed', counts);
      return;
    }
    await repo.setStatus(db, jobId, 'merging', counts);
    const jobDb = drizzle(c, { schema });
    await oneMergeAtATime(() => jobDb.transaction(async (tx) => {
      const r = await repo.mergeStaging(c, todayInShanghai(), ids.residents);
      phase('merge');
      // Statistics that include the rows just written (ANALYZE in the transaction counts its own inserts). Until
      // autovacuum came by, the planner took them for absent: a links import right after a large household import
      // joined residents by nested loops (20,000 rows: 30 s instead of 0.2 s, measured).
      await c.query('ANALYZE households; ANALYZE residents');
      phase('analyze');
      await refreshCoverage(tx, r.orgIds);
      await appendAudit(tx, ctx.req, {
        action: 'household.import', entityType: 'import_job', entityId: jobId,
        after: { households: r.households, residents: r.residents, villages: r.orgIds.length },
      });
      counts.written = r.households + r.residents;
      counts.households = r.households;
      counts.residents = r.residents;
      publish(); // before "done" can be seen (again, complete, at the end)
      await repo.setStatus(tx, jobId, 'done', counts);
    }));
    phase('coverageAuditCommit');
  } catch (e) {
    const reason = failureReason(e, ctx.req.log, jobId);
    try {
      await progress.catch(() => {}); // an older progress write must not land after the final counts
      addError({ sheet: '', row: 0, column: '', reason }, null);
      await flushErrors();
      counts.written = 0;
      counts.households = 0;
      counts.residents = 0;
      await repo.setStatus(db, jobId, 'failed', counts);
    } catch (e2) {
      ctx.req.log.error({ err: e2, jobId }, 'import: could not record the failure');
    }
  } finally {
    // Closed rather than returned to the pool: its TEMP tables and session settings go with it.
    await worker.seal?.close();
    client?.release(true);
    phases.total = performance.now() - t0;
    publish();
    ctx.req.log.info({ jobId, phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)])) }, 'import job timings');
    await rm(ctx.filePath, { force: true });
  }
}
