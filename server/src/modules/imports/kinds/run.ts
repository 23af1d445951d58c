import type { FastifyRequest } from 'fastify';
import { rm } from 'node:fs/promises';
import type { PassThrough } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Keyring } from '../../../config.ts';
import type { Db } from '../../../db/client.ts';
import { encrypt } from '../../../lib/crypto.ts';
import { appendAudit } from '../../../plugins/audit.ts';
import { within } from '../../auth/scope.ts';
import { todayInShanghai } from '../../../lib/dates.ts';
import { refreshCoverage } from '../../links/links.service.ts';
import { importLimits, NOTES_SHEET, OPTIONS_SHEET } from '../imports.limits.ts';
import { oneMergeAtATime } from '../imports.merge.ts';
import * as repo from '../imports.repo.ts';
import { failureReason, keptValues, MERGED_HINT, mergedError, rowCells, TooManyRows } from '../imports.cells.ts';
import { readSheets, type XValue } from '../imports.xlsx-reader.ts';
import { listEntries } from '../imports.zip.ts';
import {
  type ColumnList, exampleVillage, isExampleRow, templateWorkbook, type TemplateVillages, villageList,
} from '../imports.template.ts';

/**
 * The generic "registry" import (links, businesses, members): one data sheet, streamed row by row; each row is checked
 * on its own (cells, formats, codes in the job's write scope, duplicates within the file) and, when valid, staged in
 * `import_rows` as normalized JSON; file-wide checks (the database: constituents, members, existing links, duplicates
 * against the registry) run in SQL over staging; only with zero errors does one short transaction merge staging,
 * recompute coverage for the villages it touched and append one audit event.
 */

export type RegistryKind = 'links' | 'businesses' | 'members';
export interface RowIssue { column: string; reason: string }
export interface CrossIssue { row: number; column: string; reason: string }
export interface Village { id: string; path: string; level: string }

/** What the row checks may look up without a round trip: the current org tree (≈ 5,000 rows) and the job's scope. */
export interface RowContext { orgs: Map<string, Village>; scope: string[]; ring: Keyring }

export interface KindSpec<S> {
  kind: RegistryKind;
  sheet: string;
  columns: readonly string[];
  /** Column widths for the template (characters), by column index; default 16. */
  widths?: Record<number, number>;
  templateName: string;
  notes: readonly string[];
  /** The template's example row for a village code; its first cell starts with EXAMPLE_MARK (skipped on import). */
  example(villageCode: string): string[];
  /** Drop-down lists of the coded columns, by column index (the 村（社区）代码 list is added by the template). */
  lists: Record<number, ColumnList>;
  auditAction: string;
  /** Per-job state for the row checks (e.g. keys already seen in the file). */
  start(ctx: RowContext): S;
  /** Checks one data row (cells as trimmed text). Returns the staged JSON when the row has no issues. */
  row(cells: string[], raw: XValue[], state: S, issues: RowIssue[], rowNumber: number): Record<string, unknown> | null;
  /** File-wide checks over the job's staged rows. */
  crossCheck(db: Pick<Db, 'execute'>, jobId: string): Promise<CrossIssue[]>;
  /** Tables the merge writes to, analyzed right after it, inside its transaction. */
  analyze: readonly string[];
  /** The merge, inside the transaction; returns what was written and the villages whose coverage changes. */
  merge(tx: Pick<Db, 'execute'>, jobId: string, m: { accountId: string; today: string }): Promise<{ written: number; orgIds: string[]; after: Record<string, unknown> }>;
}

export interface JobContext { db: Db; ring: Keyring; req: FastifyRequest; jobId: string; filePath: string; scope: string[] }

const BATCH = 2000;

/** A required cell's text within `max` characters, or null with the issue recorded. */
export function required(cells: string[], columns: readonly string[], issues: RowIssue[], i: number, max: number): string | null {
  const v = cells[i]!;
  if (!v) { issues.push({ column: columns[i]!, reason: `${columns[i]}不能为空${i === 0 ? MERGED_HINT : ''}` }); return null; }
  if (v.length > max) { issues.push({ column: columns[i]!, reason: `${columns[i]}不能超过 ${max} 个字` }); return null; }
  return v;
}

/** An optional cell's text (null when empty) within `max` characters. */
export function optional(cells: string[], columns: readonly string[], issues: RowIssue[], i: number, max: number): string | null {
  const v = cells[i]!;
  if (!v) return null;
  if (v.length > max) { issues.push({ column: columns[i]!, reason: `${columns[i]}不能超过 ${max} 个字` }); return null; }
  return v;
}

/** The village a 村（社区）代码 names, when it is a current village inside the job's scope; otherwise the issue. */
export function villageOf(ctx: RowContext, code: string | null, column: string, issues: RowIssue[]): Village | null {
  if (!code) return null;
  const v = ctx.orgs.get(code);
  if (!v) { issues.push({ column, reason: `村（社区）代码不存在：${code}` }); return null; }
  if (v.level !== 'village') { issues.push({ column, reason: '该代码不是村（社区）' }); return null; }
  if (!within(v.path, ctx.scope)) { issues.push({ column, reason: '不在您的管辖范围内，无权导入该村（社区）' }); return null; }
  return v;
}

/** The template of a kind: 说明, the data sheet (header, a marked example row, drop-down lists) and 可选值. */
export function kindTemplate(spec: KindSpec<unknown>, villages: TemplateVillages): PassThrough {
  const code = exampleVillage(villages);
  return templateWorkbook(`${spec.templateName}说明`, spec.notes, [{
    name: spec.sheet, columns: spec.columns, widths: spec.widths,
    examples: [spec.example(code)],
    lists: { ...spec.lists, [spec.columns.indexOf('村（社区）代码')]: villageList(villages) },
  }], villages);
}

async function stage(db: Db, jobId: string, sheet: string, rows: number[], data: string[], values: string[]): Promise<void> {
  if (!rows.length) return;
  await db.execute(sql`
    INSERT INTO import_rows (job_id, sheet, row, data, values_enc)
    SELECT ${jobId}, ${sheet}, r, d::jsonb, v
    FROM unnest(${sql.param(rows)}::int[], ${sql.param(data)}::text[], ${sql.param(values)}::text[]) AS t(r, d, v)`);
}

/** Runs one registry import job. Never throws: a failure ends the job as failed with a row-0 error. */
export async function runKindImport(spec: KindSpec<unknown>, ctx: JobContext): Promise<void> {
  const { db, ring, jobId } = ctx;
  const counts = { rows: 0, validated: 0, errors: 0, written: 0, households: 0, residents: 0 };
  let pending: repo.ErrorRow[] = [];
  const seal = (texts: string[]) => encrypt(ring, JSON.stringify(keptValues(texts)));
  const addError = (e: Omit<repo.ErrorRow, 'valuesEnc'>, valuesEnc: string | null) => { counts.errors++; pending.push({ ...e, valuesEnc }); };
  const flush = async () => { const e = pending; pending = []; await repo.insertErrors(db, jobId, e); };
  try {
    // Staging of jobs that ended without cleaning up (a killed process) goes first.
    await db.execute(sql`DELETE FROM import_rows WHERE job_id IN (SELECT id FROM import_jobs WHERE status IN ('failed', 'done'))`);
    await repo.setStatus(db, jobId, 'validating');
    // The directory first (declared sizes within the bound, no hidden entries); the reader counts what it inflates.
    const entries = await listEntries(ctx.filePath, importLimits.maxInflatedBytes);
    const state = spec.start({ orgs: await repo.orgsForImport(db), scope: ctx.scope, ring });
    let batch = { rows: [] as number[], data: [] as string[], values: [] as string[] };
    let seen = false;
    for await (const ws of readSheets(ctx.filePath, entries, importLimits.maxInflatedBytes)) {
      const name = ws.name;
      if (name === NOTES_SHEET || name === OPTIONS_SHEET) { for await (const _ of ws) { /* drain */ } continue; }
      if (name !== spec.sheet) {
        addError({ sheet: name || '（未命名）', row: 0, column: '', reason: `无法识别的工作表“${name}”：只接受“${spec.sheet}”“${NOTES_SHEET}”` }, null);
        for await (const _ of ws) { /* drain */ }
        continue;
      }
      seen = true;
      let headerSeen = false;
      let headerOk = false;
      let dataRows = 0;
      for await (const row of ws) {
        const raw = row.values;
        const cells = rowCells(raw, spec.columns.length);
        const texts = cells.map((c) => c.text);
        if (!headerSeen) {
          headerSeen = true;
          if (row.number !== 1) addError({ sheet: name, row: 1, column: '', reason: '第 1 行应为表头' }, null);
          else {
            const bad = spec.columns.findIndex((h, i) => texts[i] !== h);
            if (bad >= 0) addError({ sheet: name, row: 1, column: spec.columns[bad]!, reason: `表头第 ${bad + 1} 列应为“${spec.columns[bad]}”，请使用导入模板` }, null);
            else headerOk = true;
          }
          if (headerOk) continue;
        }
        if (!headerOk) continue;
        if (cells.every((c) => !c.text && !c.error) || isExampleRow(texts[0]!)) continue;
        if (++dataRows > importLimits.maxRows) throw new TooManyRows(name);
        counts.rows++;
        const issues: RowIssue[] = [];
        cells.forEach((c, i) => { if (c.error) issues.push({ column: spec.columns[i]!, reason: c.error }); });
        // A refused cell is checked as empty only for its own column's sake; the row is an error either way.
        const data = spec.row(cells.map((c) => (c.error ? '' : c.text)), raw, state, issues, row.number);
        if (issues.length || !data) {
          const v = seal(texts);
          // Keep only the first issue per column: a refused cell also reads as "empty".
          const cols = new Set<string>();
          for (const e of issues) {
            if (cols.has(e.column)) continue;
            cols.add(e.column);
            addError({ sheet: name, row: row.number, ...e }, v);
          }
        } else {
          counts.validated++;
          batch.rows.push(row.number); batch.data.push(JSON.stringify(data)); batch.values.push(seal(texts));
        }
        if (batch.rows.length >= BATCH) { await stage(db, jobId, name, batch.rows, batch.data, batch.values); batch = { rows: [], data: [], values: [] }; }
        if (pending.length >= 1000) await flush();
        if (counts.rows % 10_000 === 0) await repo.setCounts(db, jobId, counts);
      }
      if (!headerSeen) addError({ sheet: name, row: 1, column: '', reason: '缺少表头，请使用导入模板' }, null);
      for (const ref of ws.merged) addError({ sheet: name, ...mergedError(ref, spec.columns) }, null);
    }
    if (!seen) addError({ sheet: spec.sheet, row: 0, column: '', reason: `缺少工作表“${spec.sheet}”，请使用导入模板` }, null);
    await stage(db, jobId, spec.sheet, batch.rows, batch.data, batch.values);
    await flush();

    // File-wide checks, only when every row passed its own: they name rows by the staged values.
    if (!counts.errors) {
      // Fresh statistics for the rows just staged: without them the planner takes import_rows for nearly empty and
      // joins the cross-check's CTEs by nested loops — 86 s for 20,000 links rows (bench:import), quadratic beyond.
      await db.execute(sql`ANALYZE import_rows`);
      const found = await spec.crossCheck(db, jobId);
      if (found.length) {
        const { rows } = await db.execute<{ row: number; values_enc: string | null }>(sql`
          SELECT row, values_enc FROM import_rows WHERE job_id = ${jobId} AND row = ANY(${sql.param([...new Set(found.map((f) => f.row))])}::int[])`);
        const values = new Map(rows.map((r) => [r.row, r.values_enc]));
        for (const f of found.sort((a, b) => a.row - b.row)) {
          addError({ sheet: spec.sheet, ...f }, values.get(f.row) ?? null);
          if (pending.length >= 1000) await flush();
        }
        await flush();
      }
    }
    if (counts.errors) {
      await repo.setStatus(db, jobId, 'failed', counts);
      return;
    }
    await repo.setStatus(db, jobId, 'merging', counts);
    await oneMergeAtATime(() => db.transaction(async (tx) => {
      const r = await spec.merge(tx, jobId, { accountId: ctx.req.auth!.account.id, today: todayInShanghai() });
      // Statistics that include the rows just written (ANALYZE inside the transaction counts its own inserts): without
      // them the coverage recompute below joined 20,000 new links by nested loops — 4.1 of a 6 s import (measured) —
      // and the next job's plans would be as blind until autovacuum came by.
      await tx.execute(sql.raw(spec.analyze.map((t) => `ANALYZE ${t}`).join('; ')));
      await refreshCoverage(tx, r.orgIds);
      await appendAudit(tx, ctx.req, { action: spec.auditAction, entityType: 'import_job', entityId: jobId, after: { written: r.written, villages: r.orgIds.length, ...r.after } });
      counts.written = r.written;
      await repo.setStatus(tx as unknown as Db, jobId, 'done', counts);
    }));
  } catch (e) {
    const reason = failureReason(e, ctx.req.log, jobId);
    try {
      addError({ sheet: '', row: 0, column: '', reason }, null);
      await flush();
      counts.written = 0;
      await repo.setStatus(db, jobId, 'failed', counts);
    } catch (e2) {
      ctx.req.log.error({ err: e2, jobId }, 'import: could not record the failure');
    }
  } finally {
    await db.execute(sql`DELETE FROM import_rows WHERE job_id = ${jobId}`).catch(() => {});
    await rm(ctx.filePath, { force: true });
  }
}
