import type pg from 'pg';
import type { Config } from '../config.ts';
import { seedDemoAccounts } from './accounts.ts';
import { loadOrgTree } from './org-tree.ts';
import { drizzle } from 'drizzle-orm/node-postgres';
import { refreshCoverage } from '../modules/links/links.service.ts';

/** The real tree plus, outside production, one demo account per role. Idempotent. */
export async function seedBase(pool: pg.Pool, config: Pick<Config, 'demoPassword'> & Partial<Pick<Config, 'keyring'>>): Promise<{ orgs: number }> {
  const client = await pool.connect();
  try {
    const orgs = await loadOrgTree(client);
    if (config.demoPassword) await seedDemoAccounts(client, config.demoPassword, config.keyring);
    // Coverage starts out true (members counted even where no household is registered yet); writes keep it so.
    if (orgs > 0) {
      const db = drizzle(client);
      await refreshCoverage(db, null);
    }
    // Fresh tables have no statistics; without them the planner guesses badly for the first queries.
    if (orgs > 0) await client.query('ANALYZE orgs');
    return { orgs };
  } finally {
    client.release();
  }
}
