// Import rules of docs/ARCHITECTURE.md ("Import rules"), checked by `npm run lint` (part of `npm test`).
// Each rule's `comment` is what a failing build prints: say the rule and the way out.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'repo-has-one-owner',
      severity: 'error',
      comment:
        "A module's repository is its own. Call the owning module's service instead (e.g. links.service refreshCoverage, "
        + 'households.service listTags); add a service function there if it lacks one.',
      from: { path: '^server/src/modules/([^/]+)/' },
      to: { path: '^server/src/modules/[^/]+/.+\\.repo\\.ts$', pathNot: '^server/src/modules/$1/' },
    },
    {
      name: 'repo-has-one-owner-outside-modules',
      severity: 'error',
      comment:
        'Code outside server/src/modules (app, main, seed, plugins, lib, server/test) reaches a repository only through '
        + "its module's service.",
      from: { path: '^server/', pathNot: '^server/src/modules/' },
      to: { path: '^server/src/modules/[^/]+/.+\\.repo\\.ts$' },
    },
    {
      name: 'module-through-service',
      severity: 'error',
      comment:
        "Another module is used through its service (<m>.service.ts) or the shared scope helpers (auth/scope.ts) - never "
        + 'its presenter, policy, export or helpers. Move a non-domain helper to server/src/lib/, or expose what is needed '
        + "from the owner's service.",
      from: { path: '^server/src/modules/([^/]+)/', pathNot: '\\.test\\.ts$' },
      to: {
        path: '^server/src/modules/',
        pathNot: [
          '^server/src/modules/$1/',
          '^server/src/modules/[^/]+/[^/]+\\.service\\.ts$',
          '^server/src/modules/auth/scope\\.ts$',
          '\\.repo\\.ts$', // reported by repo-has-one-owner
        ],
      },
    },
    {
      name: 'outside-modules-through-service',
      severity: 'error',
      comment:
        'app, main, seed and plugins use a module through its service, its routes plugin (app.ts registers them) or '
        + 'auth/scope.ts.',
      from: { path: '^server/src/', pathNot: ['^server/src/modules/', '^server/src/lib/', '\\.test\\.ts$'] },
      to: {
        path: '^server/src/modules/',
        pathNot: ['\\.service\\.ts$', '\\.routes\\.ts$', '^server/src/modules/auth/scope\\.ts$', '\\.repo\\.ts$'],
      },
    },
    {
      name: 'lib-is-a-leaf',
      severity: 'error',
      comment:
        'server/src/lib/ holds non-domain helpers: it may use errors.ts, config.ts, db/ and packages, never modules, '
        + 'plugins, seed or the app. Pass what a helper needs as an argument instead.',
      from: { path: '^server/src/lib/' },
      to: { path: '^server/src/(modules|plugins|seed)/|^server/src/(app|main)\\.ts$' },
    },
    {
      name: 'web-contracts-types-only',
      severity: 'error',
      comment:
        "The web imports only types from contracts (`import type`), so zod stays out of the bundle; copy a value list "
        + "typed against the contract instead (see web/src/features/households/household-labels.ts).",
      from: { path: '^web/src/' },
      to: { path: '^contracts/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'web-no-zod',
      severity: 'error',
      comment: 'zod stays out of the web bundle (web/scripts/check-bundle.mjs budgets); validate with antd form rules.',
      from: { path: '^web/src/' },
      to: { path: '(^|/)node_modules/zod/' },
    },
    {
      name: 'web-routes-lazy',
      severity: 'error',
      comment: 'Every route is lazy: only `await import()` (in app/router.tsx) loads a page from web/src/routes/.',
      from: { path: '^web/src/', pathNot: '^web/src/routes/' },
      to: { path: '^web/src/routes/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'workspaces-apart',
      severity: 'error',
      comment:
        'contracts stands alone; server and web never import each other; e2e drives the server as a process and the '
        + 'web through the browser (it may import contracts and server/test helpers only).',
      from: { path: '^(contracts|server|web)/' },
      to: { path: '^(server|web|e2e)/', pathNot: '^$1/' },
    },
    {
      name: 'e2e-not-app-code',
      severity: 'error',
      comment: 'e2e tests use the product through HTTP and the browser, never its modules.',
      from: { path: '^e2e/' },
      to: { path: '^(server/src|web/src)/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order matter; move the shared piece down (lib/, or the owning service).',
      from: { path: '^(server|web|contracts|e2e)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'This import does not resolve: a typo, a moved file, or a package missing from package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|output)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
