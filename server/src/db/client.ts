import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';

// DATE columns come back as 'YYYY-MM-DD' strings, not JS Dates shifted by the server's time zone.
pg.types.setTypeParser(1082, (v) => v);
// COUNT(*) and other int8 results fit easily in a double at our scale (≤ a few million rows per table).
pg.types.setTypeParser(20, (v) => Number(v));

export type Db = NodePgDatabase<typeof schema>;

export interface Database {
  pool: pg.Pool;
  db: Db;
  engine: 'embedded' | 'url';
  close(): Promise<void>;
}

export function openPool(url: string, engine: 'embedded' | 'url', max = 10): Database {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'lianxin' });
  // An idle client losing its connection (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  return { pool, db, engine, close: () => pool.end() };
}
