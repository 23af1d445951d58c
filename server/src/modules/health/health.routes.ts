import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { healthz, readyz } from '@lianxin/contracts';
import type { Database } from '../../db/client.ts';
import { appliedMigration } from '../../db/migrate.ts';

export async function healthRoutes(app: FastifyInstance, opts: { database: Database }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // Liveness: the process answers; touches nothing else (the benchmark's baseline).
  r.get('/healthz', { schema: { tags: ['health'], summary: '存活检查（进程在应答）', security: [], response: { 200: healthz } } }, async () => ({ status: 'ok' as const }));

  r.get('/readyz', { schema: { tags: ['health'], summary: '就绪检查（数据库可用且已迁移）', security: [], response: { 200: readyz, 503: readyz } } }, async (_req, reply) => {
    const engine = opts.database.engine;
    try {
      const { rows } = await opts.database.pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      const migration = await appliedMigration(opts.database);
      const body = { status: migration ? ('ready' as const) : ('not_ready' as const), database: { engine, version: rows[0]!.v, migration } };
      return reply.code(migration ? 200 : 503).send(body);
    } catch {
      return reply.code(503).send({ status: 'not_ready' as const, database: { engine, version: 'unavailable', migration: null } });
    }
  });
}
