import type { Db } from '../../db/client.ts';

/**
 * What other modules learn of a visit, inside the transaction that writes it: campaigns and rule completion keep their
 * rollups right without the visits module knowing them (they register in their routes plugin; no import cycle).
 * `before` is set for a correction (the visit as it was), null for a new visit.
 */
export interface VisitFacts {
  id: string;
  personId: string;
  householdId: string | null;
  businessId: string | null;
  /** The constituent's village at the time of the visit. */
  orgId: string;
  visitedAt: Date;
  /** Asia/Shanghai day of visitedAt. */
  visitedOn: string;
  channel: string;
  residentIds: string[];
}
export interface VisitChange { after: VisitFacts; before: VisitFacts | null }
export type VisitListener = (tx: Db, change: VisitChange) => Promise<void>;

const listeners = new Set<VisitListener>();

/** Registers a listener for every recorded or corrected visit (idempotent; returns the way to remove it). */
export function onVisitChange(listener: VisitListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called by the visits module inside the write's transaction, after the visit's rows and its own rollups are written. */
export async function emitVisitChange(tx: Db, change: VisitChange): Promise<void> {
  for (const l of listeners) await l(tx, change);
}
