import { businessesKind } from './businesses.ts';
import { linksKind } from './links.ts';
import { membersKind } from './members.ts';
import type { KindSpec, RegistryKind } from './run.ts';

/** The registry import kinds that are wired (routes, templates, jobs). */
export const registryKinds: Partial<Record<RegistryKind, KindSpec<unknown>>> = {
  links: linksKind as KindSpec<unknown>,
  businesses: businessesKind as KindSpec<unknown>,
  members: membersKind as KindSpec<unknown>,
};
