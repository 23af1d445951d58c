import pg from 'pg';

/**
 * Every authenticated request used to pay one database round trip (session ⋈ account ⋈ roles ⋈ policy) before its own
 * work: for a small read that was most of its cost. Resolved sessions are kept here for a few seconds, and dropped
 * (all of them — auth changes are rare) whenever anything they depend on changes:
 *  - in this process, synchronously, by a write to the routes that change sessions, accounts, roles, people or orgs
 *    (plugins/auth.ts), before its response is sent — so "log out, then try the old cookie" is refused at once;
 *  - in every process, by PostgreSQL NOTIFY `lianxin_auth` from triggers on sessions, accounts, account_roles, settings
 *    and orgs (migration 0020) — another server copy, `npm run create-admin`, a restore;
 *  - and, should a notification be missed (the listening connection dropped), after TTL_MS at the latest.
 */
export const SESSION_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 20_000;
export const AUTH_CHANNEL = 'lianxin_auth';

export class SessionCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();
  private listener: pg.Client | null = null;
  private closed = false;

  constructor(private readonly ttlMs = SESSION_CACHE_TTL_MS) {}

  get(key: string): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T): void {
    // Bounded: a flood of distinct sessions (or a scan with forged cookies — those never get here: only valid sessions
    // are cached) cannot grow memory without limit.
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
  }

  clear(): void {
    this.entries.clear();
  }

  /**
   * Listens on its own connection (a pooled one would be handed to queries). A lost connection clears the cache and
   * reconnects after a second; until then the TTL bounds staleness.
   */
  async listen(options: pg.ClientConfig): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ ...options, application_name: 'lianxin-auth-listener' });
    client.on('notification', () => this.clear());
    client.on('error', () => {
      // Only a connection that was listening is replaced here; a failed connect is retried below.
      if (this.listener !== client) return;
      this.clear();
      this.listener = null;
      client.end().catch(() => {});
      this.retry(options);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${AUTH_CHANNEL}`);
    } catch {
      // The database is not reachable yet (or, for `lint:openapi`, never will be): the app still starts, the TTL bounds
      // staleness, and the listener keeps retrying until the server is closed.
      client.end().catch(() => {});
      this.retry(options);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
  }

  /** Listens again in a second, unless the server is closing (the timer never holds the process open). */
  private retry(options: pg.ClientConfig): void {
    if (!this.closed) setTimeout(() => void this.listen(options), 1_000).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.clear();
    const l = this.listener;
    this.listener = null;
    if (l) await l.end().catch(() => {});
  }
}
