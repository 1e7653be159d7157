// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

// Orchestrators replay: anything that reads the clock, randomness or does I/O breaks determinism.
const orchestratorFence = {
  'no-restricted-imports': [
    'error',
    {
      paths: nodeBuiltins.map((name) => ({ name, message: 'Orchestrators do no I/O; use an activity.' })),
      patterns: [
        { group: ['node:*'], message: 'Orchestrators do no I/O; use an activity.' },
        { group: ['@azure/*'], message: 'Orchestrators see only core/ and durable-functions.' },
        {
          group: [
            '**/adapters',
            '**/adapters/**',
            '**/local',
            '**/local/**',
            '**/functions/**',
            '**/packages/**',
            '@durable-recovery/*',
          ],
          message: 'Arrows point down: orchestrations import only core/.',
        },
      ],
    },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
      message: 'Use context.df.currentUtcDateTime.',
    },
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Use context.df.currentUtcDateTime.',
    },
    {
      selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
      message: 'Use context.df.newGuid or pass randomness in.',
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Use context.df.createTimer.' },
    { name: 'setInterval', message: 'Use context.df.createTimer.' },
    { name: 'setImmediate', message: 'Orchestrators must not schedule work outside the Durable context.' },
    { name: 'fetch', message: 'Orchestrators do no I/O; use an activity.' },
  ],
};

// core/ is the pure domain: only itself plus small pure libraries.
const coreFence = {
  'no-restricted-imports': [
    'error',
    {
      paths: nodeBuiltins.map((name) => ({ name, message: 'core/ does no I/O.' })),
      patterns: [
        { group: ['node:*'], message: 'core/ does no I/O.' },
        { group: ['@azure/*', 'durable-functions'], message: 'core/ imports only core/, zod and yaml.' },
        {
          group: [
            '**/adapters',
            '**/adapters/**',
            '**/local',
            '**/local/**',
            '**/functions',
            '**/functions/**',
            '**/orchestrations',
            '**/orchestrations/**',
            '**/packages/**',
            '@durable-recovery/*',
          ],
          message: 'core/ imports nothing outside core/.',
        },
      ],
    },
  ],
  'no-restricted-syntax': orchestratorFence['no-restricted-syntax'],
};

// Production code never imports the local stack (the workspace packages, the lab, the CLI) ...
const productionFence = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: ['@durable-recovery/*', '**/packages/**', '**/local', '**/local/**'],
          message: 'Production code never imports the local stack (packages/, local/).',
        },
      ],
    },
  ],
};

// ... and the workspace packages import nothing from the app, so each could be published alone.
const packageFence = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: [
            '**/core/**',
            '**/orchestrations/**',
            '**/functions/**',
            '**/adapters/**',
            '**/local/**',
            '**/test/**',
            '@durable-recovery/*',
          ],
          message: 'A workspace package imports nothing from the app or from another package.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      '.lab/**',
      'test/fixtures/**/dist/**',
      'packages/*/dist/**',
      'packages/*/.lab/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  { files: ['functions/**/*.ts', 'adapters/**/*.ts'], rules: productionFence },
  { files: ['packages/*/src/**/*.ts'], rules: packageFence },
  { files: ['orchestrations/**/*.ts'], rules: orchestratorFence },
  { files: ['core/**/*.ts'], rules: coreFence },
  {
    // Tests, fixtures and the attack battery poke at loosely typed wire payloads on purpose.
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
