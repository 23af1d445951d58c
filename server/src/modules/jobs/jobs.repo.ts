import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { jobRuns } from '../../db/schema/index.ts';

export type JobRunRow = typeof jobRuns.$inferSelect;

export async function runStarted(db: Db, name: string, jobId: string): Promise<void> {
  const now = new Date();
  await db.insert(jobRuns)
    .values({ name, lastJobId: jobId, lastStatus: 'running', lastStartedAt: now, lastFinishedAt: null, detail: null })
    .onConflictDoUpdate({
      target: jobRuns.name,
      set: { lastJobId: jobId, lastStatus: 'running', lastStartedAt: now, lastFinishedAt: null, detail: null },
    });
}

export async function runProgress(db: Db, name: string, jobId: string, detail: unknown): Promise<void> {
  await db.update(jobRuns).set({ detail }).where(sql`${jobRuns.name} = ${name} AND ${jobRuns.lastJobId} = ${jobId}`);
}

export async function runCompleted(db: Db, name: string, jobId: string, detail: unknown): Promise<void> {
  await db.update(jobRuns).set({ lastStatus: 'completed', lastFinishedAt: new Date(), detail })
    .where(sql`${jobRuns.name} = ${name} AND ${jobRuns.lastJobId} = ${jobId}`);
}

export async function runFailed(db: Db, name: string, jobId: string, error: string): Promise<void> {
  const now = new Date();
  await db.update(jobRuns).set({ lastStatus: 'failed', lastFinishedAt: now, lastFailedAt: now, lastError: error })
    .where(sql`${jobRuns.name} = ${name} AND ${jobRuns.lastJobId} = ${jobId}`);
}

export async function allRuns(db: Db): Promise<JobRunRow[]> {
  return db.select().from(jobRuns);
}

export async function runOf(db: Db, name: string): Promise<JobRunRow | null> {
  const [row] = await db.select().from(jobRuns).where(eq(jobRuns.name, name));
  return row ?? null;
}
