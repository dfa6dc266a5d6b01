/** Module boundaries: a module's index.ts is its only door; the platform knows no module. */
module.exports = {
  forbidden: [
    {
      name: 'module-internals',
      comment: 'Import another module through its index.ts only (src/modules/<name>/index.ts).',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/([^/]+)/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'platform-knows-no-module',
      comment: 'src/platform is technology without domain words: it must not import a module.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'no-circular-modules',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { circular: true, path: '^src/modules/', pathNot: '^src/modules/[^/]+/(schema)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.tsx?$' },
  },
}
