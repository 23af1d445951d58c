import type { RaisedItem, VisitChannel, VisitInput } from '@lianxin/contracts';

/**
 * Shapes of endpoints whose contracts were being written beside this code (GET /api/v1/today in
 * contracts/src/visit-rules.ts, item categories and sync results in the visits routes). Mirrored here as types only;
 * when the contract lands, these become `import type` re-exports of it.
 */
export type DueStatus = 'overdue' | 'due' | 'done';
export type ConstituentKind = 'household' | 'enterprise' | 'shop';

export interface TodayAwayResident {
  id: string;
  name: string;
  /** The last visit this resident took part in through phone/WeChat/video; null = never reached. */
  lastReachedAt: string | null;
}

export interface TodayConstituent {
  kind: ConstituentKind;
  householdId: string | null;
  businessId: string | null;
  /** 张三户 / the business's name. */
  name: string;
  address: string;
  tags: string[];
  /** Carries a vulnerable tag (weekly visits). */
  vulnerable: boolean;
  status: DueStatus;
  /** The effective rule: visits needed in the current period. */
  period: 'week' | 'month';
  minVisits: number;
  visitsThisPeriod: number;
  lastVisit: { visitedAt: string; channel: VisitChannel } | null;
  openItems: RaisedItem[];
  awayResidents: TodayAwayResident[];
}

export interface Today {
  person: { id: string; name: string };
  /** Due and overdue first (vulnerable first among them), then those done this period. */
  constituents: TodayConstituent[];
  counts: { overdue: number; due: number; done: number };
  asOf: string;
}

export interface ItemCategory {
  code: string;
  name: string;
}

/** What the phone has before saving: the JSON visit and the photos, sent after it (PUT …/photos/:seq). */
export type VisitDraft = VisitInput & { photos: Blob[] };

/** A correction (PATCH /api/v1/visits/:id): what the member may change; the constituent and person stay. */
export type VisitCorrection = Partial<Pick<VisitInput, 'visitedAt' | 'channel' | 'residentIds' | 'notes'>>;
