/** Demo accounts seeded by the server (server/src/seed/accounts.ts), all with LIANXIN_DEMO_PASSWORD. */
export const DEMO_PASSWORD = process.env.LIANXIN_DEMO_PASSWORD ?? 'lianxin-demo-2026';
export const KEJING_TOWN = { code: '419001100000', name: '克井镇' };
/** The first two villages of 克井镇 (server/src/seed/data/jiyuan-divisions.csv); the secretary holds one of them. */
export const KEJING_VILLAGES = ['419001100201', '419001100202'];

/** The cookie and CSRF token of a login through the API (for set-up steps a spec needs but does not test). */
async function apiLogin(baseURL: string, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(new URL('/api/v1/auth/login', baseURL), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { cookie, csrf: (await res.json()).data.csrfToken };
}

/**
 * An account of its own for a spec that ends sessions everywhere (退出所有设备) — doing that to a demo account would
 * log out every parallel spec using it. Created by the demo office through 账号管理's API with a one-time password,
 * which is changed at once (as its first login must), so the spec logs in with `password` like any account.
 */
export async function createOwnAccount(baseURL: string, a: { displayName: string; role: string; orgCode: string }): Promise<{ username: string; password: string }> {
  const office = await apiLogin(baseURL, 'office', DEMO_PASSWORD);
  const username = `e2e-${a.role}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const created = await fetch(new URL('/api/v1/accounts', baseURL), {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: office.cookie, 'x-csrf-token': office.csrf },
    body: JSON.stringify({ username, displayName: a.displayName, roles: [{ role: a.role, orgCode: a.orgCode }] }),
  });
  if (created.status !== 201) throw new Error(`create ${username}: ${created.status} ${await created.text()}`);
  const oneTime = (await created.json()).data.oneTimePassword as string;
  const password = `e2e-${Math.random().toString(36).slice(2)}-qinghe-2026`;
  const own = await apiLogin(baseURL, username, oneTime);
  const changed = await fetch(new URL('/api/v1/auth/password', baseURL), {
    method: 'POST', headers: { 'content-type': 'application/json', cookie: own.cookie, 'x-csrf-token': own.csrf },
    body: JSON.stringify({ currentPassword: oneTime, newPassword: password }),
  });
  if (changed.status !== 200) throw new Error(`change password ${username}: ${changed.status} ${await changed.text()}`);
  return { username, password };
}
