import type { PublicCard } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { contactCardRequest } from '@lianxin/contracts';
import type { Keyring } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { appendAudit } from '../../plugins/audit.ts';
import type { Grant } from '../auth/scope.ts';
import { contactGroupsForPrint } from '../notifications/notifications.service.ts';
import { within } from '../auth/scope.ts';
import { renderCardsPdf } from './contact-cards.pdf.ts';
import { signCardToken, verifyCardToken } from './contact-card.token.ts';
import { layoutForPrint, type LinkMapContent, type MapGrid } from './link-map.layout.ts';
import { assertCardWrite, mapRoots } from './print.policy.ts';
import { renderMapPdf, renderMapSvg } from './print.render.ts';
import * as repo from './print.repo.ts';

// The PDF pieces other printed documents share (accounts' 开通通知单): the font, the 演示数据 mark and the vector QR.
export { newPdf, pdfBuffer } from './print.render.ts';
export { drawQr } from './contact-cards.pdf.ts';

export interface Ctx { db: Db; ring: Keyring; grants: Grant[]; req: FastifyRequest; publicUrl: string | null }

const zh = new Intl.Collator('zh-Hans-CN', { numeric: true });
const NO_GRID = '未划分网格';

/**
 * What the public documents call whoever holds a constituent's primary link: 联户党员 for a party member; a helper
 * (志愿者, 积极分子, 非党干部 — people.helper_kind) is never posted or printed as a party member.
 */
export function holderTitle(kind: 'member' | 'helper' | null, helperKind: string | null): string {
  return kind === 'helper' ? `联户${helperKind || '志愿者'}` : '联户党员';
}

/** 2026年11月24日 in Asia/Shanghai (../shared/ARCHITECTURE.md: show times in Asia/Shanghai). */
export function chineseDate(at: Date = new Date()): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' })
    .formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}年${p.month}月${p.day}日`;
}

async function villageIn(ctx: Ctx, code: string, roots: string[]): Promise<repo.VillageRow> {
  const org = await repo.orgByCode(ctx.db, code);
  if (!org || !within(org.path, roots)) throw errors.notFound();
  if (org.level !== 'village') throw errors.validation('联户示意图和联系卡按村（社区）制作，请先选择一个村（社区）');
  return org;
}

/** "克井镇 枣庙村 3组 12号" → "3组 12号": the map is already about that village. */
function shortAddress(address: string, v: repo.VillageRow): string {
  let a = address.trim();
  for (const p of ['济源市', v.town_name, v.short_name]) if (p && a.startsWith(p)) a = a.slice(p.length).trimStart();
  return a;
}

/** The village's map, or one grid's (a poster per grid, for villages that post them grid by grid). */
export async function linkMapContent(ctx: Ctx, code: string, gridCode?: string): Promise<{ village: repo.VillageRow; gridName: string | null; content: LinkMapContent; synthetic: boolean }> {
  const v = await villageIn(ctx, code, mapRoots(ctx.grants));
  let rows = await repo.mapRows(ctx.db, v.id);
  let gridName: string | null = null;
  if (gridCode) {
    const grid = await repo.orgByCode(ctx.db, gridCode);
    if (!grid || grid.level !== 'grid' || !grid.path.startsWith(`${v.path}/`)) throw errors.notFound('该网格不存在或不属于本村（社区）');
    gridName = grid.short_name;
    rows = rows.filter((r) => r.grid_code === gridCode);
  }
  const anyGrid = rows.some((r) => r.grid_name);
  const grids = new Map<string, { sort: number; grid: MapGrid; byPerson: Map<string, MapGrid['members'][number]> }>();
  const people = new Set<string>();
  const helpers = new Set<string>();
  let hh = 0, hhLinked = 0, bz = 0, bzLinked = 0;
  for (const r of rows) {
    const name = anyGrid ? (r.grid_name ?? NO_GRID) : '全村';
    let g = grids.get(name);
    if (!g) grids.set(name, (g = { sort: r.grid_name ? (r.grid_sort ?? 0) : Number.MAX_SAFE_INTEGER, grid: { name, members: [], linked: 0, unlinked: 0 }, byPerson: new Map() }));
    const isHousehold = r.kind === 'household';
    if (isHousehold) hh++; else bz++;
    if (!r.person_id) { g.grid.unlinked++; continue; }
    if (isHousehold) hhLinked++; else bzLinked++;
    g.grid.linked++;
    (r.person_kind === 'helper' ? helpers : people).add(r.person_id);
    let m = g.byPerson.get(r.person_id);
    const holder = r.person_kind === 'helper' ? `${r.person_name!}（${r.helper_kind || '志愿者'}）` : r.person_name!;
    if (!m) g.byPerson.set(r.person_id, (m = { name: holder, workPhone: r.work_phone, items: [] }));
    m.items.push(`${r.label}　${shortAddress(r.address, v)}`);
  }
  const ordered = [...grids.values()].sort((a, b) => a.sort - b.sort || zh.compare(a.grid.name, b.grid.name));
  for (const g of ordered) {
    g.grid.members = [...g.byPerson.values()]
      .sort((a, b) => zh.compare(a.name, b.name))
      .map((m) => ({ name: m.name, workPhone: m.workPhone, items: m.items.sort(zh.compare) }));
  }
  const gridCount = anyGrid ? ordered.filter((g) => g.grid.name !== NO_GRID).length : 0;
  return {
    village: v,
    gridName,
    // Demo data anywhere on the sheet (the org, a constituent or a member) marks the whole sheet 演示数据.
    synthetic: v.synthetic || rows.some((r) => r.synthetic),
    content: {
      title: `${v.short_name}${gridName ?? ''}党群连心工程联户示意图`,
      unit: v.party_name ?? `${v.town_name ?? ''}${v.short_name}`,
      dateText: chineseDate(),
      summary: `${gridCount ? `网格 ${gridCount} 个　` : ''}联户党员 ${people.size} 名${helpers.size ? `　志愿者等 ${helpers.size} 名` : ''}　已联系住户 ${hhLinked}/${hh} 户　企业商户 ${bzLinked}/${bz} 家`,
      grids: ordered.map((g) => g.grid),
    },
  };
}

export interface PrintFile { body: Buffer | string; filename: string }

/** The map in the browser: the same sheets as the PDF, so what is on screen is the poster. */
export async function linkMapSvg(ctx: Ctx, code: string, gridCode?: string): Promise<PrintFile> {
  const { village, gridName, content, synthetic } = await linkMapContent(ctx, code, gridCode);
  const layout = layoutForPrint(content);
  return { body: renderMapSvg(layout, content.title, synthetic), filename: `${village.short_name}${gridName ?? ''}联户示意图.svg` };
}

export async function linkMapPdf(ctx: Ctx, code: string, gridCode?: string): Promise<PrintFile> {
  const { village, gridName, content, synthetic } = await linkMapContent(ctx, code, gridCode);
  const layout = layoutForPrint(content);
  return { body: await renderMapPdf(layout, { title: content.title, subject: '联户示意图', synthetic }), filename: `${village.short_name}${gridName ?? ''}联户示意图.pdf` };
}

/** Issues (and so revokes the previous) cards and renders them in one transaction: no PDF, no new cards. */
export async function contactCards(ctx: Ctx, code: string, body: z.infer<typeof contactCardRequest>): Promise<PrintFile> {
  const v = await villageIn(ctx, code, mapRoots(ctx.grants));
  assertCardWrite(ctx.grants, v.path);
  const only = body.households || body.businesses ? { households: [...new Set(body.households ?? [])], businesses: [...new Set(body.businesses ?? [])] } : null;
  const rows = await repo.cardConstituents(ctx.db, v.id, only);
  if (only && rows.length !== only.households.length + only.businesses.length) throw errors.notFound('部分住户或企业商户不存在，或不属于本村（社区）');
  const unlinked = rows.filter((r) => !r.person_name);
  if (unlinked.length) throw errors.conflict('以下对象还没有联户党员，请先联户再打印联系卡', { unlinked: unlinked.map((r) => r.label) });
  if (!rows.length) throw errors.conflict('本村（社区）还没有已联户的住户或企业商户，没有可打印的联系卡');
  const base = ctx.publicUrl ?? `${ctx.req.protocol}://${ctx.req.host}`;
  const branch = v.party_name ?? `${v.short_name}党支部`;
  const groups = await contactGroupsForPrint(ctx.db, rows.flatMap((r) => (r.person_id ? [r.person_id] : [])));
  const pdf = await ctx.db.transaction(async (tx) => {
    const ids = await repo.reissueCards(tx, rows.map((r) => ({ householdId: r.household_id, businessId: r.business_id })), ctx.req.auth!.account.id);
    await appendAudit(tx, ctx.req, {
      action: 'contact_cards.issue', entityType: 'org', entityId: v.id,
      after: { village: v.code, households: rows.filter((r) => r.household_id).length, businesses: rows.filter((r) => r.business_id).length },
    });
    return renderCardsPdf(
      rows.map((r, i) => ({
        constituent: r.label, address: shortAddress(r.address, v), member: r.person_name!, memberTitle: holderTitle(r.person_kind, r.helper_kind),
        workPhone: r.work_phone, branch, group: (r.person_id && groups.get(r.person_id)) || null,
        url: `${base}/c/${signCardToken(ctx.ring, ids[i]!)}`,
      })),
      v.party_name ?? v.short_name, chineseDate(), v.synthetic || rows.some((r) => r.synthetic),
    );
  });
  return { body: pdf, filename: `${v.short_name}联系卡.pdf` };
}

export async function publicCard(db: Db, ring: Keyring, token: string): Promise<PublicCard> {
  const id = verifyCardToken(ring, token);
  const row = id ? await repo.publicCard(db, id) : null;
  if (!row) throw errors.notFound('联系卡无效：请核对卡片，或联系所在村（社区）党支部');
  const active = !row.revoked_at;
  return {
    status: active ? 'active' : 'revoked',
    village: row.village,
    town: row.town,
    branch: row.branch,
    member: active && row.person_name ? { name: row.person_name, workPhone: row.work_phone, title: holderTitle(row.person_kind, row.helper_kind) } : null,
    branchPhone: row.branch_phone,
    issuedOn: chineseDate(new Date(row.issued_at)),
  };
}
