import type { ContactGroupItem, NotificationList, OutboxOverview } from '@lianxin/contracts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ROLES, login, scopeVillages, setupTestApp, type Session, type TestApp } from '../../../test/app.ts';
import { householdBody, residentBody } from '../../../test/factories.ts';
import { readPdf } from '../../../test/pdf.ts';
import { deliverOutbox, notify, registerChannel, unregisterChannel, type OutgoingMessage } from './notifications.service.ts';

let t: TestApp;
const sessions = new Map<string, Session>();
let ids: { member: string; memberAccount: string; secretaryAccount: string; colleague: string; otherTown: string; linkedHousehold: string; linkedPerson: string };
let villages: { own: string; neighbour: string; otherTown: string };

async function s(role: string): Promise<Session> {
  if (!sessions.has(role)) sessions.set(role, await login(t.app, role));
  return sessions.get(role)!;
}

async function req(role: string | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const session = role ? await s(role) : null;
  return t.app.inject({
    method, url, payload: payload as string | object | Buffer | undefined,
    headers: { ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}), ...headers },
  });
}

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await t.database.pool.query(sql, params)).rows[0] as T;
}

/** A QR-like PNG (black and white squares on a white border) carrying EXIF with GPS, to see the metadata go. */
async function qrImage(size = 300): Promise<Buffer> {
  const cells = 21;
  const px = Math.floor(size / (cells + 8));
  const raw = Buffer.alloc(size * size * 3, 255);
  for (let r = 0; r < cells; r++) for (let c = 0; c < cells; c++) {
    if ((r * 7 + c * 13) % 3 !== 0 && !(r < 7 && c < 7 && r % 6 && c % 6 && !(r >= 2 && r <= 4 && c >= 2 && c <= 4))) continue;
    for (let y = 0; y < px; y++) for (let x = 0; x < px; x++) {
      const i = (((4 + r) * px + y) * size + (4 + c) * px + x) * 3;
      raw[i] = raw[i + 1] = raw[i + 2] = 0;
    }
  }
  return sharp(raw, { raw: { width: size, height: size, channels: 3 } })
    .withExif({ IFD0: { Make: 'TestPhone', Model: 'X1' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '35/1 5/1 0/1' } })
    .jpeg().toBuffer();
}

beforeAll(async () => {
  t = await setupTestApp();
  villages = await scopeVillages(t);
  const m = await one<{ person_id: string; id: string }>("SELECT person_id, id FROM accounts WHERE username = 'member'");
  const sec = await one<{ id: string }>("SELECT id FROM accounts WHERE username = 'secretary'");
  const person = async (code: string, name: string) => (await one<{ id: string }>(
    "INSERT INTO people (org_id, kind, name, sex) SELECT id, 'member', $2, 'M' FROM orgs WHERE code = $1 RETURNING id", [code, name])).id;
  const colleague = { id: await person(villages.own, '同支部党员') };
  const other = { id: await person(villages.otherTown, '外镇党员') };
  const linkedPerson = await person(villages.own, '联户党员甲');
  const h = await req('secretary', 'POST', '/api/v1/households', householdBody(villages.own, { residents: [residentBody({ name: '王大明' })] }));
  expect(h.statusCode, h.body).toBe(201);
  const householdId = (h.json() as { data: { id: string } }).data.id;
  const l = await req('secretary', 'POST', '/api/v1/links', { personId: linkedPerson, householdId });
  expect(l.statusCode, l.body).toBe(201);
  const linked = { household_id: householdId, person_id: linkedPerson };
  ids = {
    member: m.person_id, memberAccount: m.id, secretaryAccount: sec.id, colleague: colleague.id, otherTown: other.id,
    linkedHousehold: linked.household_id, linkedPerson: linked.person_id,
  };
}, 60_000);
afterAll(async () => {
  unregisterChannel('sms');
  await t?.close();
});

describe('GET/POST /notifications', () => {
  it('GET returns 200 with the caller\'s own notifications newest first, the unread count and a keyset cursor; notify() twice with one key notifies once', async () => {
    const items = [1, 2, 3].map((i) => ({ accountId: ids.memberAccount, kind: 'visit_due', title: `待走访 ${i}`, body: `第 ${i} 条`, link: '/today', dedupeKey: `test-list:${i}` }));
    expect(await notify(t.database.db, items)).toBe(3);
    expect(await notify(t.database.db, items)).toBe(0);
    await notify(t.database.db, [{ accountId: ids.secretaryAccount, kind: 'weekly_digest', title: '周报', dedupeKey: 'test-list:sec' }]);
    const first = await req('member', 'GET', '/api/v1/notifications?limit=2');
    expect(first.statusCode).toBe(200);
    const page1 = first.json() as NotificationList;
    expect(page1.unread).toBe(3);
    expect(page1.data).toHaveLength(2);
    expect(page1.nextCursor).toBeTruthy();
    const page2 = (await req('member', 'GET', `/api/v1/notifications?limit=2&cursor=${page1.nextCursor}`)).json() as NotificationList;
    const titles = [...page1.data, ...page2.data].map((n) => n.title);
    expect(titles).toHaveLength(3);
    expect(new Set(titles)).toEqual(new Set(['待走访 1', '待走访 2', '待走访 3']));
    expect(titles).not.toContain('周报');
    expect(page2.nextCursor).toBeNull();
  });

  it('POST /:id/read returns 200 with the new unread count, audited once even when tapped twice; another account\'s notification is 404', async () => {
    const list = (await req('member', 'GET', '/api/v1/notifications?unread=true')).json() as NotificationList;
    const id = list.data[0]!.id;
    const r1 = await req('member', 'POST', `/api/v1/notifications/${id}/read`);
    expect(r1.statusCode).toBe(200);
    expect(r1.json().data.unread).toBe(list.unread - 1);
    expect((await req('member', 'POST', `/api/v1/notifications/${id}/read`)).json().data.unread).toBe(list.unread - 1);
    const audits = await one<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE action = 'notification.read' AND entity_id = $1", [id]);
    expect(audits.n).toBe(1);
    expect((await req('secretary', 'POST', `/api/v1/notifications/${id}/read`)).statusCode).toBe(404);
    expect((await req('member', 'POST', `/api/v1/notifications/${crypto.randomUUID()}/read`)).statusCode).toBe(404);
  });

  it('POST /read-all returns 200 with unread 0 and audits the count; GET /unread-count agrees', async () => {
    const r = await req('member', 'POST', '/api/v1/notifications/read-all');
    expect(r.statusCode).toBe(200);
    expect(r.json().data.unread).toBe(0);
    expect((await req('member', 'GET', '/api/v1/notifications/unread-count')).json().data.unread).toBe(0);
    const a = await one<{ before: { unread: number } }>("SELECT before FROM audit_events WHERE action = 'notification.read_all' ORDER BY id DESC LIMIT 1");
    expect(a.before.unread).toBe(2);
  });

  it('returns 401 without a session, 403 without the CSRF header, 400 for a bad cursor, a bad id or an unknown query', async () => {
    expect((await req(null, 'GET', '/api/v1/notifications')).statusCode).toBe(401);
    const m = await s('member');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/notifications/read-all', headers: { cookie: m.cookie } })).statusCode).toBe(403);
    expect((await req('member', 'GET', '/api/v1/notifications?cursor=bm90LWpzb24')).statusCode).toBe(400);
    expect((await req('member', 'GET', '/api/v1/notifications?cursor=WyJ4IiwieSJd')).statusCode).toBe(400);
    expect((await req('member', 'POST', '/api/v1/notifications/not-a-uuid/read')).statusCode).toBe(400);
    expect((await req('member', 'GET', '/api/v1/notifications?limit=0')).statusCode).toBe(400);
    expect((await req('member', 'GET', '/api/v1/notifications?foo=1')).statusCode).toBe(400);
  });
});

describe('outbox', () => {
  it('with no channel configured, each new notification is queued once and delivery records not_sent "未配置发送渠道"', async () => {
    await notify(t.database.db, [{ accountId: ids.memberAccount, kind: 'visit_due', title: '本周有 2 户待走访', dedupeKey: 'test-outbox:none' }]);
    await notify(t.database.db, [{ accountId: ids.memberAccount, kind: 'visit_due', title: '本周有 2 户待走访', dedupeKey: 'test-outbox:none' }]);
    const queued = await one<{ n: number; body: string; channel: string }>(
      "SELECT count(*) OVER ()::int AS n, body, channel FROM outbox WHERE dedupe_key = 'test-outbox:none'");
    expect(queued).toMatchObject({ n: 1, body: '【连心】本周有 2 户待走访', channel: 'sms' });
    const result = await deliverOutbox(t.database.db);
    expect(result.notSent).toBeGreaterThanOrEqual(1);
    expect(result.sent).toBe(0);
    const row = await one<{ status: string; reason: string; attempts: number; sent_at: Date | null }>(
      "SELECT status, reason, attempts, sent_at FROM outbox WHERE dedupe_key = 'test-outbox:none'");
    expect(row).toEqual({ status: 'not_sent', reason: '未配置发送渠道', attempts: 0, sent_at: null });
  });

  it('with a channel, a message is sent once; a provider error is retried with backoff and ends failed after 5 attempts', async () => {
    const sent: OutgoingMessage[] = [];
    let failing = false;
    registerChannel({ name: 'sms', send: async (m) => { if (failing) throw new Error('网关超时'); sent.push(m); } });
    try {
      await notify(t.database.db, [{ accountId: ids.memberAccount, kind: 'visit_due', title: '提醒', body: '张三户本月未走访', dedupeKey: 'test-outbox:ok' }]);
      expect((await deliverOutbox(t.database.db)).sent).toBe(1);
      expect(sent.map((m) => m.body)).toEqual(['【连心】提醒：张三户本月未走访']);
      expect(sent[0]!.accountId).toBe(ids.memberAccount);
      expect((await deliverOutbox(t.database.db)).sent).toBe(0);
      expect(await one("SELECT status, attempts FROM outbox WHERE dedupe_key = 'test-outbox:ok'")).toEqual({ status: 'sent', attempts: 1 });

      failing = true;
      await notify(t.database.db, [{ accountId: ids.memberAccount, kind: 'visit_due', title: '提醒', dedupeKey: 'test-outbox:fail' }]);
      expect(await deliverOutbox(t.database.db)).toMatchObject({ retrying: 1, failed: 0 });
      const waiting = await one<{ status: string; attempts: number; reason: string; wait: number }>(
        "SELECT status, attempts, reason, extract(epoch FROM next_attempt_at - now())::int AS wait FROM outbox WHERE dedupe_key = 'test-outbox:fail'");
      expect(waiting).toMatchObject({ status: 'pending', attempts: 1, reason: '网关超时' });
      expect(waiting.wait).toBeGreaterThan(50);
      // Not due yet: nothing is tried.
      expect((await deliverOutbox(t.database.db)).retrying).toBe(0);
      for (let i = 0; i < 4; i++) {
        await t.database.pool.query("UPDATE outbox SET next_attempt_at = now() WHERE dedupe_key = 'test-outbox:fail'");
        await deliverOutbox(t.database.db);
      }
      expect(await one("SELECT status, attempts, reason FROM outbox WHERE dedupe_key = 'test-outbox:fail'")).toEqual({ status: 'failed', attempts: 5, reason: '网关超时' });
    } finally {
      unregisterChannel('sms');
    }
  });

  it('two deliveries at once (two server copies) send each message exactly once', async () => {
    const sent: string[] = [];
    registerChannel({ name: 'sms', send: async (m) => { await new Promise((r) => setTimeout(r, 20)); sent.push(m.id); } });
    try {
      await notify(t.database.db, Array.from({ length: 30 }, (_, i) => ({ accountId: ids.memberAccount, kind: 'visit_due', title: `并发 ${i}`, dedupeKey: `test-outbox:race:${i}` })));
      const [a, b] = await Promise.all([deliverOutbox(t.database.db), deliverOutbox(t.database.db)]);
      expect(a.sent + b.sent).toBe(30);
      expect(sent).toHaveLength(30);
      expect(new Set(sent).size).toBe(30);
    } finally {
      unregisterChannel('sms');
    }
  });

  it('GET /system/outbox returns 200 to the admin with channels, counts and no bodies; 403 to every other role', async () => {
    const r = await req('admin', 'GET', '/api/v1/system/outbox');
    expect(r.statusCode).toBe(200);
    const o = r.json().data as OutboxOverview;
    expect(o.configuredChannels).toEqual([]);
    expect(o.counts.not_sent).toBeGreaterThanOrEqual(1);
    expect(o.counts.failed).toBe(1);
    expect(o.recent[0]).not.toHaveProperty('body');
    expect(o.recent.find((m) => m.status === 'not_sent')?.reason).toBe('未配置发送渠道');
    for (const role of DEMO_ROLES.filter((x) => x !== 'admin')) {
      expect((await req(role, 'GET', '/api/v1/system/outbox')).statusCode, role).toBe(403);
    }
  });
});

describe('一群 /people/:id/contact-group', () => {
  it('the member records their own: GET null → PUT name 200 → PUT QR 200 (PNG, EXIF and GPS gone) → GET 200 with qrUrl; audited before → after', async () => {
    const url = `/api/v1/people/${ids.member}/contact-group`;
    const empty = await req('member', 'GET', url);
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({ personId: ids.member, data: null, canEdit: true });
    const self = await req('member', 'GET', '/api/v1/people/self/contact-group');
    expect(self.statusCode).toBe(200);
    expect(self.json()).toEqual({ personId: ids.member, data: null, canEdit: true });
    expect((await req('office', 'GET', '/api/v1/people/self/contact-group')).statusCode).toBe(404);
    const put = await req('member', 'PUT', url, { name: '  东街联户一群  ' });
    expect(put.statusCode, put.body).toBe(200);
    expect((put.json() as ContactGroupItem).data).toMatchObject({ name: '东街联户一群', qrUrl: null });
    const jpeg = await qrImage();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const qr = await req('member', 'PUT', `${url}/qr`, jpeg, { 'content-type': 'image/jpeg' });
    expect(qr.statusCode, qr.body).toBe(200);
    const item = qr.json() as ContactGroupItem;
    expect(item.data!.qrUrl).toMatch(new RegExp(`^/api/v1/people/${ids.member}/contact-group/qr\\?v=\\d+$`));
    const img = await req('member', 'GET', item.data!.qrUrl!);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    const meta = await sharp(img.rawPayload).metadata();
    expect(meta.format).toBe('png');
    expect(meta.exif).toBeUndefined();
    expect(img.rawPayload.includes(Buffer.from('TestPhone'))).toBe(false);
    // The white border is trimmed: the code fills the image.
    expect(meta.width!).toBeLessThan(300);
    const audits = (await t.database.pool.query("SELECT action, before, after FROM audit_events WHERE entity_id = $1 AND action LIKE 'contact_group.%' ORDER BY id", [ids.member])).rows;
    expect(audits).toEqual([
      { action: 'contact_group.update', before: null, after: { name: '东街联户一群', qr: false } },
      { action: 'contact_group.qr', before: { name: '东街联户一群', qr: false }, after: { name: '东街联户一群', qr: true, qrBytes: expect.any(Number) } },
    ]);
  });

  it('the branch secretary may change a member\'s group (200); town and office read it (200, canEdit false) but writing is 403', async () => {
    const url = `/api/v1/people/${ids.colleague}/contact-group`;
    expect((await req('secretary', 'PUT', url, { name: '西街群' })).statusCode).toBe(200);
    for (const role of ['town', 'office', 'leader']) {
      const g = await req(role, 'GET', url);
      expect(g.statusCode, role).toBe(200);
      expect(g.json(), role).toMatchObject({ data: { name: '西街群' }, canEdit: false });
      expect((await req(role, 'PUT', url, { name: '改名' })).statusCode, role).toBe(403);
      expect((await req(role, 'DELETE', url)).statusCode, role).toBe(403);
    }
    // A member of the same branch reads a colleague's group but does not change it.
    expect((await req('member', 'GET', url)).json()).toMatchObject({ data: { name: '西街群' }, canEdit: false });
    expect((await req('member', 'PUT', url, { name: '改名' })).statusCode).toBe(403);
  });

  it('outside the caller\'s scope (another town, an unknown person) it is 404 for reads and writes; department and admin 404', async () => {
    const url = `/api/v1/people/${ids.otherTown}/contact-group`;
    for (const role of ['secretary', 'member']) {
      expect((await req(role, 'GET', url)).statusCode, role).toBe(404);
      expect((await req(role, 'PUT', url, { name: '群' })).statusCode, role).toBe(404);
    }
    for (const role of ['department', 'admin']) expect((await req(role, 'GET', `/api/v1/people/${ids.member}/contact-group`)).statusCode, role).toBe(404);
    expect((await req('secretary', 'GET', `/api/v1/people/${crypto.randomUUID()}/contact-group`)).statusCode).toBe(404);
    expect((await req('office', 'GET', `/api/v1/people/${ids.otherTown}/contact-group`)).json()).toEqual({ personId: ids.otherTown, data: null, canEdit: false });
  });

  it('bad input is a 4xx with the error shape and writes nothing: empty or long name, NUL, not an image, a tiny image, a QR before the name, a JSON body as QR', async () => {
    const url = `/api/v1/people/${ids.colleague}/contact-group`;
    const before = await one<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    for (const body of [{ name: '  ' }, { name: '群'.repeat(41) }, { name: 'a\u0000b' }, {}, { name: '群', extra: 1 }]) {
      const r = await req('secretary', 'PUT', url, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json()).toMatchObject({ error: { id: 'validation_error', message: expect.any(String) } });
    }
    const notImage = await req('secretary', 'PUT', `${url}/qr`, Buffer.from('this is not a picture'), { 'content-type': 'image/png' });
    expect(notImage.statusCode).toBe(400);
    expect(notImage.json().error.message).toMatch(/不是可识别的图片/);
    const tiny = await sharp({ create: { width: 40, height: 40, channels: 3, background: '#000' } }).png().toBuffer();
    expect((await req('secretary', 'PUT', `${url}/qr`, tiny, { 'content-type': 'image/png' })).statusCode).toBe(400);
    expect((await req('secretary', 'PUT', `${url}/qr`, { name: 'x' })).statusCode).toBe(400);
    expect((await req('secretary', 'PUT', `${url}/qr`, 'text', { 'content-type': 'text/csv' })).statusCode).toBe(415);
    const big = Buffer.alloc(5 * 1024 * 1024 + 10, 1);
    expect((await req('secretary', 'PUT', `${url}/qr`, big, { 'content-type': 'image/jpeg' })).statusCode).toBe(413);
    const noGroup = `/api/v1/people/${ids.linkedPerson}/contact-group`;
    const early = await req('secretary', 'PUT', `${noGroup}/qr`, await qrImage(), { 'content-type': 'image/jpeg' });
    expect(early.statusCode).toBe(409);
    const after = await one<{ n: number }>('SELECT count(*)::int AS n FROM audit_events');
    expect(after.n).toBe(before.n);
    expect((await req('secretary', 'GET', url)).json().data.name).toBe('西街群');
  });

  it('DELETE returns 204, audited with what was there; a second DELETE is 404', async () => {
    const url = `/api/v1/people/${ids.colleague}/contact-group`;
    expect((await req('secretary', 'DELETE', url)).statusCode).toBe(204);
    expect((await req('secretary', 'GET', url)).json().data).toBeNull();
    expect((await req('secretary', 'DELETE', url)).statusCode).toBe(404);
    const a = await one("SELECT before, after FROM audit_events WHERE action = 'contact_group.delete' AND entity_id = $1 ORDER BY id DESC LIMIT 1", [ids.colleague]);
    expect(a).toEqual({ before: { name: '西街群', qr: false }, after: null });
  });

  it('the 联系卡 PDF prints the linked member\'s 一群 name (and its QR image) when recorded, and nothing of it otherwise', async () => {
    const cards = `/api/v1/orgs/${villages.own}/contact-cards`;
    const without = await req('secretary', 'POST', cards, { households: [ids.linkedHousehold] });
    expect(without.statusCode).toBe(200);
    const plain = await readPdf(without.rawPayload);
    expect(plain.text).not.toContain('一群');
    expect(plain.text).toContain('扫码看联系方式');
    const url = `/api/v1/people/${ids.linkedPerson}/contact-group`;
    expect((await req('secretary', 'PUT', url, { name: '联户连心群' })).statusCode).toBe(200);
    expect((await req('secretary', 'PUT', `${url}/qr`, await qrImage(), { 'content-type': 'image/jpeg' })).statusCode).toBe(200);
    const withGroup = await req('secretary', 'POST', cards, { households: [ids.linkedHousehold] });
    expect(withGroup.statusCode).toBe(200);
    const pdf = await readPdf(withGroup.rawPayload);
    expect(pdf.text).toContain('一群：联户连心群');
    expect(pdf.text).toContain('下码扫码入群');
    // The image is embedded in the page (an XObject of type Image).
    expect(withGroup.rawPayload.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    expect(without.rawPayload.includes(Buffer.from('/Subtype /Image'))).toBe(false);
  });
});

describe('while an account sets up its required second factor', () => {
  it('the bell\'s unread count and 我的一群 answer 200 (the shell\'s 我的账户), while the list and writes answer 403 totp_setup_required', async () => {
    expect((await req('office', 'PUT', '/api/v1/auth/policy', { requireTotpRoles: ['secretary'] })).statusCode).toBe(200);
    try {
      sessions.delete('secretary');
      expect((await req('secretary', 'GET', '/api/v1/notifications/unread-count')).statusCode).toBe(200);
      expect((await req('secretary', 'GET', '/api/v1/people/self/contact-group')).statusCode).toBe(200);
      const list = await req('secretary', 'GET', '/api/v1/notifications');
      expect(list.statusCode).toBe(403);
      expect(list.json().error.id).toBe('totp_setup_required');
      expect((await req('secretary', 'PUT', `/api/v1/people/${ids.colleague}/contact-group`, { name: '群' })).statusCode).toBe(403);
    } finally {
      expect((await req('office', 'PUT', '/api/v1/auth/policy', { requireTotpRoles: [] })).statusCode).toBe(200);
    }
  });
});
