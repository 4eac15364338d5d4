// Lint rules that keep the layers honest: src/core and src/shared stay free of `vscode` and the
// provider SDKs, so the protocol runs and is tested on plain Node.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdkAndHost = [
  { name: 'vscode', message: 'src/core and src/shared must not import vscode: put it behind a port in src/core/ports.ts.' },
  { name: '@anthropic-ai/sdk', message: 'Provider SDKs belong in src/providers.' },
  { name: '@google/genai', message: 'Provider SDKs belong in src/providers.' },
  { name: 'openai', message: 'Provider SDKs belong in src/providers.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'media/webview/**', 'node_modules/**', '.test-output/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'webview-ui/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: sdkAndHost, patterns: [{ group: ['vscode/*', '@anthropic-ai/*', '@google/*'], message: 'No host or SDK imports here.' }] }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: sdkAndHost,
        patterns: [
          { group: ['vscode/*', '@anthropic-ai/*', '@google/*'], message: 'No host or SDK imports in src/core.' },
          { group: ['../vscode/*', '../../vscode/*', '../providers/*', '../../providers/*', '../node/*', '../../node/*'], message: 'src/core depends on nothing outside src/core and src/shared.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.mjs', 'scripts/**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
