// ESLint for the whole repository: typescript-eslint with type information
// (each file checked against the tsconfig that includes it), Lit's template
// rules for the widget. `npm run lint`; part of `npm test`.
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**', 'docs/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        project: [
          'packages/sdk/tsconfig.test.json',
          'packages/server/tsconfig.test.json',
          'packages/widget/tsconfig.test.json',
          'examples/tsconfig.json',
          'bench/tsconfig.json',
          'tsconfig.tools.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Off: methods that implement an async interface (EventBus, PresenceStore, OutboxStorage, test
      // doubles) stay `async` without awaiting, so that a throw in them reaches the caller as a rejection.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read JSON bodies and frames as `any` on purpose (TestResponse<any>, parsed frames): the
    // assertions are what check their shapes, and typing every body would restate the protocol.
    files: [
      '**/*.test.ts',
      '**/test/**/*.ts',
      '**/test-support/**/*.ts',
      '**/*.test-helpers.ts',
      'packages/server/src/testing.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['packages/widget/src/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['packages/widget/src/**/*.ts'],
    rules: {
      // Off in the widget: Lit calls a template's event listeners with `this` set to the host element
      // (`@click=${this.onClick}`), which is the "unbound" method this rule reports.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain JavaScript (configs, scripts): no type information.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
