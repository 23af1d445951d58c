import { queryOptions } from '@tanstack/react-query';
import type { LinkMap, PublicCard } from '@lianxin/contracts';
import { api, postForFile, saveFile } from '../../api/api-client.ts';

const gridQuery = (grid?: string) => (grid ? `?${new URLSearchParams({ grid })}` : '');
export const linkMapSvgUrl = (code: string, grid?: string) => `/api/v1/orgs/${encodeURIComponent(code)}/link-map.svg${gridQuery(grid)}`;
export const linkMapPdfUrl = (code: string, grid?: string) => `/api/v1/orgs/${encodeURIComponent(code)}/link-map.pdf${gridQuery(grid)}`;

/** The map's content as data (the same the sheet is drawn from): phones show it as a list per member. */
export const linkMapQuery = (code: string, grid?: string) =>
  queryOptions({
    queryKey: ['link-map', code, grid ?? ''],
    queryFn: ({ signal }) => api<{ data: LinkMap }>(`/api/v1/orgs/${encodeURIComponent(code)}/link-map${gridQuery(grid)}`, { signal }).then((r) => r.data),
  });

/** Prints (and so reissues) contact cards: none named → every linked constituent of the village. */
export async function printContactCards(code: string, body: { households?: string[]; businesses?: string[] }, fallbackName: string) {
  const { blob, filename } = await postForFile(`/api/v1/orgs/${encodeURIComponent(code)}/contact-cards`, body);
  saveFile(blob, filename ?? fallbackName);
}

export const publicCardQuery = (token: string) =>
  queryOptions({
    queryKey: ['public-card', token],
    queryFn: () => api<{ data: PublicCard }>(`/api/v1/public/cards/${encodeURIComponent(token)}`).then((r) => r.data),
    retry: false,
  });
