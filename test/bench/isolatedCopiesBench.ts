// The isolated copies' figures of `npm run bench` (plain Node, real git): on a sample repository
// of a few hundred files with a node_modules of a few thousand, the wall time to create and
// remove one copy and the disk it adds (bytes of the files written outside the workspace,
// git's record of the worktree included, links not counted), git worktree against plain copy.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NodeIsolatedCopies } from '../../src/node/isolatedCopies.js';
import { committedRepository, writeFiles } from '../support/sampleRepository.js';

const SOURCE_FILES = 300;
const DEPENDENCY_FILES = 3000;
const ROUNDS = 5;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;

function sampleFiles(count: number, folder: string, lines: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) {
    files[`${folder}/${Math.floor(index / 25)}/file${index}.ts`] = `export const value${index} = ${index};\n`.repeat(lines);
  }
  return files;
}

/** Bytes of the regular files under `folder`, links not followed nor counted. */
async function bytesUnder(folder: string): Promise<number> {
  let total = 0;
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (entry.isFile()) total += (await fs.lstat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

async function measure(workspace: string, base: string, gitRecords: string): Promise<{ createMs: number; removeMs: number; bytes: number }> {
  const copies = new NodeIsolatedCopies(workspace, base);
  const create: number[] = [];
  const remove: number[] = [];
  let bytes = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const recordsBefore = await bytesUnder(gitRecords);
    let started = performance.now();
    const copy = await copies.create(`bench-${round}`, 'a');
    create.push(performance.now() - started);
    bytes = (await bytesUnder(base)) + (await bytesUnder(gitRecords)) - recordsBefore;
    started = performance.now();
    await copy.remove();
    remove.push(performance.now() - started);
  }
  return { createMs: median(create), removeMs: median(remove), bytes };
}

export async function isolatedCopyFigures(): Promise<void> {
  console.log(`\n## Isolated copies (issue 11): one copy of ${SOURCE_FILES} source files + a node_modules of ${DEPENDENCY_FILES} files, median of ${ROUNDS}`);
  const scratch = await fs.mkdtemp(path.join(tmpdir(), 'dual-model-copies-bench-'));
  try {
    const repository = path.join(scratch, 'repository');
    committedRepository(repository, { '.gitignore': 'node_modules/\n', ...sampleFiles(SOURCE_FILES, 'src', 20) });
    // Some uncommitted work, as a candidate would start from.
    writeFiles(repository, { ...sampleFiles(10, 'src', 21), 'notes/untracked.md': '# new\n', ...sampleFiles(DEPENDENCY_FILES, 'node_modules/pkg', 40) });
    const plain = path.join(scratch, 'plain');
    await fs.cp(repository, plain, { recursive: true, filter: (source) => path.basename(source) !== '.git' });
    const dependencies = await bytesUnder(path.join(repository, 'node_modules'));
    const workspaceBytes = (await bytesUnder(plain)) - dependencies;

    const worktree = await measure(repository, path.join(scratch, 'copies-worktree'), path.join(repository, '.git', 'worktrees'));
    const copy = await measure(plain, path.join(scratch, 'copies-plain'), path.join(scratch, 'no-git-records'));
    console.log(`workspace: ${kib(workspaceBytes)} of files, node_modules ${kib(dependencies)} (linked into each copy, not copied)`);
    console.log(`${''.padEnd(14)}${'create'.padStart(12)}${'remove'.padStart(12)}${'extra disk'.padStart(14)}`);
    for (const [label, figures] of [['git worktree', worktree], ['plain copy', copy]] as const) {
      console.log(`${label.padEnd(14)}${`${figures.createMs.toFixed(0)} ms`.padStart(12)}${`${figures.removeMs.toFixed(0)} ms`.padStart(12)}${kib(figures.bytes).padStart(14)}`);
    }
  } finally {
    await fs.rm(scratch, { recursive: true, force: true });
  }
}
