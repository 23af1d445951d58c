import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';

const dialect = new PgDialect();

/**
 * Runs `query` as a named prepared statement (the name is a hash of its text), for the few statements on a hot path
 * whose planning costs more than their execution — 今天's due list took ~7 ms to plan and ~3 ms to run. node-postgres
 * prepares a named statement once per connection and then only binds and executes it, and PostgreSQL may settle on a
 * generic plan after five executions (plan_cache_mode auto), planning no more.
 *
 * Only for queries whose text does not depend on their values (pass lists as one array parameter, never spliced in):
 * every distinct text is another statement kept on every pooled connection. Works inside a transaction too.
 */
export async function executePrepared<T>(db: Pick<Db, 'execute'>, query: SQL): Promise<{ rows: T[] }> {
  const q = dialect.sqlToQuery(query);
  const name = `lx_${createHash('sha1').update(q.sql).digest('base64url').slice(0, 20)}`;
  const session = (db as unknown as Pick<Db, '_'>)._.session;
  return (await session.prepareQuery(q, undefined, name, false).execute()) as { rows: T[] };
}
