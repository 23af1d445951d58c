import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

export type AccountRow = {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  failed_logins: number;
  locked_until: Date | null;
  disabled: boolean;
  demo: boolean;
};

export async function findAccountByUsername(db: Db, username: string): Promise<AccountRow | null> {
  const { rows } = await db.execute<AccountRow>(sql`
    SELECT id, username, display_name, password_hash, failed_logins, locked_until, disabled, demo
    FROM accounts WHERE lower(username) = lower(${username})`);
  return rows[0] ?? null;
}

export async function recordFailure(db: Db, id: string, threshold: number, lockMinutes: number): Promise<{ failed_logins: number; locked_until: Date | null }> {
  // One statement: concurrent failures cannot both read the old count.
  const { rows } = await db.execute<{ failed_logins: number; locked_until: Date | null }>(sql`
    UPDATE accounts SET
      failed_logins = failed_logins + 1,
      locked_until = CASE WHEN failed_logins + 1 >= ${threshold}
                          THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END
    WHERE id = ${id}
    RETURNING failed_logins, locked_until`);
  return rows[0]!;
}

export async function resetFailures(db: Db, id: string): Promise<void> {
  await db.execute(sql`UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = ${id}`);
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
