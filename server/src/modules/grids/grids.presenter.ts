import type { Grid } from '@lianxin/contracts';
import type { Counts, GridRow } from './grids.repo.ts';

const none: Counts = { households: 0, businesses: 0, people: 0 };

export function presentGrid(row: GridRow, counts: Map<string, Counts>): Grid {
  return {
    code: row.code,
    name: row.short_name,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    mergedIntoCode: row.merged_into_code,
    leader: row.leader_id ? { id: row.leader_id, name: row.leader_name! } : null,
    counts: counts.get(row.id) ?? none,
  };
}

export function unassigned(counts: Map<string, Counts>): Counts {
  return counts.get('') ?? none;
}
