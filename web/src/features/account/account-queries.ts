import { queryOptions } from '@tanstack/react-query';
import type { ChangePasswordBody, LoginPolicy, MyAccount, SessionInfo, TotpDisableBody, TotpSetup } from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';

export const myAccountQuery = queryOptions({
  queryKey: ['account'],
  queryFn: ({ signal }) => api<{ data: MyAccount }>('/api/v1/auth/account', { signal }).then((r) => r.data),
});

export const sessionsQuery = queryOptions({
  queryKey: ['account', 'sessions'],
  queryFn: ({ signal }) => api<{ data: SessionInfo[] }>('/api/v1/auth/sessions', { signal }).then((r) => r.data),
});

export const loginPolicyQuery = queryOptions({
  queryKey: ['login-policy'],
  queryFn: ({ signal }) => api<{ data: LoginPolicy & { canEdit: boolean } }>('/api/v1/auth/policy', { signal }).then((r) => r.data),
});

export function changePassword(body: ChangePasswordBody): Promise<unknown> {
  return api('/api/v1/auth/password', { method: 'POST', body });
}

export function revokeOtherSessions(): Promise<{ data: { revoked: number } }> {
  return api('/api/v1/auth/sessions/revoke-others', { method: 'POST' });
}

export function setupTotp(): Promise<TotpSetup> {
  return api<{ data: TotpSetup }>('/api/v1/auth/totp/setup', { method: 'POST' }).then((r) => r.data);
}

export function enableTotp(code: string): Promise<string[]> {
  return api<{ data: { recoveryCodes: string[] } }>('/api/v1/auth/totp/enable', { method: 'POST', body: { code } }).then((r) => r.data.recoveryCodes);
}

export function disableTotp(body: TotpDisableBody): Promise<unknown> {
  return api('/api/v1/auth/totp/disable', { method: 'POST', body });
}

export function saveLoginPolicy(body: LoginPolicy): Promise<LoginPolicy & { canEdit: boolean }> {
  return api<{ data: LoginPolicy & { canEdit: boolean } }>('/api/v1/auth/policy', { method: 'PUT', body }).then((r) => r.data);
}
