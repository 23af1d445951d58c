import { sql } from 'drizzle-orm';
import type { ContactGroupItem, NotificationList, NotificationListQuery, OutboxOverview } from '@lianxin/contracts';
import { contactGroupLimits } from '@lianxin/contracts';
import type { FastifyRequest } from 'fastify';
import sharp from 'sharp';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { cursorPart, decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { appendAudit } from '../../plugins/audit.ts';
import type { Grant } from '../auth/scope.ts';
import { personRef } from '../people/people.service.ts';
import { channelFor, configuredChannels, preferredChannel } from './notifications.channels.ts';
import { contactGroupAccess } from './notifications.policy.ts';
import * as repo from './notifications.repo.ts';

export type { MessageChannel, OutgoingMessage } from './notifications.channels.ts';
export { registerChannel, unregisterChannel } from './notifications.channels.ts';

export interface NewNotification {
  accountId: string;
  kind: string;
  title: string;
  body?: string;
  link?: string | null;
  /** Unique across all notifications: the same key twice notifies once. */
  dedupeKey: string;
}

/**
 * Adds in-app notifications; a key already used is skipped (a retried or doubled job notifies once). Each new one is
 * also queued in the outbox (短信 / 企业微信) in the same statement, so a reminder reaches a member who does not open
 * the app — or the outbox says it could not. Returns how many were new.
 */
export async function notify(db: Pick<Db, 'execute'>, items: NewNotification[]): Promise<number> {
  if (items.length === 0) return 0;
  const rows = sql.join(items.map((n) => sql`(${n.accountId}::uuid, ${n.kind}, ${n.title}, ${n.body ?? ''}, ${n.link ?? null}, ${n.dedupeKey})`), sql`, `);
  const r = await db.execute<{ n: number }>(sql`
    WITH n AS (
      INSERT INTO notifications (account_id, kind, title, body, link, dedupe_key) VALUES ${rows}
      ON CONFLICT (dedupe_key) DO NOTHING
      RETURNING account_id, title, body, dedupe_key
    ), o AS (
      INSERT INTO outbox (channel, account_id, body, dedupe_key)
      SELECT ${preferredChannel()}, account_id, '【连心】' || title || CASE WHEN body <> '' THEN '：' || body ELSE '' END, dedupe_key FROM n
      ON CONFLICT DO NOTHING
    )
    SELECT count(*)::int AS n FROM n`);
  return r.rows[0]?.n ?? 0;
}

// ——— 提醒: the caller's own notifications ———

export async function listMine(db: Db, accountId: string, q: NotificationListQuery): Promise<NotificationList> {
  const after = q.cursor ? decodeCursor(q.cursor, z.tuple([cursorPart.timestamp, cursorPart.uuid])) : null;
  const rows = await repo.listNotifications(db, accountId, { unreadOnly: q.unread === 'true', after, limit: q.limit });
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return {
    data: page.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, createdAt: r.created_at, readAt: r.read_at })),
    nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null,
    unread: await repo.unreadCount(db, accountId),
  };
}

export async function unreadOf(db: Db, accountId: string): Promise<number> {
  return repo.unreadCount(db, accountId);
}

/** Marks one read (someone else's: 404); audited only when it changes something, so a double tap writes once. */
export async function markRead(db: Db, req: FastifyRequest, id: string): Promise<number> {
  const accountId = req.auth!.account.id;
  return db.transaction(async (tx) => {
    const r = await repo.markRead(tx, accountId, id);
    if (!r) throw errors.notFound('提醒不存在');
    if (r.was_unread) {
      await appendAudit(tx, req, { action: 'notification.read', entityType: 'notification', entityId: id, before: { read: false }, after: { read: true } });
    }
    return repo.unreadCount(tx, accountId);
  });
}

export async function markAllRead(db: Db, req: FastifyRequest): Promise<number> {
  const accountId = req.auth!.account.id;
  return db.transaction(async (tx) => {
    const n = await repo.markAllRead(tx, accountId);
    if (n) await appendAudit(tx, req, { action: 'notification.read_all', entityType: 'account', entityId: accountId, before: { unread: n }, after: { unread: 0 } });
    return n;
  });
}

// ——— The outbox and its delivery job ———

const MAX_ATTEMPTS = 5;
const BATCH = 50;
const NO_CHANNEL = '未配置发送渠道';

/** Backoff after the n-th failed attempt: 1, 4, 16, 64 minutes. */
function retryDelaySeconds(attempt: number): number {
  return 60 * 4 ** (attempt - 1);
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 500) || '发送失败';
}

export interface DeliveryResult { sent: number; notSent: number; failed: number; retrying: number }

/**
 * Sends the due pending messages (the outbox job). Rows are claimed with SKIP LOCKED inside a transaction per batch, so
 * two runners at once never send the same message; a provider error leaves the row pending for a later attempt with
 * backoff, and after MAX_ATTEMPTS it is `failed` with the error. No channel of that kind configured → `not_sent`.
 */
export async function deliverOutbox(db: Db): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, notSent: 0, failed: 0, retrying: 0 };
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const rows = await repo.claimDue(tx, BATCH);
      for (const row of rows) {
        const channel = channelFor(row.channel);
        if (!channel) {
          await repo.finish(tx, row.id, 'not_sent', NO_CHANNEL, false);
          result.notSent++;
          continue;
        }
        try {
          await channel.send({ id: row.id, accountId: row.account_id, body: row.body });
          await repo.finish(tx, row.id, 'sent', null, true);
          result.sent++;
        } catch (e) {
          const attempt = row.attempts + 1;
          if (attempt >= MAX_ATTEMPTS) {
            await repo.finish(tx, row.id, 'failed', errorText(e), true);
            result.failed++;
          } else {
            await repo.retryLater(tx, row.id, errorText(e), retryDelaySeconds(attempt));
            result.retrying++;
          }
        }
      }
      return rows.length;
    });
    if (claimed < BATCH) return result;
  }
}

export async function outboxOverview(db: Db): Promise<OutboxOverview> {
  // Raw queries hand timestamps back as PostgreSQL prints them: one ISO form for the API.
  const iso = (d: string | null) => (d ? new Date(d).toISOString() : null);
  return {
    configuredChannels: configuredChannels(),
    counts: await repo.outboxCounts(db),
    recent: (await repo.recentOutbox(db, 50)).map((r) => ({
      id: r.id, channel: r.channel, status: r.status, reason: r.reason, attempts: r.attempts,
      createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!, sentAt: iso(r.sent_at),
    })),
  };
}

// ——— 一群: a member's contact group ———

export interface GroupCtx { db: Db; grants: Grant[]; req: FastifyRequest }

/** The person and what the caller may do with their group: unknown or out of scope → 404; reading only → 403 on writes. */
async function personFor(ctx: GroupCtx, personId: string, need: 'read' | 'write') {
  const person = await personRef(ctx.db, personId);
  const access = person ? contactGroupAccess(ctx.grants, ctx.req.auth!.account.personId, person) : { read: false, write: false };
  if (!person || !access.read) throw errors.notFound('人员不存在或无权查看');
  if (need === 'write' && !access.write) throw errors.forbidden('只有本人或所在支部书记可以修改一群');
  if (need === 'write' && person.left) throw errors.conflict('该人员已不在名册中，不能修改一群');
  return { person, access };
}

function present(personId: string, row: repo.ContactGroupRow | null, canEdit: boolean): ContactGroupItem {
  return {
    personId,
    data: row ? {
      personId, name: row.name, updatedAt: new Date(row.updated_at).toISOString(),
      // The version in the URL makes a replaced image a new address (browsers cache it for the session).
      qrUrl: row.has_qr ? `/api/v1/people/${personId}/contact-group/qr?v=${new Date(row.updated_at).getTime()}` : null,
    } : null,
    canEdit,
  };
}

/** The caller's own person (an account of the roster); 404 for an account that is no one's (admin, office staff). */
export function ownPersonId(ctx: GroupCtx): string {
  const id = ctx.req.auth!.account.personId;
  if (!id) throw errors.notFound('当前账号没有对应的党员（志愿者），没有一群');
  return id;
}

export async function getContactGroup(ctx: GroupCtx, personId: string): Promise<ContactGroupItem> {
  const { access } = await personFor(ctx, personId, 'read');
  return present(personId, await repo.contactGroupOf(ctx.db, personId), access.write);
}

export async function contactGroupQr(ctx: GroupCtx, personId: string): Promise<{ mime: string; bytes: Buffer }> {
  await personFor(ctx, personId, 'read');
  const qr = await repo.contactGroupQr(ctx.db, personId);
  if (!qr) throw errors.notFound('还没有上传群二维码');
  return { mime: qr.qr_mime, bytes: qr.qr_bytes };
}

export async function saveContactGroupName(ctx: GroupCtx, personId: string, name: string): Promise<ContactGroupItem> {
  await personFor(ctx, personId, 'write');
  await ctx.db.transaction(async (tx) => {
    const before = await repo.lockContactGroup(tx, personId);
    await repo.upsertName(tx, personId, name);
    await appendAudit(tx, ctx.req, {
      action: 'contact_group.update', entityType: 'person', entityId: personId,
      before: before ? { name: before.name, qr: before.has_qr } : null, after: { name, qr: before?.has_qr ?? false },
    });
  });
  return present(personId, await repo.contactGroupOf(ctx.db, personId), true);
}

/** The longest side kept: a join QR stays readable when printed at 2 cm, and the row stays small. */
const QR_MAX_PX = 800;
const QR_MIN_PX = 100;

/**
 * Re-encodes an uploaded QR image as PNG (lossless: JPEG blurs the modules' edges) at most 800 px, metadata dropped
 * (sharp keeps none unless asked), uniform borders trimmed so the code fills the printed square. Not an image, or too
 * small to scan → 400.
 */
async function reencodeQr(input: Buffer): Promise<Buffer> {
  const bad = (message: string) => errors.validation(message, [{ path: 'body', message }]);
  const meta = await sharp(input, { limitInputPixels: 40_000_000 }).metadata().catch(() => null);
  if (!meta) throw bad('不是可识别的图片，请上传群二维码的照片或截图（JPEG、PNG 或 WebP）');
  if (!meta.width || !meta.height || Math.min(meta.width, meta.height) < QR_MIN_PX) throw bad(`图片太小（至少 ${QR_MIN_PX}×${QR_MIN_PX} 像素），二维码无法扫描`);
  try {
    const trimmed = await sharp(input).rotate().flatten({ background: '#ffffff' }).trim({ threshold: 10 }).toBuffer()
      .catch(() => sharp(input).rotate().flatten({ background: '#ffffff' }).toBuffer());
    return await sharp(trimmed).resize(QR_MAX_PX, QR_MAX_PX, { fit: 'inside', withoutEnlargement: true }).png({ compressionLevel: 9 }).toBuffer();
  } catch {
    throw bad('图片无法处理，请换一张群二维码图片');
  }
}

export async function saveContactGroupQr(ctx: GroupCtx, personId: string, body: Buffer): Promise<ContactGroupItem> {
  await personFor(ctx, personId, 'write');
  if (body.length > contactGroupLimits.qrMaxBytes) throw errors.validation('图片太大（不超过 5 MB）');
  const png = await reencodeQr(body);
  await ctx.db.transaction(async (tx) => {
    const before = await repo.lockContactGroup(tx, personId);
    if (!before) throw errors.conflict('请先填写并保存群名称，再上传二维码');
    await repo.setQr(tx, personId, 'image/png', png);
    await appendAudit(tx, ctx.req, {
      action: 'contact_group.qr', entityType: 'person', entityId: personId,
      before: { name: before.name, qr: before.has_qr }, after: { name: before.name, qr: true, qrBytes: png.length },
    });
  });
  return present(personId, await repo.contactGroupOf(ctx.db, personId), true);
}

export async function deleteContactGroup(ctx: GroupCtx, personId: string): Promise<void> {
  await personFor(ctx, personId, 'write');
  await ctx.db.transaction(async (tx) => {
    const before = await repo.lockContactGroup(tx, personId);
    if (!before) throw errors.notFound('还没有登记一群');
    await repo.deleteContactGroup(tx, personId);
    await appendAudit(tx, ctx.req, {
      action: 'contact_group.delete', entityType: 'person', entityId: personId, before: { name: before.name, qr: before.has_qr }, after: null,
    });
  });
}

/** 一群 of these people for print (联系卡): name and the QR image (PNG), when recorded. No scope check: the caller's. */
export async function contactGroupsForPrint(db: Db, personIds: string[]): Promise<Map<string, { name: string; qr: Buffer | null }>> {
  const rows = await repo.contactGroupsOf(db, [...new Set(personIds)]);
  return new Map(rows.map((r) => [r.person_id, { name: r.name, qr: r.qr_bytes }]));
}
