import { QueryCache, QueryClient, queryOptions } from '@tanstack/react-query';
import type { LoginBody, Me } from '@lianxin/contracts';
import { api, isApiError, setCsrfToken } from '../api/api-client.ts';

import { PASSWORD_PAGE } from './safe-next.ts';

export { PASSWORD_PAGE, safeNext } from './safe-next.ts';
export const ACCOUNT_PAGE = '/account';

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      // A session that ended (expired, or "退出所有设备" elsewhere) sends the user to log in and come back here.
      if (isApiError(error, 'unauthenticated') && query.queryKey[0] !== 'me' && !location.pathname.startsWith('/login')) {
        location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
      }
      // The account is not secured yet (one-time password, or a second factor the policy requires): the server answers
      // every other API with these until it is; send the user to where it is done (a reload reads /me afresh).
      if (isApiError(error, 'password_change_required') && location.pathname !== PASSWORD_PAGE) location.assign(PASSWORD_PAGE);
      if (isApiError(error, 'totp_setup_required') && location.pathname !== ACCOUNT_PAGE) location.assign(ACCOUNT_PAGE);
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      // Never retry a 4xx: "not found / no access" and "log in again" are answers, not glitches.
      retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

/**
 * The last /me of this browser's session, so a member with no network still gets into the app (今天 from its copy,
 * visits into the offline queue). Only a network failure falls back to it; logging out forgets it.
 */
const LAST_ME = 'lianxin.me';

async function fetchMe(): Promise<Me> {
  let data: Me;
  try {
    data = (await api<{ data: Me }>('/api/v1/auth/me')).data;
  } catch (e) {
    if (isApiError(e, 'unauthenticated')) rememberMe(null);
    const last = isApiError(e, 'network_error') ? localStorage.getItem(LAST_ME) : null;
    if (!last) throw e;
    data = JSON.parse(last) as Me;
  }
  setCsrfToken(data.csrfToken);
  rememberMe(data);
  return data;
}

function rememberMe(me: Me | null) {
  try {
    if (me) localStorage.setItem(LAST_ME, JSON.stringify(me));
    else localStorage.removeItem(LAST_ME);
  } catch {
    // Storage full or disabled: the app still works online.
  }
}

export const meQuery = queryOptions({ queryKey: ['me'], queryFn: fetchMe, staleTime: 5 * 60_000 });

export async function login(body: LoginBody): Promise<Me> {
  const { data } = await api<{ data: Me }>('/api/v1/auth/login', { method: 'POST', body });
  setCsrfToken(data.csrfToken);
  rememberMe(data);
  queryClient.clear();
  queryClient.setQueryData(meQuery.queryKey, data);
  return data;
}

/** Where a signed-in user must go before anything else, or null: a one-time password first, then a required second factor. */
export function securingPage(me: Me): string | null {
  if (me.mustChangePassword) return PASSWORD_PAGE;
  if (me.totpSetupRequired) return ACCOUNT_PAGE;
  return null;
}

/** /me again after the account changed (password, second factor), so the router and pages see its new state. */
export async function refreshMe(): Promise<Me> {
  return queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
}

export async function logout(everywhere: boolean): Promise<void> {
  try {
    await api('/api/v1/auth/logout', { method: 'POST', body: { everywhere } });
  } finally {
    setCsrfToken(null);
    rememberMe(null);
    queryClient.clear();
  }
}
