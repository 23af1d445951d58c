import type { FastifyRequest } from 'fastify';
import { auditEvents } from '../db/schema/index.ts';
import type { Db } from '../db/client.ts';

export interface AuditEntry {
  action: string;
  entityType?: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
  actor?: { id: string; username: string } | null;
}

type Tx = Pick<Db, 'insert'>;

/** Append one audit event in the caller's transaction, so the event and the change commit (or fail) together. */
export async function appendAudit(tx: Tx, req: FastifyRequest | null, e: AuditEntry): Promise<void> {
  const actor = e.actor === undefined ? (req?.auth?.account ?? null) : e.actor;
  await tx.insert(auditEvents).values({
    action: e.action,
    entityType: e.entityType ?? null,
    entityId: e.entityId ?? null,
    before: e.before ?? null,
    after: e.after ?? null,
    actorAccountId: actor?.id ?? null,
    actorUsername: actor?.username ?? null,
    ip: req?.ip ?? null,
    requestId: req?.id ?? null,
  });
}
