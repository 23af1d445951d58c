import { z } from 'zod';
import { cursorText, inputText } from './text.ts';

/** 提醒: the caller's in-app notifications, newest first (keyset), with the unread count for the header's bell. */
export const notificationItem = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** A path inside the web app the notification opens, or null. */
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type NotificationItem = z.infer<typeof notificationItem>;

export const notificationListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: cursorText.optional(),
  unread: z.enum(['true', 'false']).optional(),
}).strict();
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

export const notificationList = z.object({
  data: z.array(notificationItem),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});
export type NotificationList = z.infer<typeof notificationList>;

export const unreadCount = z.object({ data: z.object({ unread: z.number().int() }) });

/** The outbox (外发消息: 短信, 企业微信) as the admin sees it on 系统维护: no bodies (they name people), only the outcome. */
export const outboxChannels = ['sms', 'wecom'] as const;
export type OutboxChannel = (typeof outboxChannels)[number];
export const outboxStatuses = ['pending', 'sent', 'failed', 'not_sent'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

export const outboxMessage = z.object({
  id: z.uuid(),
  channel: z.enum(outboxChannels),
  status: z.enum(outboxStatuses),
  /** Why it was not sent or failed (未配置发送渠道, the provider's error). */
  reason: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxMessage = z.infer<typeof outboxMessage>;

export const outboxOverview = z.object({
  data: z.object({
    /** The channels configured on this server (empty: nothing is sent outside the app). */
    configuredChannels: z.array(z.enum(outboxChannels)),
    counts: z.object({ pending: z.number().int(), sent: z.number().int(), failed: z.number().int(), not_sent: z.number().int() }),
    /** The latest messages, newest first. */
    recent: z.array(outboxMessage),
  }),
});
export type OutboxOverview = z.infer<typeof outboxOverview>['data'];

/** 一群: a member's contact group (微信群 name and its join QR code image). */
export const contactGroupLimits = { nameMax: 40, qrMaxBytes: 5 * 1024 * 1024 } as const;
export const contactGroup = z.object({
  personId: z.uuid(),
  name: z.string(),
  /** Where the QR image is served (GET, same session), or null when none has been uploaded. */
  qrUrl: z.string().nullable(),
  updatedAt: z.string(),
});
export type ContactGroup = z.infer<typeof contactGroup>;
/**
 * `data` null: none recorded. `canEdit`: the caller may change it (the member themself or their branch's secretary).
 * `personId`: whose group it is (GET …/people/self/contact-group answers the caller's own).
 */
export const contactGroupItem = z.object({ personId: z.uuid(), data: contactGroup.nullable(), canEdit: z.boolean() });
export type ContactGroupItem = z.infer<typeof contactGroupItem>;
export const contactGroupInput = z.object({ name: inputText(1, contactGroupLimits.nameMax, '请填写群名称') }).strict();
export type ContactGroupInput = z.infer<typeof contactGroupInput>;
