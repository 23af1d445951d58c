import path from 'node:path';
import type { Config } from '../config.ts';
import { openPool, type Database } from './client.ts';
import { startEmbedded, type EmbeddedServer } from './embedded.ts';

/**
 * DATABASE_URL → that server; otherwise a private embedded PostgreSQL in DATA_DIR/postgres — started here, or, when a
 * live LianXin process already runs it (`npm run backup` beside the server), attached to and left running on close.
 */
export async function openDatabase(config: Config, log: (m: string) => void): Promise<Database & { embedded: EmbeddedServer | null }> {
  if (config.databaseUrl) {
    return { ...openPool(config.databaseUrl, 'url'), embedded: null };
  }
  const embedded = await startEmbedded({ dir: path.join(config.dataDir, 'postgres'), log });
  const database = openPool(embedded.url, 'embedded');
  return {
    ...database,
    embedded,
    async close() {
      await database.close();
      await embedded.stop();
    },
  };
}
