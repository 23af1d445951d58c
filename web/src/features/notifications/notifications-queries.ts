import { queryOptions } from '@tanstack/react-query';
import type { ContactGroupItem, NotificationList, OutboxOverview } from '@lianxin/contracts';
import { api, uploadFile } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';

/** The bell's count: asked once a minute (reminders come from daily jobs; a minute is soon enough) and on focus. */
export const unreadCountQuery = queryOptions({
  queryKey: ['notifications', 'unread'],
  queryFn: ({ signal }) => api<{ data: { unread: number } }>('/api/v1/notifications/unread-count', { signal }).then((r) => r.data.unread),
  refetchInterval: 60_000,
});

export const notificationsQuery = queryOptions({
  queryKey: ['notifications', 'list'],
  queryFn: ({ signal }) => api<NotificationList>('/api/v1/notifications?limit=50', { signal }),
});

function refresh() {
  return queryClient.invalidateQueries({ queryKey: ['notifications'] });
}

export async function markRead(id: string): Promise<void> {
  await api(`/api/v1/notifications/${id}/read`, { method: 'POST' });
  await refresh();
}

export async function markAllRead(): Promise<void> {
  await api('/api/v1/notifications/read-all', { method: 'POST' });
  await refresh();
}

export const outboxQuery = queryOptions({
  queryKey: ['system', 'outbox'],
  queryFn: ({ signal }) => api<{ data: OutboxOverview }>('/api/v1/system/outbox', { signal }).then((r) => r.data),
});

/** 一群 of a person, or `self` for the signed-in member's own. */
export function contactGroupQuery(person: string) {
  return queryOptions({
    queryKey: ['contact-group', person],
    queryFn: ({ signal }) => api<ContactGroupItem>(`/api/v1/people/${person}/contact-group`, { signal }),
  });
}

function refreshGroups() {
  return queryClient.invalidateQueries({ queryKey: ['contact-group'] });
}

export async function saveContactGroupName(personId: string, name: string): Promise<void> {
  await api(`/api/v1/people/${personId}/contact-group`, { method: 'PUT', body: { name } });
  await refreshGroups();
}

export async function uploadContactGroupQr(personId: string, file: File): Promise<void> {
  await uploadFile(`/api/v1/people/${personId}/contact-group/qr`, file, file.type || 'image/jpeg', undefined, 'PUT');
  await refreshGroups();
}

export async function deleteContactGroup(personId: string): Promise<void> {
  await api(`/api/v1/people/${personId}/contact-group`, { method: 'DELETE' });
  await refreshGroups();
}

export const outboxStatusLabels: Record<OutboxOverview['recent'][number]['status'], string> = {
  pending: '待发送',
  sent: '已发送',
  failed: '发送失败',
  not_sent: '未发送',
};

export const outboxChannelLabels: Record<OutboxOverview['recent'][number]['channel'], string> = {
  sms: '短信',
  wecom: '企业微信',
};
