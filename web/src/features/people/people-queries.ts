import { infiniteQueryOptions } from '@tanstack/react-query';
import type {
  AccountStatus, HelperKind, Person, PersonCreate, PersonKind, PersonLeaveBody, PersonList, PersonSort, PersonTransferBody, PersonUpdate,
} from '@lianxin/contracts';
import { api } from '../../api/api-client.ts';
import { queryClient } from '../../auth/auth-queries.ts';

/** The roster's filters, as they stand in the page's URL and the API's query. */
export interface PeopleFilters {
  kind: PersonKind;
  helperKind?: HelperKind;
  q?: string;
  mobile?: 'true';
  dual?: 'true';
  grid?: string;
  account?: AccountStatus;
  load?: 'under' | 'within' | 'over';
  left?: 'true';
  sort?: PersonSort;
  dir?: 'asc' | 'desc';
}

function filterParams(org: string, f: PeopleFilters): URLSearchParams {
  const qs = new URLSearchParams({ org });
  for (const [k, v] of Object.entries(f)) if (v) qs.set(k, v);
  return qs;
}

export const peopleQuery = (org: string, f: PeopleFilters) =>
  infiniteQueryOptions({
    queryKey: ['people', org, filterParams(org, f).toString()],
    queryFn: ({ pageParam, signal }) => {
      const qs = filterParams(org, f);
      qs.set('limit', '50');
      if (pageParam) qs.set('cursor', pageParam);
      return api<PersonList>(`/api/v1/people?${qs}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

/** The masked export of what the list shows (same filters); the server audits it. */
export const peopleExportUrl = (org: string, f: PeopleFilters) => `/api/v1/people/export?${filterParams(org, f)}`;

/** Every write answers with the person: the roster refetches, and so do coverage and the member pickers (loads, counts). */
function settle<T extends { data: Person }>(r: T): T['data'] {
  void queryClient.invalidateQueries({ queryKey: ['people'] });
  for (const k of ['coverage', 'coverage-members', 'links']) void queryClient.invalidateQueries({ queryKey: [k] });
  return r.data;
}

export const createPerson = (body: PersonCreate) => api<{ data: Person }>('/api/v1/people', { method: 'POST', body }).then(settle);
export const updatePerson = (id: string, body: PersonUpdate) =>
  api<{ data: Person }>(`/api/v1/people/${encodeURIComponent(id)}`, { method: 'PATCH', body }).then(settle);
export const transferPerson = (id: string, body: PersonTransferBody) =>
  api<{ data: Person }>(`/api/v1/people/${encodeURIComponent(id)}/transfer`, { method: 'POST', body }).then(settle);
export const leavePerson = (id: string, body: PersonLeaveBody) =>
  api<{ data: Person & { linksEnded: number; accountsDisabled: number } }>(`/api/v1/people/${encodeURIComponent(id)}/leave`, { method: 'POST', body }).then(settle);

/** The full value is returned to the caller only: never put it in the query cache. */
export const revealPersonPhone = (id: string, reason: string) =>
  api<{ data: { field: 'phone'; value: string | null } }>(`/api/v1/people/${encodeURIComponent(id)}/reveal`, { method: 'POST', body: { reason } })
    .then((r) => r.data.value);
