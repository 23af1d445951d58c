import { Spin } from 'antd';
import { useEffect } from 'react';
import { createBrowserRouter, Outlet, redirect, useLocation, type LoaderFunctionArgs } from 'react-router';
import type { Me } from '@lianxin/contracts';
import { isApiError } from '../api/api-client.ts';
import { meQuery, queryClient, securingPage } from '../auth/auth-queries.ts';

/**
 * Every route below the shell needs a session; without one, go to /login and come back afterwards. An account that is
 * not secured yet goes to change its one-time password (outside the shell) or to set up the required second factor.
 */
async function requireMe(args: LoaderFunctionArgs): Promise<Me> {
  const me = await signedIn(args);
  const page = securingPage(me);
  if (page && page !== new URL(args.request.url).pathname) throw redirect(page);
  return me;
}

async function signedIn({ request }: LoaderFunctionArgs): Promise<Me> {
  try {
    return await queryClient.ensureQueryData(meQuery);
  } catch (e) {
    if (isApiError(e, 'unauthenticated')) {
      const url = new URL(request.url);
      throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
    }
    throw e;
  }
}

/**
 * What the first paint shows while the first route's code and loader run. Every route is lazy and the shell has a
 * loader, so a data router has nothing to render until they finish: one pathless root route holds this fallback for
 * all of them (without it react-router renders nothing and warns "No HydrateFallback element provided").
 */
function BootFallback() {
  // Padding, not margin: a first child's top margin collapses through #root into <body>, which then sat 30vh down
  // until the page came and jumped back up — a layout shift of the whole page (CLS 0.36 on the member's 今天).
  return <div style={{ paddingTop: '30vh', textAlign: 'center' }}><Spin size="large" /></div>;
}

/**
 * The root of every route: the matched page, and on <html data-shown-path> the address it shows once committed. The
 * browser tests' page audit navigates inside the app and waits for this to change: until the router has loaded the
 * next page (lazy code, loaders) the previous page stays on screen, and was checked in its place.
 */
function RouteRoot() {
  const location = useLocation();
  useEffect(() => {
    document.documentElement.dataset.shownPath = location.pathname + location.search;
  }, [location]);
  return <Outlet />;
}

export const router = createBrowserRouter([{ Component: RouteRoot, HydrateFallback: BootFallback, children: [
  {
    // /login is a plain page outside the app (main.tsx, auth/login-page.ts): going there from inside the app (log
    // out, a session that ended) loads it afresh. The loader never settles: the browser is leaving.
    path: '/login',
    loader: ({ request }) => {
      window.location.assign(request.url);
      return new Promise<never>(() => {});
    },
  },
  {
    // Changing a one-time password comes before the shell (whose pages would all answer 403 until then).
    path: '/account/password',
    loader: signedIn,
    lazy: async () => ({ Component: (await import('../routes/password-change-page.tsx')).PasswordChangePage }),
  },
  {
    // A contact card's QR: public, no session, outside the shell.
    path: '/c/:token',
    lazy: async () => ({ Component: (await import('../routes/public-card-page.tsx')).PublicCardPage }),
  },
  {
    path: '/',
    id: 'shell',
    loader: requireMe,
    shouldRevalidate: () => false,
    lazy: async () => {
      const m = await import('../routes/app-shell.tsx');
      return { Component: m.AppShell, ErrorBoundary: m.ShellError };
    },
    children: [
      // 工作台: each role's own work (features/home registry).
      { index: true, lazy: async () => ({ Component: (await import('../routes/home-page.tsx')).HomePage }) },
      { path: 'orgs', lazy: async () => ({ Component: (await import('../routes/orgs-tree-page.tsx')).OrgsTreePage }) },
      { path: 'orgs/:code', lazy: async () => ({ Component: (await import('../routes/org-page.tsx')).OrgPage }) },
      {
        path: 'orgs/:code/households',
        lazy: async () => ({ Component: (await import('../routes/households-page.tsx')).HouseholdsPage }),
      },
      {
        path: 'orgs/:code/households/import',
        lazy: async () => ({ Component: (await import('../routes/household-import-page.tsx')).HouseholdImportPage }),
      },
      {
        path: 'orgs/:code/import/:kind',
        lazy: async () => ({ Component: (await import('../routes/registry-import-page.tsx')).RegistryImportPage }),
      },
      {
        path: 'orgs/:code/businesses',
        lazy: async () => ({ Component: (await import('../routes/business-list-page.tsx')).BusinessListPage }),
      },
      {
        path: 'orgs/:code/link-map',
        lazy: async () => ({ Component: (await import('../routes/link-map-page.tsx')).LinkMapPage }),
      },
      {
        path: 'orgs/:code/grids',
        lazy: async () => ({ Component: (await import('../routes/grids-page.tsx')).GridsPage }),
      },
      {
        path: 'orgs/:code/coverage',
        lazy: async () => ({ Component: (await import('../routes/coverage-page.tsx')).CoveragePage }),
      },
      { path: 'today', lazy: async () => ({ Component: (await import('../routes/today-page.tsx')).TodayPage }) },
      { path: 'visits/new', lazy: async () => ({ Component: (await import('../routes/visit-new-page.tsx')).VisitNewPage }) },
      { path: 'households/new', lazy: async () => ({ Component: (await import('../routes/household-new-page.tsx')).HouseholdNewPage }) },
      { path: 'households/:id', lazy: async () => ({ Component: (await import('../routes/household-page.tsx')).HouseholdPage }) },
      { path: 'businesses/new', lazy: async () => ({ Component: (await import('../routes/business-new-page.tsx')).BusinessNewPage }) },
      { path: 'businesses/:id', lazy: async () => ({ Component: (await import('../routes/business-page.tsx')).BusinessPage }) },
      { path: 'account', lazy: async () => ({ Component: (await import('../routes/my-account-page.tsx')).MyAccountPage }) },
      { path: 'settings/security', lazy: async () => ({ Component: (await import('../routes/login-security-page.tsx')).LoginSecurityPage }) },
      { path: 'handbook', lazy: async () => ({ Component: (await import('../routes/handbook-page.tsx')).HandbookPage }) },
      { path: 'people/:id/handbook', lazy: async () => ({ Component: (await import('../routes/handbook-page.tsx')).HandbookPage }) },
      { path: 'roster', lazy: async () => ({ Component: (await import('../routes/roster-page.tsx')).RosterPage }) },
      { path: 'audit', lazy: async () => ({ Component: (await import('../routes/audit-page.tsx')).AuditPage }) },
      { path: 'accounts', lazy: async () => ({ Component: (await import('../routes/accounts-page.tsx')).AccountsPage }) },
      { path: 'search', lazy: async () => ({ Component: (await import('../routes/search-page.tsx')).SearchPage }) },
      { path: 'settings', lazy: async () => ({ Component: (await import('../routes/settings-page.tsx')).SettingsPage }) },
      { path: 'settings/target-load', lazy: async () => ({ Component: (await import('../routes/settings-target-load-page.tsx')).SettingsTargetLoadPage }) },
      { path: 'settings/tags', lazy: async () => ({ Component: (await import('../routes/settings-tags-page.tsx')).SettingsTagsPage }) },
      { path: 'settings/retention', lazy: async () => ({ Component: (await import('../routes/settings-retention-page.tsx')).SettingsRetentionPage }) },
      { path: 'settings/visit-rules', lazy: async () => ({ Component: (await import('../routes/visit-rules-page.tsx')).VisitRulesPage }) },
      { path: 'campaigns', lazy: async () => ({ Component: (await import('../routes/campaigns-page.tsx')).CampaignsPage }) },
      { path: 'campaigns/:id', lazy: async () => ({ Component: (await import('../routes/campaign-page.tsx')).CampaignPage }) },
      { path: 'visit-completion', lazy: async () => ({ Component: (await import('../routes/visit-completion-page.tsx')).VisitCompletionPage }) },
      { path: 'system', lazy: async () => ({ Component: (await import('../routes/system-page.tsx')).SystemPage }) },
      { path: '*', lazy: async () => ({ Component: (await import('../routes/not-found-page.tsx')).NotFoundPage }) },
    ],
  },
] }]);
