import type { Visit, VisitChannel, VisitInput, itemUrgencies } from '@lianxin/contracts';

/*
 * Mirrors, as types only, of contracts written beside this code and not yet merged into this branch:
 * contracts/src/visit-rules.ts (GET /api/v1/today: todayView) and the visits routes' additions to
 * contracts/src/visits.ts (visitPatch, raisedItemWithVisit, itemCategory). At merge each becomes an `import type`
 * re-export of the contract's own type (same names), and this file shrinks to VisitDraft.
 */
export type DueStatus = 'overdue' | 'due' | 'done';

export interface DueRule {
  period: 'week' | 'month';
  minVisits: number;
  channels: VisitChannel[] | null;
  periodStart: string;
  periodEnd: string;
}

export interface TodayAwayResident {
  id: string;
  name: string;
  awayScope: string;
  awayPlace: string | null;
  /** Last time the resident took part in a visit through phone, WeChat or video; null = never reached. */
  lastReachedAt: string | null;
  lastReachedChannel: VisitChannel | null;
  rule: DueRule | null;
  visitsThisPeriod: number;
  status: DueStatus | null;
}

export interface TodayOpenItem {
  id: string;
  category: string;
  categoryName: string;
  description: string;
  urgency: (typeof itemUrgencies)[number];
  createdAt: string;
}

export interface TodayItem {
  householdId: string | null;
  businessId: string | null;
  /** household | enterprise | shop | team */
  kind: string;
  name: string;
  address: string;
  orgCode: string;
  orgName: string;
  linkRole: 'primary' | 'helper';
  vulnerable: boolean;
  tags: string[];
  /** null: no rule applies (a team, or a rule of 0 visits). */
  rule: DueRule | null;
  visitsThisPeriod: number;
  status: DueStatus | null;
  lastVisit: { at: string; channel: VisitChannel; personName: string } | null;
  openItems: { count: number; items: TodayOpenItem[] };
  awayResidents: TodayAwayResident[];
}

export interface TodayView {
  person: { id: string; name: string; orgCode: string; orgName: string };
  day: string;
  /** Overdue first, then due, then done; vulnerable households first within each. */
  items: TodayItem[];
  counts: { overdue: number; due: number; done: number; total: number };
  away: { total: number; reached: number };
  asOf: string;
}

export interface ItemCategory {
  code: string;
  name: string;
  /** Retired categories stay on old items but are not offered for new ones. */
  active: boolean;
}

export interface RaisedItemWithVisit {
  id: string;
  visitId: string;
  category: string;
  categoryName: string;
  description: string;
  urgency: (typeof itemUrgencies)[number];
  status: 'open' | 'converted' | 'closed';
  createdAt: string;
  householdId: string | null;
  businessId: string | null;
  visitedOn: string;
  personName: string;
}

/** A visit as the visits routes answer it: its photos carry their number (GET …/photos/:seq). */
export type VisitView = Omit<Visit, 'photos'> & { photos: { id: string; seq: number; width: number; height: number }[] };

/** PATCH /api/v1/visits/:id (contracts visitPatch): what a correction may change. */
export type VisitPatch = Partial<Pick<VisitInput, 'visitedAt' | 'channel' | 'residentIds' | 'notes' | 'items'>>;

/** What the phone has before saving: the JSON visit and the photos, sent after it (PUT …/photos/:seq). */
export type VisitDraft = VisitInput & { photos: Blob[] };
