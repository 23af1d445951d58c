import { hash, verify } from '@node-rs/argon2';
import type { FastifyRequest } from 'fastify';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import QRCode from 'qrcode';
import type { LoginPolicy, MyAccount, SessionInfo, TotpSetup } from '@lianxin/contracts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { errors } from '../../errors.ts';
import { decrypt, encrypt, randomToken, sha256 } from '../../lib/crypto.ts';
import { generateOneTimePassword, passwordProblem } from '../../lib/passwords.ts';
import { appendAudit } from '../../plugins/audit.ts';
import { REQUIRE_TOTP_SETTING, type AuthContext } from '../../plugins/auth.ts';
import { presentSession } from './auth.presenter.ts';
import { canEditLoginPolicy, canReadLoginPolicy } from './auth.policy.ts';
import { ZONE_CODE } from './scope.ts';
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
export async function login(db: Db, config: Config, req: FastifyRequest, username: string, password: string, totpCode?: string): Promise<LoginResult> {
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
  if (account.totp_enabled_at) {
    // Asking for the code is not a failure (the password was right); a wrong code is counted like a wrong password.
    if (!totpCode) throw errors.totpRequired();
    const used = await checkSecondFactor(db, config, account, totpCode);
    if (!used) {
      const f = await repo.recordFailure(db, username, req.ip, config.lockoutThreshold, config.lockoutMinutes);
      await repo.recordFailure(db, username, repo.ALL_ADDRESSES, config.lockoutAccountThreshold, config.lockoutMinutes);
      await appendAudit(db, req, {
        action: 'auth.login_failed', entityType: 'account', entityId: account.id,
        after: { username, reason: 'bad_totp', failures: f.failures, pausedUntil: f.blocked_until }, actor: null,
      });
      throw errors.totpRequired('动态验证码或恢复码不正确');
    }
    if (used === 'recovery') {
      await appendAudit(db, req, { action: 'auth.recovery_code_used', entityType: 'account', entityId: account.id, actor: { id: account.id, username: account.username } });
    }
  }
  const token = randomToken();
  const now = Date.now();
  const expiresAt = new Date(now + config.sessionAbsoluteHours * 3_600_000);
  const idleExpiresAt = new Date(Math.min(now + config.sessionIdleMinutes * 60_000, expiresAt.getTime()));
  await db.transaction(async (tx) => {
    await repo.clearFailures(tx, username, req.ip);
    await repo.recordLogin(tx, account.id, req.ip);
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

// ---------------------------------------------------------------------------------------------------------------
// 我的账户: password, sessions, second factor

async function checkPassword(hashed: string, password: string): Promise<boolean> {
  return verify(hashed, password).catch(() => false);
}

/**
 * A signed-in user proving their password again (change password, turn off the second factor). Counted like a login
 * (same throttle keys, same pauses): a session left open on a shared computer must not become a password oracle.
 */
async function confirmOwnPassword(db: Db, config: Config, req: FastifyRequest, password: string, field: string): Promise<void> {
  const { username } = req.auth!.account;
  const paused = await repo.pausedUntil(db, username, req.ip);
  if (paused) {
    const seconds = Math.max(1, Math.ceil((paused.getTime() - Date.now()) / 1000));
    throw errors.rateLimited(`密码错误次数过多，请 ${Math.ceil(seconds / 60)} 分钟后再试`, { retryAfterSeconds: seconds });
  }
  const a = await repo.findAccountByUsername(db, username);
  if (a && (await checkPassword(a.password_hash, password))) return;
  const f = await repo.recordFailure(db, username, req.ip, config.lockoutThreshold, config.lockoutMinutes);
  await repo.recordFailure(db, username, repo.ALL_ADDRESSES, config.lockoutAccountThreshold, config.lockoutMinutes);
  await appendAudit(db, req, { action: 'auth.password_check_failed', entityType: 'account', entityId: req.auth!.account.id, after: { failures: f.failures, pausedUntil: f.blocked_until } });
  throw errors.validation(field === 'currentPassword' ? '当前密码不正确' : '密码不正确', { field });
}

/** Change one's own password (the current one is required). Ends the account's other sessions: whoever knew the old one is out. */
export async function changePassword(db: Db, config: Config, req: FastifyRequest, currentPassword: string, newPassword: string): Promise<void> {
  const auth = req.auth!;
  await confirmOwnPassword(db, config, req, currentPassword, 'currentPassword');
  await db.transaction(async (tx) => {
    const a = await repo.lockAccount(tx, auth.account.id);
    const problem = passwordProblem(newPassword, [a.username, a.display_name]);
    if (problem) throw errors.validation(problem, { field: 'newPassword' });
    if (await checkPassword(a.password_hash, newPassword)) throw errors.validation('新密码不能与当前密码相同', { field: 'newPassword' });
    await repo.setPassword(tx, a.id, await hashPassword(newPassword), false);
    await repo.clearFailures(tx, a.username, req.ip);
    const revoked = await repo.revokeOtherSessions(tx, a.id, auth.session.id);
    await appendAudit(tx, req, {
      action: 'account.change_password', entityType: 'account', entityId: a.id,
      before: { mustChangePassword: a.must_change_password }, after: { mustChangePassword: false, revokedSessions: revoked },
    });
  });
}

export async function myAccount(db: Db, auth: AuthContext): Promise<MyAccount> {
  const a = await repo.findAccountById(db, auth.account.id);
  const prev = await repo.previousLogin(db, auth.account.id, auth.session.id);
  return {
    previousLogin: prev ? { at: new Date(prev.created_at).toISOString(), ip: prev.ip } : null,
    passwordChangedAt: a.password_changed_at ? new Date(a.password_changed_at).toISOString() : null,
    totp: { enabled: a.totp_enabled_at != null, recoveryCodesLeft: a.totp_enabled_at ? (a.recovery_code_hashes?.length ?? 0) : 0 },
  };
}

export async function listSessions(db: Db, auth: AuthContext): Promise<SessionInfo[]> {
  const rows = await repo.liveSessions(db, auth.account.id);
  return rows.map((s) => presentSession(s, auth.session.id));
}

/** 退出其他设备: every session of the account but this one ends now. */
export async function revokeOtherSessions(db: Db, req: FastifyRequest): Promise<number> {
  const auth = req.auth!;
  return db.transaction(async (tx) => {
    const revoked = await repo.revokeOtherSessions(tx, auth.account.id, auth.session.id);
    await appendAudit(tx, req, { action: 'auth.logout_others', entityType: 'account', entityId: auth.account.id, after: { revokedSessions: revoked } });
    return revoked;
  });
}

const TOTP_ISSUER = '连心';
const RECOVERY_CODES = 10;

/** Recovery codes are read off paper: case, spaces and dashes do not matter. */
function recoveryHash(code: string): string {
  return sha256(`recovery:${code.toLowerCase().replace(/[^a-z0-9]/g, '')}`);
}

/** The time step the code belongs to when it is valid now (±30 s), else null. */
async function totpStep(secret: string, code: string): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  // ±30 s: one step either way for a phone whose clock drifts, as the RFC suggests.
  // otplib's verify types the HOTP and TOTP results together; a TOTP match carries its RFC 6238 time step.
  return verifyTotp({ secret, token: code, epochTolerance: 30 })
    .then((r) => (r.valid && 'timeStep' in r && typeof r.timeStep === 'number' ? r.timeStep : null), () => null);
}

/** A valid code not used before: its step is recorded, so the same code (or an older one) is refused afterwards. */
async function totpMatches(db: Db, accountId: string, secret: string, code: string): Promise<boolean> {
  const step = await totpStep(secret, code);
  return step !== null && repo.advanceTotpStep(db, accountId, step);
}

/** A 6-digit code from the app, or else a recovery code (consumed). Returns which worked, or null. */
async function checkSecondFactor(db: Db, config: Config, a: repo.AccountRow, code: string): Promise<'totp' | 'recovery' | null> {
  const trimmed = code.trim();
  if (/^\d{6}$/.test(trimmed)) return a.totp_secret_enc && (await totpMatches(db, a.id, decrypt(config.keyring, a.totp_secret_enc), trimmed)) ? 'totp' : null;
  return (await repo.consumeRecoveryCode(db, a.id, recoveryHash(trimmed))) ? 'recovery' : null;
}

/** Starts (or restarts) setting up the second factor: a new secret, stored encrypted and not yet enabled. */
export async function setupTotp(db: Db, config: Config, req: FastifyRequest): Promise<TotpSetup> {
  const auth = req.auth!;
  const secret = generateSecret();
  await db.transaction(async (tx) => {
    const a = await repo.lockAccount(tx, auth.account.id);
    if (a.totp_enabled_at) throw errors.conflict('动态验证码已启用；如需更换，请先停用');
    await repo.setTotp(tx, a.id, { secretEnc: encrypt(config.keyring, secret), enabled: false, recoveryCodeHashes: null });
    await appendAudit(tx, req, { action: 'account.totp_setup', entityType: 'account', entityId: a.id });
  });
  const uri = generateURI({ issuer: TOTP_ISSUER, label: auth.account.username, secret });
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { uri, secret, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** Confirms the set-up secret with a code from the app and enables it; the recovery codes are returned this once. */
export async function enableTotp(db: Db, config: Config, req: FastifyRequest, code: string): Promise<string[]> {
  const auth = req.auth!;
  return db.transaction(async (tx) => {
    const a = await repo.lockAccount(tx, auth.account.id);
    if (a.totp_enabled_at) throw errors.conflict('动态验证码已启用');
    if (!a.totp_secret_enc) throw errors.conflict('请先生成二维码并用验证器应用扫描');
    if (!(await totpMatches(tx, a.id, decrypt(config.keyring, a.totp_secret_enc), code))) throw errors.validation('动态验证码不正确，请确认手机时间准确后重试', { field: 'code' });
    const codes = Array.from({ length: RECOVERY_CODES }, generateOneTimePassword);
    await repo.setTotp(tx, a.id, { secretEnc: a.totp_secret_enc, enabled: true, recoveryCodeHashes: codes.map(recoveryHash) });
    await appendAudit(tx, req, { action: 'account.totp_enable', entityType: 'account', entityId: a.id, before: { totp: false }, after: { totp: true } });
    return codes;
  });
}

/** Turning the second factor off needs the password and a code (or recovery code), and is refused while policy requires it. */
export async function disableTotp(db: Db, config: Config, req: FastifyRequest, password: string, code: string): Promise<void> {
  const auth = req.auth!;
  const required = await requiredTotpRoles(db);
  if (auth.grants.some((g) => (required as string[]).includes(g.role))) throw errors.forbidden('登录安全策略要求您的角色使用动态验证码，不能停用');
  await confirmOwnPassword(db, config, req, password, 'password');
  await db.transaction(async (tx) => {
    const a = await repo.lockAccount(tx, auth.account.id);
    if (!a.totp_enabled_at) throw errors.conflict('动态验证码未启用');
    if (!(await checkSecondFactor(tx, config, a, code))) throw errors.validation('动态验证码或恢复码不正确', { field: 'code' });
    await repo.setTotp(tx, a.id, { secretEnc: null, enabled: false, recoveryCodeHashes: null });
    await appendAudit(tx, req, { action: 'account.totp_disable', entityType: 'account', entityId: a.id, before: { totp: true }, after: { totp: false } });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 登录安全 policy

async function requiredTotpRoles(db: Db): Promise<LoginPolicy['requireTotpRoles']> {
  return (await repo.getSetting<LoginPolicy['requireTotpRoles']>(db, REQUIRE_TOTP_SETTING)) ?? [];
}

export async function getLoginPolicy(db: Db, auth: AuthContext): Promise<LoginPolicy & { canEdit: boolean }> {
  if (!canReadLoginPolicy(auth.grants)) throw errors.forbidden();
  return { requireTotpRoles: await requiredTotpRoles(db), canEdit: canEditLoginPolicy(auth.grants) };
}

export async function putLoginPolicy(db: Db, req: FastifyRequest, policy: LoginPolicy): Promise<LoginPolicy & { canEdit: boolean }> {
  const auth = req.auth!;
  if (!canEditLoginPolicy(auth.grants)) throw errors.forbidden('只有连心办和系统管理员可以修改登录安全策略');
  const next = [...new Set(policy.requireTotpRoles)].sort();
  await db.transaction(async (tx) => {
    const before = await requiredTotpRoles(tx);
    await repo.putSetting(tx, REQUIRE_TOTP_SETTING, next);
    await appendAudit(tx, req, { action: 'settings.update', entityType: 'setting', entityId: REQUIRE_TOTP_SETTING, before, after: next });
  });
  return { requireTotpRoles: next, canEdit: true };
}

// ---------------------------------------------------------------------------------------------------------------
// create-admin (server/src/cli/create-admin.ts)

/** 3–64 letters, digits and . _ - @, or an 11-digit mobile number (which the first rule covers too). */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{3,64}$/;

/**
 * Creates the admin account (role admin on the zone, 系统管理员) or, when the name exists, resets its password, enables
 * it, clears its login pauses and ends its sessions. Either way the password is one-time (must be changed at first
 * login) and returned for printing; the audit says it was done from the command line, without the password.
 */
export async function createOrResetAdmin(db: Db, username: string): Promise<{ created: boolean; password: string }> {
  if (!USERNAME_PATTERN.test(username)) throw errors.validation('用户名须为 3–64 个字母、数字或 . _ - @（或 11 位手机号）');
  const password = generateOneTimePassword();
  const passwordHash = await hashPassword(password);
  const created = await db.transaction(async (tx) => {
    const found = await repo.findAccountByUsername(tx, username);
    if (found) {
      await repo.setPassword(tx, found.id, passwordHash, true);
      await repo.enableAccount(tx, found.id);
      await repo.clearAllFailures(tx, found.username);
      const revoked = await repo.revokeAllSessions(tx, found.id);
      await appendAudit(tx, null, {
        action: 'account.reset_password', entityType: 'account', entityId: found.id, actor: null,
        before: { disabled: found.disabled }, after: { by: 'cli', disabled: false, mustChangePassword: true, revokedSessions: revoked },
      });
      return false;
    }
    const id = await repo.insertAdmin(tx, username, '系统管理员', passwordHash, ZONE_CODE);
    await appendAudit(tx, null, {
      action: 'account.create_admin', entityType: 'account', entityId: id, actor: null,
      after: { by: 'cli', username, role: 'admin', org: ZONE_CODE, mustChangePassword: true },
    });
    return true;
  });
  return { created, password };
}
