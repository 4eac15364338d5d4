// Bundles the extension host code (cjs, Node, `vscode` external), the webview (browser iife) and
// the integration tests that run inside a real extension host. Type checking is separate
// (`npm run typecheck`), as esbuild only strips types.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** What every bundle that runs in the extension host shares. */
const hostBundle = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...hostBundle, entryPoints: { extension: 'src/extension.ts' }, metafile: true },
  // Each provider is its own bundle, required on first use, so no SDK loads at activation.
  {
    ...hostBundle,
    entryPoints: {
      'providers/anthropic': 'src/providers/anthropic/bundleEntry.ts',
      'providers/google': 'src/providers/google/bundleEntry.ts',
      'providers/openai': 'src/providers/openai/bundleEntry.ts',
    },
  },
  {
    entryPoints: { panel: 'webview-ui/src/main.ts', review: 'webview-ui/src/review/main.ts' },
    outdir: 'media/webview',
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
  },
];
if (!production) {
  builds.push({
    ...hostBundle,
    entryPoints: { 'test/integration/index': 'test/integration/index.ts' },
    external: ['vscode', 'mocha'],
    sourcemap: true,
    minify: false,
  });
  // Test only: an extension registering vscode.lm models, loaded beside ours in the test hosts.
  builds.push({ ...hostBundle, entryPoints: { 'test/lm-extension/extension': 'test/lmExtension/extension.ts' }, sourcemap: true, minify: false });
  mkdirSync('dist/test/lm-extension', { recursive: true });
  copyFileSync('test/lmExtension/package.json', 'dist/test/lm-extension/package.json');
}

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('[build] watching');
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  const extension = results[0].metafile;
  if (extension) {
    const bytes = Object.entries(extension.outputs).filter(([file]) => file.endsWith('.js')).reduce((sum, [, output]) => sum + output.bytes, 0);
    console.log(`[build] extension bundle ${(bytes / 1024).toFixed(1)} KiB`);
  }
}
