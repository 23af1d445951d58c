import { hash, verify } from '@node-rs/argon2';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { randomToken, sha256 } from '../../lib/crypto.ts';
import { appendAudit } from '../../plugins/audit.ts';
import * as repo from './auth.repo.ts';

/** OWASP's argon2id minimum (m=19 MiB, t=2, p=1): ~30 ms here, cheap enough for a login, costly for guessing. */
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

// Verified when the username is unknown, so response time does not reveal which usernames exist.
let dummyHash: Promise<string> | null = null;

export interface LoginResult {
  token: string;
  accountId: string;
  expiresAt: Date;
}

export async function login(db: Db, config: Config, req: FastifyRequest, username: string, password: string): Promise<LoginResult> {
  const account = await repo.findAccountByUsername(db, username);
  if (!account || account.disabled || (account.demo && config.production)) {
    dummyHash ??= hashPassword('not-a-real-password');
    await verify(await dummyHash, password).catch(() => false);
    await appendAudit(db, req, { action: 'auth.login_failed', entityType: 'account', after: { username, reason: 'unknown_or_disabled' }, actor: null });
    throw errors.unauthenticated('用户名或密码错误');
  }
  if (account.locked_until && new Date(account.locked_until) > new Date()) {
    await appendAudit(db, req, { action: 'auth.login_failed', entityType: 'account', entityId: account.id, after: { username, reason: 'locked' }, actor: null });
    throw errors.rateLimited('登录失败次数过多，账号已临时锁定，请稍后再试', { lockedUntil: new Date(account.locked_until).toISOString() });
  }
  const ok = await verify(account.password_hash, password).catch(() => false);
  if (!ok) {
    const f = await repo.recordFailure(db, account.id, config.lockoutThreshold, config.lockoutMinutes);
    await appendAudit(db, req, {
      action: 'auth.login_failed', entityType: 'account', entityId: account.id,
      after: { username, reason: 'bad_password', failedLogins: f.failed_logins, lockedUntil: f.locked_until }, actor: null,
    });
    throw errors.unauthenticated('用户名或密码错误');
  }
  const token = randomToken();
  const now = Date.now();
  const expiresAt = new Date(now + config.sessionAbsoluteHours * 3_600_000);
  const idleExpiresAt = new Date(Math.min(now + config.sessionIdleMinutes * 60_000, expiresAt.getTime()));
  await db.transaction(async (tx) => {
    await repo.resetFailures(tx, account.id);
    await repo.insertSession(tx, {
      id: sha256(token), accountId: account.id, csrfToken: randomToken(24), idleExpiresAt, expiresAt,
      ip: req.ip, userAgent: req.headers['user-agent']?.slice(0, 300) ?? null,
    });
    await appendAudit(tx, req, { action: 'auth.login', entityType: 'account', entityId: account.id, actor: { id: account.id, username: account.username } });
  });
  return { token, accountId: account.id, expiresAt };
}

export async function logout(db: Db, req: FastifyRequest, everywhere: boolean): Promise<void> {
  const auth = req.auth!;
  await db.transaction(async (tx) => {
    const revoked = everywhere ? await repo.revokeAllSessions(tx, auth.account.id) : (await repo.revokeSession(tx, auth.session.id), 1);
    await appendAudit(tx, req, { action: everywhere ? 'auth.logout_everywhere' : 'auth.logout', entityType: 'account', entityId: auth.account.id, after: { revokedSessions: revoked } });
  });
}
