/**
 * Layer rules of the app; ARCHITECTURE.md explains them. `npm run lint:deps` checks them in CI
 * (it is part of `npm test`), and test/unit/architecture.test.ts proves a violation fails.
 *
 * Layers, outside in:  slack/ · cli/ · scheduler/  →  domain/  →  storage/
 * Leaves any layer may import: errors.ts, logger.ts, config.ts, shared/ (pure rules and limits used
 * by more than one layer), charts/ (pure chart configs from domain report types), i18n/ (the message
 * catalog and the locale formatting).
 */


const prisma = ['^src/generated/', '^node_modules/@prisma/', '^node_modules/\\.prisma/', '^@prisma/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-not-to-adapters',
      comment: 'domain/ is the model and use cases; Slack, the CLI and the scheduler call it, never the reverse.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: ['^src/slack/', '^src/cli/', '^src/scheduler/', '^src/crm/', '^src/app\\.ts$', '^src/main\\.ts$', '^@slack/', '^node_modules/@slack/'] },
    },
    {
      name: 'storage-not-to-upper-layers',
      comment: 'storage/ returns rows and aggregates; the rules that interpret them live in domain/.',
      severity: 'error',
      from: { path: '^src/storage/' },
      to: { path: ['^src/domain/', '^src/slack/', '^src/cli/', '^src/scheduler/', '^src/crm/', '^src/charts/', '^src/app\\.ts$', '^src/main\\.ts$'] },
    },
    {
      name: 'leaves-stay-leaves',
      comment: 'errors, logger, config, shared, charts and i18n are leaves: they import no layer (charts may read domain types).',
      severity: 'error',
      from: { path: ['^src/errors\\.ts$', '^src/logger\\.ts$', '^src/config\\.ts$', '^src/shared/', '^src/charts/', '^src/i18n/'] },
      to: { path: ['^src/slack/', '^src/cli/', '^src/scheduler/', '^src/crm/', '^src/storage/', '^src/app\\.ts$', '^src/main\\.ts$'] },
    },
    {
      name: 'leaf-modules-import-no-domain',
      comment:
        'errors, logger, config and shared/ are below every layer. One exception: config checks the ' +
        'reporting currency against the pure currency table in domain/money.ts.',
      severity: 'error',
      from: { path: ['^src/errors\\.ts$', '^src/logger\\.ts$', '^src/config\\.ts$', '^src/shared/'] },
      to: { path: ['^src/domain/', '^src/charts/'], pathNot: ['^src/domain/money\\.ts$'] },
    },
    {
      name: 'i18n-reads-only-money-and-periods',
      comment:
        'i18n/ (catalog, locale formatting) is below every layer that shows text. It may read the pure ' +
        'currency table and amounts of domain/money.ts and the period type of domain/periods.ts, nothing else of domain/, nor charts/.',
      severity: 'error',
      from: { path: '^src/i18n/' },
      to: { path: ['^src/domain/', '^src/charts/'], pathNot: ['^src/domain/money\\.ts$', '^src/domain/periods\\.ts$'] },
    },
    {
      name: 'only-storage-touches-prisma',
      comment:
        'Only storage/ imports the generated Prisma clients or @prisma/* (row types: storage/models.ts). ' +
        'tools/check-db-callers.mjs also fails on a Prisma call or raw SQL through the Db handle outside storage/ (no exceptions).',
      severity: 'error',
      from: { pathNot: ['^src/storage/'] },
      to: { path: prisma },
    },
    {
      name: 'adapters-reach-sql-through-domain',
      comment: 'Slack, the CLI and the scheduler call domain use cases; SQL queries are storage internals.',
      severity: 'error',
      from: { path: ['^src/slack/', '^src/cli/', '^src/scheduler/', '^src/crm/'] },
      to: { path: ['^src/storage/queries/', '^src/storage/bulk-insert\\.ts$'] },
    },
    {
      name: 'cli-and-scheduler-use-domain-not-slack-logic',
      comment: 'The CLI may print with the pure Slack block builders; every other piece of Slack code is Slack-only.',
      severity: 'error',
      from: { path: ['^src/cli/'] },
      to: { path: '^src/slack/', pathNot: '^src/slack/blocks/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      dot: { collapsePattern: '^(node_modules/[^/]+|src/[^/]+/[^/]+|src/[^/]+)' },
    },
  },
};
