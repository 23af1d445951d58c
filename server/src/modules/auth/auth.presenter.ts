import type { Me, SessionInfo } from '@lianxin/contracts';
import { sha256 } from '../../lib/crypto.ts';
import type { AuthContext } from '../../plugins/auth.ts';
import { abilitiesOf } from './scope.ts';

export function presentMe(auth: AuthContext, rootOrgs: { code: string; name: string; level: Me['scopeRoots'][number]['level'] }[]): Me {
  return {
    account: { id: auth.account.id, username: auth.account.username, displayName: auth.account.displayName },
    roles: auth.grants.map((g) => ({ role: g.role, orgCode: g.orgCode, orgName: g.orgName, orgLevel: g.orgLevel as Me['roles'][number]['orgLevel'] })),
    scopeRoots: rootOrgs,
    csrfToken: auth.session.csrfToken,
    session: { expiresAt: auth.session.expiresAt.toISOString(), idleExpiresAt: auth.session.idleExpiresAt.toISOString() },
    demo: auth.account.demo,
    abilities: abilitiesOf(auth.grants),
    mustChangePassword: auth.account.mustChangePassword,
    totpSetupRequired: auth.account.totpSetupRequired,
    totpEnabled: auth.account.totpEnabled,
  };
}

/** A short name for the device a session came from, read off its user agent (enough to tell "my phone" from "the office PC"). */
export function deviceOf(userAgent: string | null): string {
  if (!userAgent) return '未知设备';
  const ua = userAgent;
  const app = /MicroMessenger/i.test(ua) ? '微信'
    : /DingTalk/i.test(ua) ? '钉钉'
    : /Edg\//.test(ua) ? 'Edge'
    : /Firefox\//.test(ua) ? 'Firefox'
    : /Chrome\/|Chromium\/|CriOS\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari'
    : null;
  const os = /iPhone/.test(ua) ? 'iPhone'
    : /iPad/.test(ua) ? 'iPad'
    : /HarmonyOS|OpenHarmony/.test(ua) ? '鸿蒙'
    : /Android/.test(ua) ? 'Android'
    : /Windows/.test(ua) ? 'Windows'
    : /Mac OS X|Macintosh/.test(ua) ? 'Mac'
    : /Linux/.test(ua) ? 'Linux'
    : null;
  const parts = [app, os].filter(Boolean);
  return parts.length ? parts.join(' · ') : '其他设备';
}

export function presentSession(s: { id: string; user_agent: string | null; ip: string | null; created_at: Date; last_seen_at: Date }, currentId: string): SessionInfo {
  return {
    // The row id is the token's SHA-256: harmless, but a shorter derived id is all the page needs.
    id: sha256(`session:${s.id}`).slice(0, 16),
    device: deviceOf(s.user_agent),
    ip: s.ip,
    startedAt: new Date(s.created_at).toISOString(),
    lastSeenAt: new Date(s.last_seen_at).toISOString(),
    current: s.id === currentId,
  };
}
