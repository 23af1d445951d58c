import type { CoverageRow, Link } from '@lianxin/contracts';
import type { TargetLoad, CoverageSumRow } from './coverage.repo.ts';
import type { LinkRow } from './links.repo.ts';

export function presentLink(r: LinkRow): Link {
  return {
    id: r.id, personId: r.person_id, personName: r.person_name, personKind: r.person_kind,
    householdId: r.household_id, businessId: r.business_id, constituentName: r.constituent_name,
    constituentKind: r.constituent_kind, orgCode: r.org_code, role: r.role,
    startsOn: r.starts_on, endsOn: r.ends_on, endReason: r.end_reason,
  };
}

function kind(total: number, linked: number) {
  // Coverage of an empty set is complete: nothing is left out.
  return { total, linked, unlinked: total - linked, rate: total ? Math.round((linked / total) * 10000) / 10000 : 1 };
}

export function presentCoverage(r: CoverageSumRow, target: TargetLoad): CoverageRow {
  return {
    code: r.code, name: r.name, level: r.level as CoverageRow['level'],
    households: kind(r.households, r.households_linked),
    enterprises: kind(r.enterprises, r.enterprises_linked),
    shops: kind(r.shops, r.shops_linked),
    teams: kind(r.teams, r.teams_linked),
    all: kind(r.households + r.enterprises + r.shops + r.teams, r.households_linked + r.enterprises_linked + r.shops_linked + r.teams_linked),
    members: { total: r.members, under: r.members_under, within: r.members_within, over: r.members_over, target },
  };
}

export function loadStatus(load: number, t: TargetLoad): 'under' | 'within' | 'over' {
  return load < t.min ? 'under' : load > t.max ? 'over' : 'within';
}
