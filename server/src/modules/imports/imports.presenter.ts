import type { ImportJob } from '@lianxin/contracts';
import type { JobRow } from './imports.repo.ts';

export function presentJob(j: JobRow): ImportJob {
  return {
    id: j.id, kind: j.kind, status: j.status, fileName: j.file_name,
    counts: { rows: j.counts.rows ?? 0, validated: j.counts.validated ?? 0, errors: j.counts.errors ?? 0, written: j.counts.written ?? 0, households: j.counts.households ?? 0, residents: j.counts.residents ?? 0 },
    createdAt: j.created_at, startedAt: j.started_at, finishedAt: j.finished_at,
  };
}
