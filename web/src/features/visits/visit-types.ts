import type { TodayItem, Visit } from '@lianxin/contracts';

// The visit shapes the web uses, as types only from the contracts (zod stays out of the bundle).
export type {
  DueRule, DueStatus, ItemCategory, RaisedItemWithVisit, TodayAwayResident, TodayItem, TodayView, VisitPatch,
} from '@lianxin/contracts';
export type TodayOpenItem = TodayItem['openItems']['items'][number];

/** A visit as the visits routes answer it (its photos carry their number: GET …/photos/:seq). */
export type VisitView = Visit;
