import { z } from 'zod';
import type { Handbook, HandbookEntry, HandbookPdfQuery, HandbookQuery, VisitChannel } from '@lianxin/contracts';
import { HANDBOOK_DAYS_MAX, visitChannels } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { addDays, daysBetween, monthStart, nextMonthStart, todayInShanghai } from '../../lib/dates.ts';
import { appendAudit } from '../../plugins/audit.ts';
import type { Grant } from '../auth/scope.ts';
import { assertCanRead } from './handbook.policy.ts';
import { renderHandbookPdf } from './handbook.pdf.ts';
import * as repo from './handbook.repo.ts';

export interface Ctx { db: Db; grants: Grant[]; req: FastifyRequest }

/** A year of a busy member's visits is a few thousand; the PDF stops at this many and says so. */
export const PDF_ENTRIES_MAX = 5000;

/** [from, to] of the query: omitted = this month; only `from` = to the end of its month; only `to` = from its month's first day. */
export function periodOf(q: { from?: string; to?: string }): { from: string; to: string } {
  const to = q.to ?? addDays(nextMonthStart(q.from ?? todayInShanghai()), -1);
  const from = q.from ?? monthStart(to);
  if (from > to) throw errors.validation('开始日期不能晚于结束日期', [{ path: 'querystring/from', message: '开始日期不能晚于结束日期' }]);
  if (daysBetween(from, to) + 1 > HANDBOOK_DAYS_MAX) {
    throw errors.validation(`时间范围最长 ${HANDBOOK_DAYS_MAX} 天`, [{ path: 'querystring/to', message: `时间范围最长 ${HANDBOOK_DAYS_MAX} 天` }]);
  }
  return { from, to };
}

/** The person `id` names ('me' = the caller's own person) if the caller may read their handbook. */
async function readable(ctx: Ctx, id: string): Promise<repo.PersonRow> {
  const own = ctx.req.auth!.account.personId;
  if (id === 'me' && !own) throw errors.notFound('当前账号没有对应的党员（志愿者）信息');
  const p = await repo.person(ctx.db, id === 'me' ? own! : id);
  assertCanRead(ctx.grants, own, p);
  return p;
}

function presentEntry(r: repo.EntryRow): HandbookEntry {
  return {
    visitId: r.id, visitedAt: new Date(r.visited_at).toISOString(), visitedOn: r.visited_on, channel: r.channel as VisitChannel,
    householdId: r.household_id, businessId: r.business_id, constituentName: r.constituent_name, residents: r.residents,
    notes: r.notes, proxy: r.proxy, enteredByName: r.entered_by_name, basis: r.basis, photos: r.photos, items: r.items,
  };
}

/** Summary and links of the period, shared by the page and the PDF. */
async function overview(db: Db, p: repo.PersonRow, from: string, to: string): Promise<Omit<Handbook, 'timeline' | 'nextCursor'>> {
  const [{ channels, totals }, links] = await Promise.all([repo.summary(db, p.id, from, to), repo.links(db, p.id, from, to)]);
  const byChannel = Object.fromEntries(visitChannels.map((c) => [c, 0])) as Record<VisitChannel, number>;
  for (const c of channels) if (c.channel in byChannel) byChannel[c.channel as VisitChannel] = c.visits;
  return {
    person: { id: p.id, name: p.name, kind: p.kind, branch: p.branch, town: p.town, orgCode: p.org_code },
    from, to,
    summary: {
      visits: channels.reduce((n, c) => n + c.visits, 0),
      byChannel,
      constituents: totals.constituents,
      proxy: channels.reduce((n, c) => n + c.proxy, 0),
      items: totals.items,
      openItems: totals.open_items,
      notVisited: links.filter((l) => l.visits === 0).length,
    },
    links: links.map((l) => ({
      householdId: l.household_id, businessId: l.business_id, kind: l.kind, name: l.name, address: l.address,
      role: l.role, startsOn: l.starts_on, visits: l.visits, lastVisitedOn: l.last_visited_on,
    })),
  };
}

/**
 * GET /people/:id/handbook: the period's summary and links, and one page of the timeline (newest first). Someone
 * reading another member's handbook is audited (handbook.view, once per period opened, not per page).
 */
export async function get(ctx: Ctx, id: string, q: HandbookQuery): Promise<Handbook> {
  const p = await readable(ctx, id);
  const { from, to } = periodOf(q);
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.timestamp, cursorPart.uuid])) : null;
  const [head, rows] = await Promise.all([
    overview(ctx.db, p, from, to),
    repo.entries(ctx.db, p.id, from, to, { order: 'desc', after, limit: q.limit + 1 }),
  ]);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  if (!q.cursor && p.id !== ctx.req.auth!.account.personId) {
    await appendAudit(ctx.db, ctx.req, { action: 'handbook.view', entityType: 'person', entityId: p.id, after: { from, to } });
  }
  return { ...head, timeline: page.map(presentEntry), nextCursor: more && last ? encodeCursor([last.at_key, last.id]) : null };
}

export interface PdfFile { filename: string; body: Buffer }

/** The month's or the year's handbook as an A4 PDF (audited: it leaves the system on paper). */
export async function pdf(ctx: Ctx, id: string, q: HandbookPdfQuery): Promise<PdfFile> {
  const p = await readable(ctx, id);
  const from = q.month ? `${q.month}-01` : `${q.year}-01-01`;
  const to = q.month ? addDays(nextMonthStart(from), -1) : `${q.year}-12-31`;
  const label = q.month ? `${Number(q.month.slice(0, 4))}年${Number(q.month.slice(5, 7))}月` : `${q.year}年度`;
  const [head, rows] = await Promise.all([
    overview(ctx.db, p, from, to),
    repo.entries(ctx.db, p.id, from, to, { order: 'asc', limit: PDF_ENTRIES_MAX + 1 }),
  ]);
  const truncated = rows.length > PDF_ENTRIES_MAX;
  const entries = (truncated ? rows.slice(0, PDF_ENTRIES_MAX) : rows).map(presentEntry);
  const body = await renderHandbookPdf({ ...head, timeline: entries, nextCursor: null }, {
    periodLabel: label, printedOn: todayInShanghai(), synthetic: p.synthetic, truncated,
  });
  await appendAudit(ctx.db, ctx.req, { action: 'handbook.print', entityType: 'person', entityId: p.id, after: { from, to, visits: head.summary.visits } });
  return { filename: `工作手册-${p.name}-${q.month ?? q.year}.pdf`, body };
}
