import type { TodayItem, Visit, VisitInput } from '@lianxin/contracts';

// The visit shapes the web uses, as types only from the contracts (zod stays out of the bundle).
export type {
  DueRule, DueStatus, ItemCategory, RaisedItemWithVisit, TodayAwayResident, TodayItem, TodayView, VisitPatch,
} from '@lianxin/contracts';
export type TodayOpenItem = TodayItem['openItems']['items'][number];

/** A visit as the visits routes answer it (its photos carry their number: GET …/photos/:seq). */
export type VisitView = Visit;

/** What the phone has before saving: the JSON visit and the photos, sent after it (PUT …/photos/:seq). */
export type VisitDraft = VisitInput & { photos: Blob[] };
