import { param, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

export type AccountRow = {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  disabled: boolean;
  demo: boolean;
  must_change_password: boolean;
  totp_secret_enc: string | null;
  totp_enabled_at: Date | null;
  recovery_code_hashes: string[] | null;
  password_changed_at: Date | null;
};

const ACCOUNT_COLUMNS = sql`id, username, display_name, password_hash, disabled, demo, must_change_password,
  totp_secret_enc, totp_enabled_at, recovery_code_hashes, password_changed_at`;

export async function findAccountByUsername(db: Db, username: string): Promise<AccountRow | null> {
  const { rows } = await db.execute<AccountRow>(sql`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE lower(username) = lower(${username})`);
  return rows[0] ?? null;
}

export async function findAccountById(db: Db, id: string): Promise<AccountRow> {
  const { rows } = await db.execute<AccountRow>(sql`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ${id}`);
  return rows[0]!;
}

/** FOR UPDATE: password and second-factor changes read and write the row in one transaction. */
export async function lockAccount(db: Db, id: string): Promise<AccountRow> {
  const { rows } = await db.execute<AccountRow>(sql`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ${id} FOR UPDATE`);
  return rows[0]!;
}

export async function recordLogin(db: Db, id: string, ip: string): Promise<void> {
  await db.execute(sql`UPDATE accounts SET last_login_at = now(), last_login_ip = ${ip} WHERE id = ${id}`);
}

export async function setPassword(db: Db, id: string, passwordHash: string, mustChange: boolean): Promise<void> {
  await db.execute(sql`
    UPDATE accounts SET password_hash = ${passwordHash}, must_change_password = ${mustChange},
      password_changed_at = ${mustChange ? null : sql`now()`}, updated_at = now()
    WHERE id = ${id}`);
}

/** Removes one recovery code if the account still has it; true when it did (a code works once, even under races). */
/**
 * Records the time step of an accepted code, only when it is later than the last one: false when the code (or an
 * earlier one) was already used — a code seen over someone's shoulder cannot be replayed within its window.
 */
export async function advanceTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const r = await db.execute(sql`
    UPDATE accounts SET totp_last_step = ${step}, updated_at = now()
    WHERE id = ${id} AND (totp_last_step IS NULL OR totp_last_step < ${step})`);
  return (r.rowCount ?? 0) > 0;
}

export async function consumeRecoveryCode(db: Db, id: string, codeHash: string): Promise<boolean> {
  const r = await db.execute(sql`
    UPDATE accounts SET recovery_code_hashes = array_remove(recovery_code_hashes, ${codeHash}), updated_at = now()
    WHERE id = ${id} AND ${codeHash} = ANY(recovery_code_hashes)`);
  return (r.rowCount ?? 0) > 0;
}

export async function setTotp(db: Db, id: string, t: { secretEnc: string | null; enabled: boolean; recoveryCodeHashes: string[] | null }): Promise<void> {
  await db.execute(sql`
    UPDATE accounts SET totp_secret_enc = ${t.secretEnc}, totp_enabled_at = ${t.enabled ? sql`now()` : null},
      recovery_code_hashes = ${param(t.recoveryCodeHashes)}::text[], updated_at = now()
    WHERE id = ${id}`);
}

/** The login before the current session: the latest session this account started before it. */
export async function previousLogin(db: Db, accountId: string, currentSessionId: string): Promise<{ created_at: Date; ip: string | null } | null> {
  const { rows } = await db.execute<{ created_at: Date; ip: string | null }>(sql`
    SELECT s.created_at, s.ip FROM sessions s
    WHERE s.account_id = ${accountId} AND s.id <> ${currentSessionId}
      AND s.created_at < (SELECT created_at FROM sessions WHERE id = ${currentSessionId})
    ORDER BY s.created_at DESC LIMIT 1`);
  return rows[0] ?? null;
}

export type SessionRow = { id: string; user_agent: string | null; ip: string | null; created_at: Date; last_seen_at: Date };

export async function liveSessions(db: Db, accountId: string): Promise<SessionRow[]> {
  const { rows } = await db.execute<SessionRow>(sql`
    SELECT id, user_agent, ip, created_at, last_seen_at FROM sessions
    WHERE account_id = ${accountId} AND revoked_at IS NULL AND expires_at > now() AND idle_expires_at > now()
    ORDER BY last_seen_at DESC`);
  return rows;
}

export async function revokeOtherSessions(db: Db, accountId: string, keepId: string): Promise<number> {
  const r = await db.execute(sql`UPDATE sessions SET revoked_at = now() WHERE account_id = ${accountId} AND id <> ${keepId} AND revoked_at IS NULL`);
  return r.rowCount ?? 0;
}

export async function getSetting<T>(db: Db, key: string): Promise<T | null> {
  const { rows } = await db.execute<{ value: T }>(sql`SELECT value FROM settings WHERE key = ${key}`);
  return rows[0]?.value ?? null;
}

export async function putSetting(db: Db, key: string, value: unknown): Promise<void> {
  await db.execute(sql`
    INSERT INTO settings (key, value) VALUES (${key}, ${JSON.stringify(value)}::jsonb)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`);
}

/**
 * Throttles are keyed by lower(name) in SQL, exactly as findAccountByUsername matches names, so no spelling of a name
 * that reaches an account can escape its count. The account-wide row: failures of a name from every address together.
 */
export const ALL_ADDRESSES = '*';

/**
 * When logins of this name from this address are paused, or null. The account-wide pause spares addresses this name
 * has logged in from in the last 30 days (their sessions' ip), so distributed guessing cannot lock the official out of
 * their own office. An unknown name has no sessions: it is paused everywhere, as a real name is for an attacker.
 */
export async function pausedUntil(db: Db, name: string, ip: string): Promise<Date | null> {
  const { rows } = await db.execute<{ until: Date | null }>(sql`
    SELECT max(t.blocked_until) AS until FROM login_throttles t
    WHERE t.username = lower(${name}) AND t.blocked_until > now()
      AND (t.ip = ${ip} OR (t.ip = ${ALL_ADDRESSES} AND NOT EXISTS (
        SELECT 1 FROM sessions s JOIN accounts a ON a.id = s.account_id
        WHERE lower(a.username) = lower(${name}) AND s.ip = ${ip} AND s.created_at > now() - interval '30 days')))`);
  const until = rows[0]?.until;
  return until ? new Date(until) : null;
}

/**
 * Counts one failure of `name` from `ip` (or ALL_ADDRESSES). From the threshold on, each failure pauses the key for
 * 1, 2, 4 … minutes, at most maxMinutes; a key without failures for a day starts again from zero. One statement:
 * concurrent failures cannot both read the old count.
 */
export async function recordFailure(db: Db, name: string, ip: string, threshold: number, maxMinutes: number): Promise<{ failures: number; blocked_until: Date | null }> {
  const failures = sql`CASE WHEN t.last_failure_at < now() - interval '1 day' THEN 1 ELSE t.failures + 1 END`;
  const pause = (n: SQL) => sql`CASE WHEN ${n} >= ${threshold}::int
    THEN now() + make_interval(secs => least(${maxMinutes}::int * 60, 60 * power(2, least(${n} - ${threshold}::int, 20)))) END`;
  const { rows } = await db.execute<{ failures: number; blocked_until: Date | null }>(sql`
    INSERT INTO login_throttles AS t (username, ip, failures, blocked_until) VALUES (lower(${name}), ${ip}, 1, ${pause(sql`1`)})
    ON CONFLICT (username, ip) DO UPDATE SET
      failures = ${failures}, blocked_until = ${pause(failures)}, last_failure_at = now()
    RETURNING failures, blocked_until`);
  return rows[0]!;
}

/** A successful login clears its own address's count; the account-wide count fades on its own (a day without failures). */
export async function clearFailures(db: Db, name: string, ip: string): Promise<void> {
  await db.execute(sql`DELETE FROM login_throttles WHERE username = lower(${name}) AND ip = ${ip}`);
}

/** Counts untouched for a day are spent (recordFailure would restart them): deleted with the other retention work. */
export async function purgeStaleThrottles(db: Db): Promise<number> {
  const r = await db.execute(sql`DELETE FROM login_throttles WHERE last_failure_at < now() - interval '1 day'`);
  return r.rowCount ?? 0;
}

export async function insertSession(
  db: Db,
  s: { id: string; accountId: string; csrfToken: string; idleExpiresAt: Date; expiresAt: Date; ip: string; userAgent: string | null },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO sessions (id, account_id, csrf_token, idle_expires_at, expires_at, ip, user_agent)
    VALUES (${s.id}, ${s.accountId}, ${s.csrfToken}, ${s.idleExpiresAt.toISOString()}, ${s.expiresAt.toISOString()}, ${s.ip}, ${s.userAgent})`);
}

export async function revokeSession(db: Db, id: string): Promise<void> {
  await db.execute(sql`UPDATE sessions SET revoked_at = now() WHERE id = ${id} AND revoked_at IS NULL`);
}

export async function revokeAllSessions(db: Db, accountId: string): Promise<number> {
  const r = await db.execute(sql`UPDATE sessions SET revoked_at = now() WHERE account_id = ${accountId} AND revoked_at IS NULL`);
  return r.rowCount ?? 0;
}

/** Disables the enabled accounts of these people; returns their ids and usernames (for the audit). */
export async function disableAccountsOfPeople(db: Db, personIds: string[], reason: string): Promise<{ id: string; username: string }[]> {
  if (personIds.length === 0) return [];
  const { rows } = await db.execute<{ id: string; username: string }>(sql`
    UPDATE accounts SET disabled = true, disabled_at = now(), disabled_reason = ${reason}, updated_at = now()
    WHERE person_id = ANY(${sql.param(personIds)}::uuid[]) AND NOT disabled
    RETURNING id, username`);
  return rows;
}

/** Enabled, and no longer a demo account: its password was just reset to a real one-time password. */
export async function enableAccount(db: Db, id: string): Promise<void> {
  await db.execute(sql`UPDATE accounts SET disabled = false, demo = false, disabled_at = NULL, disabled_reason = NULL, updated_at = now() WHERE id = ${id}`);
}

/** Every login pause of a name, from every address (unlock). */
export async function clearAllFailures(db: Db, name: string): Promise<void> {
  await db.execute(sql`DELETE FROM login_throttles WHERE username = lower(${name})`);
}

export async function insertAdmin(db: Db, username: string, displayName: string, passwordHash: string, orgCode: string): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(sql`
    INSERT INTO accounts (username, display_name, password_hash, must_change_password)
    VALUES (${username}, ${displayName}, ${passwordHash}, true) RETURNING id`);
  const id = rows[0]!.id;
  await db.execute(sql`INSERT INTO account_roles (account_id, role, org_id) SELECT ${id}, 'admin', id FROM orgs WHERE code = ${orgCode}`);
  return id;
}
