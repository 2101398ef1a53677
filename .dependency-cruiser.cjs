/**
 * The import boundaries of the project, checked in `npm test` (`npm run check:boundaries`):
 * src/ is the engine and knows no connector (only its composition root, src/cli/, picks one); connectors use
 * the engine's contract, not its loader or runner; the simulator is a separate program that shares no code
 * with the product, so it cannot inherit the product's mistakes; product code never loads it statically.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-knows-no-connector',
      comment: 'src/ is generic: only the CLI (the composition root) may import a connector.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^connectors/' },
    },
    {
      name: 'connector-uses-the-contract',
      comment:
        'Connectors yield Arrow batches through src/connector; staging, committing and the runner are the engine’s.',
      severity: 'error',
      from: { path: '^connectors/' },
      to: { path: '^src/(load|pipeline|cli)/|^src/workers/(?!transfer\\.ts$)' },
    },
    {
      name: 'product-never-imports-the-simulator',
      comment: 'The simulator is a test double: product code may only load it on demand (demo, simulate).',
      severity: 'error',
      from: { path: '^(src|connectors)/', pathNot: '^connectors/[^/]+/simulator/' },
      to: { path: '^connectors/[^/]+/simulator/', dynamic: false },
    },
    {
      name: 'simulator-only-on-demand',
      comment: 'Only the demo and simulate commands may load the simulator, and only with import().',
      severity: 'error',
      from: {
        path: '^(src|connectors)/',
        pathNot: '^connectors/[^/]+/simulator/|^src/cli/commands/(demo|simulate)\\.ts$',
      },
      to: { path: '^connectors/[^/]+/simulator/' },
    },
    {
      name: 'simulator-is-self-contained',
      comment: 'The simulator keeps its own list of the API fields and its own errors.',
      severity: 'error',
      from: { path: '^connectors/([^/]+)/simulator/' },
      to: { path: '^(src|connectors)/', pathNot: '^connectors/$1/simulator/' },
    },
    {
      name: 'no-dev-dependencies-in-the-product',
      comment: 'What ships must run after `npm ci --omit=dev`.',
      severity: 'error',
      from: { path: '^(src|connectors)/' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-circular',
      comment: 'Modules that need each other at run time (a cycle through `import type` only is harmless).',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
