// The TODO(architect) figures of `npm run bench` (plain Node; the real host's provideCodeLenses
// figure comes from test/integration/questions.test.ts):
//   - the scan provideCodeLenses runs, on a 50,000-line file of JSDoc'd functions: 100 markers,
//     and 1,000 (half of them in block comments, half in line comments);
//   - the open-questions scan of a generated 10,000-file workspace, cold (a fresh index; the
//     files were just written, so the OS cache is warm, as it is for a workspace VS Code opened);
//   - an incremental one-file update (read from disk and re-indexed), as the file watcher does.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { findMarkers } from '../../src/core/questions/markers.js';
import { QuestionIndex, scanRules } from '../../src/core/questions/questionIndex.js';
import { readScannable, scanFolder } from '../../src/node/questionScan.js';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ms = (value: number): string => `${value.toFixed(2)} ms`;

function sourceFile(lines: number, markerEvery: number): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i += 1) {
    out.push('/**', ` * Handles case ${i}.`, i % (markerEvery / 5) === 0 && i % 2 === 0 ? ` * TODO(architect): should case ${i} be cached?` : ' * @param input the value', ' */');
    out.push(`export function handle${i}(input: string): string {`, `  const label = "case ${i}: " + input; // the label`);
    out.push(i % (markerEvery / 5) === 0 && i % 2 === 1 ? `  // TODO(architect): is ${i} the right default?` : "  if (!input) return 'none';");
    out.push('  return label.trim();', '}', '');
  }
  return out.slice(0, lines).join('\n');
}

function scanFigure(label: string, text: string): void {
  const times: number[] = [];
  let count = 0;
  for (let round = 0; round < 21; round += 1) {
    const started = performance.now();
    count = findMarkers(text).length;
    times.push(performance.now() - started);
  }
  console.log(`${label}: ${count} markers, ${(text.length / 1024 / 1024).toFixed(2)} MB, median of 21 ${ms(median(times))} (goal: under 5 ms)`);
}

export async function questionFigures(): Promise<void> {
  console.log('\n## TODO(architect) questions');
  scanFigure('marker scan (what provideCodeLenses runs), 50,000 lines', sourceFile(50_000, 250));
  scanFigure('marker scan, 50,000 lines, dense', sourceFile(50_000, 25));

  const root = await fs.mkdtemp(path.join(tmpdir(), 'dm-bench-questions-'));
  try {
    const body = sourceFile(60, 10);
    for (let folder = 0; folder < 100; folder += 1) {
      await fs.mkdir(path.join(root, 'src', `module${folder}`), { recursive: true });
      await Promise.all(Array.from({ length: 100 }, (_, file) => fs.writeFile(path.join(root, 'src', `module${folder}`, `file${file}.ts`), file % 10 === 0 ? body : body.replace(/TODO\(architect\)/g, 'NOTE'))));
    }
    await fs.mkdir(path.join(root, 'node_modules', 'dep'), { recursive: true });
    await fs.writeFile(path.join(root, 'node_modules', 'dep', 'index.js'), '// TODO(architect): skipped\n');
    const rules = scanRules('.dual-model');
    const index = new QuestionIndex();
    const started = performance.now();
    const summary = await scanFolder(root, index, rules);
    const cold = performance.now() - started;
    console.log(`workspace scan, 10,000 files (${summary.filesRead} read): ${index.questionCount} questions in ${index.files().length} files, cold ${ms(cold)} (goal: under 1 s)`);

    const file = path.join(root, 'src', 'module7', 'file3.ts');
    const updates: number[] = [];
    for (let round = 0; round < 21; round += 1) {
      await fs.writeFile(file, round % 2 === 0 ? body : body.replace(/TODO\(architect\)/g, 'NOTE'));
      const updated = performance.now();
      const text = await readScannable(file, rules);
      if (text !== undefined) index.update('src/module7/file3.ts', text);
      updates.push(performance.now() - updated);
    }
    console.log(`incremental update of one file (read + re-index), median of 21: ${ms(median(updates))} (goal: under 10 ms)`);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}
