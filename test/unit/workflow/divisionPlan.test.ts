// A division run's plan from its specs and the real workspace: the waves (two names for one file
// through a real symbolic link overlap), and which Coder does each spec, spread within a wave.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import { assignCoders, planDivision, waveSpecOf } from '../../../src/core/workflow/divisionPlan.js';
import { planWaves } from '../../../src/core/workflow/specWaves.js';
import { NodeWorkspaceFiles } from '../../../src/node/nodeWorkspaceFiles.js';
import { baseSpec } from '../artifacts/artifactFixtures.js';

const specOn = (...paths: string[]): CodeSpec => ({ ...baseSpec(), files: paths.map((file) => ({ action: 'MODIFY', path: file, change: 'c', constraints: [] })) });

describe("a division run's plan", () => {
  let base: string;
  let workspace: NodeWorkspaceFiles;

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-division-'));
    await fs.mkdir(path.join(base, 'real'), { recursive: true });
    await fs.writeFile(path.join(base, 'real', 'x.ts'), 'x\n');
    await fs.symlink(path.join(base, 'real'), path.join(base, 'linked'));
    workspace = new NodeWorkspaceFiles(base);
  });
  afterEach(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it('puts two names of one file, through a real link, in different waves', async () => {
    const plan = await planDivision([specOn('real/x.ts'), specOn('linked/x.ts'), specOn('other.ts')], workspace, 2);
    assert.deepEqual(plan.waves.map((wave) => wave.specs), [[0, 2], [1]]);
    assert.match(plan.specs[1]?.after?.why ?? '', /through a link/);
  });

  it('puts a new file under a linked folder with the folder it lands in', async () => {
    const plan = await planDivision([specOn('real/'), specOn('linked/new.ts')], workspace, 2);
    assert.deepEqual(plan.waves.map((wave) => wave.specs), [[0], [1]]);
  });

  it('keeps at most the parallel limit in a wave', async () => {
    const plan = await planDivision([specOn('a'), specOn('b'), specOn('c')], workspace, 3, 2);
    assert.deepEqual(plan.waves.map((wave) => wave.specs), [[0, 1], [2]]);
  });

  it('reads the paths a spec names under Files to Modify', () => {
    assert.deepEqual(waveSpecOf(specOn('a.ts', 'b/c.ts')), { paths: ['a.ts', 'b/c.ts'] });
  });

  const table: { name: string; files: string[][]; coders: number; expected: string[] }[] = [
    { name: 'one Coder does everything', files: [['a'], ['b'], ['a']], coders: 1, expected: ['spec-01:w0:c0', 'spec-02:w0:c0', 'spec-03:w1:c0'] },
    { name: 'the specs of a wave go to different Coders, in turn', files: [['a'], ['b'], ['c'], ['a']], coders: 2, expected: ['spec-01:w0:c0', 'spec-02:w0:c1', 'spec-03:w0:c0', 'spec-04:w1:c0'] },
    { name: 'more Coders than specs leaves some idle', files: [['a'], ['b']], coders: 5, expected: ['spec-01:w0:c0', 'spec-02:w0:c1'] },
  ];
  for (const row of table) {
    it(`assigns Coders: ${row.name}`, () => {
      const assigned = assignCoders(planWaves(row.files.map((paths) => ({ paths }))), row.coders);
      assert.deepEqual(assigned.map((entry) => `${entry.label}:w${entry.wave}:c${entry.coder}`), row.expected);
    });
  }

  it('labels copies so they sort in order past 99 specs', () => {
    const assigned = assignCoders(planWaves(Array.from({ length: 100 }, (_, index) => ({ paths: [`f${index}`] }))), 1);
    assert.deepEqual([assigned[0]?.label, assigned[99]?.label], ['spec-001', 'spec-100']);
  });

  it('refuses a division without a Coder, saying so', () => {
    assert.throws(() => assignCoders(planWaves([{ paths: ['a'] }]), 0), /at least one Coder, got 0/);
  });
});
