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

// Verified when the username is unknown, so response time does not reveal which usernames exist. Started by the first
// login of either kind, so not even the first unknown name pays for making it.
let dummyHash: Promise<string> | null = null;

export interface LoginResult {
  token: string;
  accountId: string;
  expiresAt: Date;
}

/**
 * Failed logins pause the *name from one address* (LIANXIN_LOCKOUT_THRESHOLD failures, then 1, 2, 4 … up to
 * LIANXIN_LOCKOUT_MINUTES), and the name from addresses it has never logged in from once
 * LIANXIN_LOCKOUT_ACCOUNT_THRESHOLD failures came from everywhere together — so an attacker pauses themselves, not the
 * official at their own address. Everything is keyed by the name (lower-cased, as accounts are matched), never by
 * whether an account has it: unknown and real names answer the same status and words at every step, and both pay one
 * argon2 verification per attempt (a paused attempt pays none, for either). Decision and trade-offs: docs/ARCHITECTURE.md, Decisions → Lockout.
 */
export async function login(db: Db, config: Config, req: FastifyRequest, username: string, password: string): Promise<LoginResult> {
  dummyHash ??= hashPassword('not-a-real-password');
  const paused = await repo.pausedUntil(db, username, req.ip);
  if (paused) {
    await appendAudit(db, req, { action: 'auth.login_failed', entityType: 'account', after: { username, reason: 'paused', pausedUntil: paused }, actor: null });
    const seconds = Math.max(1, Math.ceil((paused.getTime() - Date.now()) / 1000));
    throw errors.rateLimited(`登录失败次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试。忘记密码请联系系统管理员。`, { retryAfterSeconds: seconds });
  }
  const found = await repo.findAccountByUsername(db, username);
  const account = found && !found.disabled && !(found.demo && config.production) ? found : null;
  const ok = await verify(account?.password_hash ?? await dummyHash, password).catch(() => false);
  if (!account || !ok) {
    const f = await repo.recordFailure(db, username, req.ip, config.lockoutThreshold, config.lockoutMinutes);
    await repo.recordFailure(db, username, repo.ALL_ADDRESSES, config.lockoutAccountThreshold, config.lockoutMinutes);
    await appendAudit(db, req, {
      action: 'auth.login_failed', entityType: 'account', entityId: account?.id,
      after: { username, reason: account ? 'bad_password' : 'unknown_or_disabled', failures: f.failures, pausedUntil: f.blocked_until }, actor: null,
    });
    throw errors.unauthenticated('用户名或密码错误');
  }
  const token = randomToken();
  const now = Date.now();
  const expiresAt = new Date(now + config.sessionAbsoluteHours * 3_600_000);
  const idleExpiresAt = new Date(Math.min(now + config.sessionIdleMinutes * 60_000, expiresAt.getTime()));
  await db.transaction(async (tx) => {
    await repo.clearFailures(tx, username, req.ip);
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

/** Housekeeping for main.ts: login throttle rows with no failure for a day are forgotten. */
export function purgeStaleThrottles(db: Db): Promise<number> {
  return repo.purgeStaleThrottles(db);
}

/**
 * Ends every live session of an account at once (lifecycle: disable, reset, "end all sessions"): the next request
 * with any of its cookies is unauthenticated. Call inside the transaction that makes the change.
 */
export function endSessions(tx: Db, accountId: string): Promise<number> {
  return repo.revokeAllSessions(tx, accountId);
}

/**
 * A person left the roster (transferred out, died, removed): their accounts are disabled and their sessions end in the
 * caller's transaction, each audited. Returns how many accounts were disabled.
 */
export async function disableAccountsOfPeople(tx: Db, req: FastifyRequest | null, personIds: string[], reason: string): Promise<number> {
  const disabled = await repo.disableAccountsOfPeople(tx, personIds, reason);
  for (const a of disabled) {
    const revoked = await repo.revokeAllSessions(tx, a.id);
    await appendAudit(tx, req, { action: 'account.disable', entityType: 'account', entityId: a.id, before: { disabled: false }, after: { disabled: true, reason, revokedSessions: revoked } });
  }
  return disabled.length;
}
