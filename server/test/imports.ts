import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import ExcelJS from '../src/lib/exceljs.ts';
import { XLSX_TYPE } from '../src/modules/imports/imports.limits.ts';
import type { Session } from './app.ts';

/** POSTs a workbook to /api/v1/imports/<kind> as the session (raw xlsx body, CSRF header). */
export function uploadWorkbook(app: FastifyInstance, s: Session, kind: string, body: Buffer) {
  return app.inject({
    method: 'POST', url: `/api/v1/imports/${kind}?fileName=test.xlsx`, payload: body,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': XLSX_TYPE },
  });
}

/** Polls the job until it ends (jobs run in the background of the same process). */
export async function waitForJob(app: FastifyInstance, s: Session, id: string) {
  for (let i = 0; i < 300; i++) {
    const job = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: { cookie: s.cookie } })).json().data;
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

/** Uploads (202 expected) and waits for the job's end. */
export async function importWorkbook(app: FastifyInstance, s: Session, kind: string, body: Buffer) {
  const res = await uploadWorkbook(app, s, kind, body);
  expect(res.statusCode, res.body).toBe(202);
  return waitForJob(app, s, res.json().data.id);
}

/** The rows of a job's error workbook (行, 工作表, 列, 原因, values…) as text. */
export async function errorRowsOf(app: FastifyInstance, s: Session, id: string): Promise<string[][]> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/imports/${id}/errors.xlsx`, headers: { cookie: s.cookie } });
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const out: string[][] = [];
  wb.getWorksheet('错误')!.eachRow((row, n) => { if (n > 1) out.push(Array.from((row.values as unknown[]).slice(1), (v) => String(v ?? ''))); });
  return out;
}
