import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

export type AccountRow = {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  disabled: boolean;
  demo: boolean;
};

export async function findAccountByUsername(db: Db, username: string): Promise<AccountRow | null> {
  const { rows } = await db.execute<AccountRow>(sql`
    SELECT id, username, display_name, password_hash, disabled, demo
    FROM accounts WHERE lower(username) = lower(${username})`);
  return rows[0] ?? null;
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
