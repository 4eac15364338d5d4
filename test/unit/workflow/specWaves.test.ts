// Division of labour: specs whose files do not overlap run side by side; overlapping ones run in
// the batch's order. "Overlap" errs towards waiting: the same file under another spelling (case,
// "./", a trailing dot, a link), a folder and a file inside it, a spec that names no file or a
// path that cannot be read as one, all wait.
import assert from 'node:assert/strict';
import { pathKey, planWaves, type WaveSpec } from '../../../src/core/workflow/specWaves.js';

const specs = (...files: string[][]): WaveSpec[] => files.map((paths) => ({ paths }));
const waves = (plan: ReturnType<typeof planWaves>): number[][] => plan.waves.map((wave) => wave.specs);

describe('the waves of a division of labour', () => {
  const table: { name: string; files: string[][]; waves: number[][] }[] = [
    { name: 'disjoint files all run at once', files: [['a.ts'], ['b.ts'], ['c/d.ts']], waves: [[0, 1, 2]] },
    { name: 'the same file waits for the earlier spec', files: [['a.ts'], ['a.ts']], waves: [[0], [1]] },
    { name: 'a later disjoint spec does not wait for an unrelated chain', files: [['a.ts'], ['a.ts', 'b.ts'], ['c.ts']], waves: [[0, 2], [1]] },
    { name: 'a chain through a shared file is kept in order', files: [['a.ts'], ['a.ts', 'b.ts'], ['b.ts']], waves: [[0], [1], [2]] },
    { name: 'a folder and a file inside it overlap', files: [['src/'], ['src/x.ts']], waves: [[0], [1]] },
    { name: 'a folder named without its slash still holds the file', files: [['src/x.ts'], ['src']], waves: [[0], [1]] },
    { name: 'a prefix that is not a folder does not overlap', files: [['src/a.ts'], ['src/a.tsx'], ['src2/a.ts']], waves: [[0, 1, 2]] },
    { name: 'case differs: the same file on macOS and Windows', files: [['src/A.ts'], ['src/a.ts']], waves: [[0], [1]] },
    { name: 'case differs in a folder', files: [['SRC/'], ['src/a.ts']], waves: [[0], [1]] },
    { name: '"./x" is "x"', files: [['./x.ts'], ['x.ts']], waves: [[0], [1]] },
    { name: 'backslashes and doubled slashes are the same path', files: [['src\\a.ts'], ['src//a.ts']], waves: [[0], [1]] },
    { name: 'Windows ignores trailing dots and spaces', files: [['a.ts.'], ['a.ts ']], waves: [[0], [1]] },
    { name: 'composed and decomposed accents are one name on macOS', files: [['caf\u00e9.ts'], ['cafe\u0301.ts']], waves: [[0], [1]] },
    { name: 'a spec that names no file runs alone, in order', files: [['a.ts'], [], ['b.ts']], waves: [[0], [1], [2]] },
    { name: 'the workspace root overlaps everything', files: [['a.ts'], ['.'], ['b.ts']], waves: [[0], [1], [2]] },
    { name: 'a path with ".." cannot be placed, so it runs alone', files: [['a.ts'], ['src/../a.ts'], ['b.ts']], waves: [[0], [1], [2]] },
    { name: 'an absolute path cannot be placed, so it runs alone', files: [['a.ts'], ['/etc/passwd'], ['b.ts']], waves: [[0], [1], [2]] },
    { name: 'a wildcard claims the folder before it', files: [['src/*.ts'], ['src/a.ts'], ['lib/b.ts']], waves: [[0, 2], [1]] },
    { name: 'one spec never waits on itself for naming a file twice', files: [['a.ts', 'A.ts', './a.ts']], waves: [[0]] },
  ];
  for (const row of table) {
    it(row.name, () => {
      assert.deepEqual(waves(planWaves(specs(...row.files))), row.waves);
    });
  }

  it('a spec never runs before an earlier spec it overlaps, on a larger batch', () => {
    const files = [['a'], ['b'], ['a', 'c'], ['d'], ['c'], ['b', 'd'], [], ['e'], ['E'], ['f/g'], ['f/']];
    const plan = planWaves(specs(...files));
    const waveOf = new Map(plan.waves.flatMap((wave, number) => wave.specs.map((spec) => [spec, number] as const)));
    assert.equal(waveOf.size, files.length, 'every spec is in exactly one wave');
    for (let later = 0; later < files.length; later += 1) {
      for (let earlier = 0; earlier < later; earlier += 1) {
        const shared = (files[later] ?? []).some((path) => (files[earlier] ?? []).some((other) => pathKey(path) === pathKey(other) || pathKey(path)?.startsWith(`${pathKey(other) ?? ''}/`) || pathKey(other)?.startsWith(`${pathKey(path) ?? ''}/`)));
        const alone = (files[later] ?? []).length === 0 || (files[earlier] ?? []).length === 0;
        if (shared || alone) assert.ok((waveOf.get(later) ?? -1) > (waveOf.get(earlier) ?? -1), `spec ${later} must run after spec ${earlier}`);
      }
    }
    for (const wave of plan.waves) assert.deepEqual(wave.specs, [...wave.specs].sort((a, b) => a - b), 'a wave keeps the batch order');
  });

  it('says why a spec waits: the earlier spec and the path they share', () => {
    const plan = planWaves(specs(['src/A.ts'], ['lib/b.ts'], ['src/a.ts'], []));
    assert.deepEqual(plan.specs[0], { wave: 0 });
    assert.deepEqual(plan.specs[2], { wave: 1, after: { spec: 0, why: '`src/a.ts` and `src/A.ts` are the same file' } });
    assert.deepEqual(plan.specs[3], { wave: 2, after: { spec: 2, why: 'it names no file, so it runs alone' } });
  });

  it('two names that land on one file through a link overlap', () => {
    // `linked/` is a symbolic link to `real/`: the engine resolves each named path with locate().
    const landsAt = new Map([['linked/x.ts', 'real/x.ts']]);
    const plan = planWaves(specs(['real/x.ts'], ['linked/x.ts'], ['other.ts']), { landsAt });
    assert.deepEqual(waves(plan), [[0, 2], [1]]);
    assert.deepEqual(plan.specs[1]?.after, { spec: 0, why: '`linked/x.ts` and `real/x.ts` are the same file (through a link)' });
  });

  it('keeps at most maxParallel specs in a wave, in order', () => {
    const plan = planWaves(specs(['a'], ['b'], ['c'], ['d'], ['e']), { maxParallel: 2 });
    assert.deepEqual(waves(plan), [[0, 1], [2, 3], [4]]);
    assert.deepEqual(plan.specs.map((spec) => spec.wave), [0, 0, 1, 1, 2]);
  });

  it('refuses a maxParallel below one, saying so', () => {
    assert.throws(() => planWaves(specs(['a']), { maxParallel: 0 }), /maxParallel must be a positive integer, got 0/);
  });

  it('plans nothing for no specs', () => {
    assert.deepEqual(planWaves([]), { waves: [], specs: [] });
  });
});
