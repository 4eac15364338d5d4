// Merging the copies of one wave back into the workspace: disjoint files combine, one file
// changed by two copies on separate lines is merged line by line, and anything else is a
// conflict that names the file with every side and the base. A workspace the user changed since
// the wave began is never overwritten.
import assert from 'node:assert/strict';
import type { FileChange } from '../../../src/core/ports.js';
import { changedPaths, mergeCopies, type CopyChanges, type MergeOutcome } from '../../../src/core/workflow/mergeCopies.js';

const base = new Map<string, string | undefined>([
  ['a.ts', 'a1\na2\na3\na4\na5\n'],
  ['b.ts', 'b1\n'],
  ['c.ts', 'c1\n'],
  ['src/util', 'a file named like a folder\n'],
]);

/** The merge with the workspace as it was at the wave's start (unless `now` says otherwise). */
function merge(copies: CopyChanges[], now: Record<string, string | undefined> = {}): MergeOutcome {
  const paths = changedPaths(copies);
  const at = (map: ReadonlyMap<string, string | undefined>) => new Map(paths.map((path) => [path, map.get(path)]));
  const current = at(base);
  for (const [path, text] of Object.entries(now)) current.set(path, text);
  return mergeCopies({ base: at(base), current, copies });
}
const copy = (label: string, ...changes: FileChange[]): CopyChanges => ({ label, changes });
const write = (path: string, text: string | undefined): FileChange => ({ path, text });

function merged(outcome: MergeOutcome): FileChange[] {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.message);
  return outcome.changes;
}
function refused(outcome: MergeOutcome): Extract<MergeOutcome, { ok: false }> {
  assert.ok(!outcome.ok, 'the merge should have been refused');
  return outcome;
}

describe('merging the copies of a wave', () => {
  it('combines changes to different files, sorted by path', () => {
    const outcome = merge([copy('spec-2', write('c.ts', 'c2\n'), write('new/x.ts', 'x\n')), copy('spec-1', write('b.ts', undefined))]);
    assert.deepEqual(merged(outcome), [write('b.ts', undefined), write('c.ts', 'c2\n'), write('new/x.ts', 'x\n')]);
    assert.deepEqual(outcome.ok && outcome.threeWay, []);
  });

  it('merges one file changed by two copies on separate lines, line by line', () => {
    const outcome = merge([copy('spec-1', write('a.ts', 'A1\na2\na3\na4\na5\n')), copy('spec-2', write('a.ts', 'a1\na2\na3\na4\nA5\n'))]);
    assert.deepEqual(merged(outcome), [write('a.ts', 'A1\na2\na3\na4\nA5\n')]);
    assert.deepEqual(outcome.ok && outcome.threeWay, ['a.ts']);
  });

  it('merges three copies of one file when none touches the lines of another', () => {
    const outcome = merge([
      copy('spec-1', write('a.ts', 'A1\na2\na3\na4\na5\n')),
      copy('spec-2', write('a.ts', 'a1\na2\nA3\na4\na5\n')),
      copy('spec-3', write('a.ts', 'a1\na2\na3\na4\nA5\nA6\n')),
    ]);
    assert.deepEqual(merged(outcome), [write('a.ts', 'A1\na2\nA3\na4\nA5\nA6\n')]);
  });

  it('keeps lines without a final newline and Windows line ends as they are', () => {
    const crlf = new Map(base);
    crlf.set('w.ts', 'w1\r\nw2\r\nw3\r\nw4');
    const outcome = mergeCopies({
      base: crlf,
      current: crlf,
      copies: [copy('spec-1', write('w.ts', 'W1\r\nw2\r\nw3\r\nw4')), copy('spec-2', write('w.ts', 'w1\r\nw2\r\nw3\r\nW4'))],
    });
    assert.deepEqual(merged(outcome).find((change) => change.path === 'w.ts'), write('w.ts', 'W1\r\nw2\r\nw3\r\nW4'));
  });

  it('takes identical changes once, without a conflict: the same edit, the same new file, the same deletion', () => {
    const outcome = merge([
      copy('spec-1', write('a.ts', 'same\n'), write('n.ts', 'new\n'), write('b.ts', undefined)),
      copy('spec-2', write('a.ts', 'same\n'), write('n.ts', 'new\n'), write('b.ts', undefined)),
    ]);
    assert.deepEqual(merged(outcome), [write('a.ts', 'same\n'), write('b.ts', undefined), write('n.ts', 'new\n')]);
  });

  it('is a conflict when two copies change the same lines, naming the file, both sides, the base and the lines', () => {
    const outcome = refused(merge([copy('spec-1', write('a.ts', 'a1\nONE\na3\na4\na5\n')), copy('spec-2', write('a.ts', 'a1\nTWO\na3\na4\na5\n'))]));
    assert.deepEqual(outcome.conflicts, [
      {
        path: 'a.ts',
        kind: 'same-lines',
        why: 'spec-1 and spec-2 both change line 2',
        base: 'a1\na2\na3\na4\na5\n',
        sides: [
          { label: 'spec-1', text: 'a1\nONE\na3\na4\na5\n' },
          { label: 'spec-2', text: 'a1\nTWO\na3\na4\na5\n' },
        ],
      },
    ]);
    assert.deepEqual(outcome.workspaceChanged, []);
    assert.match(outcome.message, /a\.ts/);
  });

  it('is a conflict when changes touch neighbouring lines (as git would say)', () => {
    const outcome = refused(merge([copy('spec-1', write('a.ts', 'a1\nA2\na3\na4\na5\n')), copy('spec-2', write('a.ts', 'a1\na2\nA3\na4\na5\n'))]));
    assert.equal(outcome.conflicts[0]?.why, 'spec-1 and spec-2 both change lines 2–3');
  });

  it('is a conflict when one copy deletes a file another changes', () => {
    const outcome = refused(merge([copy('spec-1', write('a.ts', undefined)), copy('spec-2', write('a.ts', 'a1\n'))]));
    assert.deepEqual(outcome.conflicts.map(({ kind, why, sides }) => ({ kind, why, sides })), [
      { kind: 'delete-and-change', why: 'spec-1 deletes it and spec-2 changes it', sides: [{ label: 'spec-1', text: undefined }, { label: 'spec-2', text: 'a1\n' }] },
    ]);
  });

  it('is a conflict when two copies create the same new file with different text', () => {
    const outcome = refused(merge([copy('spec-1', write('n.ts', 'one\n')), copy('spec-2', write('n.ts', 'two\n'))]));
    assert.deepEqual(outcome.conflicts.map(({ path, kind, why, base: before }) => ({ path, kind, why, before })), [
      { path: 'n.ts', kind: 'both-created', why: 'spec-1 and spec-2 both create it, with different text', before: undefined },
    ]);
  });

  it('is a conflict when two copies write one file under two spellings (one file on macOS and Windows)', () => {
    const outcome = refused(merge([copy('spec-1', write('src/Util.ts', 'x\n')), copy('spec-2', write('src/util.ts', 'y\n'))]));
    assert.deepEqual(outcome.conflicts.map(({ path, kind, why }) => ({ path, kind, why })), [
      { path: 'src/Util.ts', kind: 'same-file-two-names', why: 'spec-1 writes `src/Util.ts` and spec-2 writes `src/util.ts`: one file where case is ignored' },
    ]);
  });

  it('is a conflict when one copy writes a file where another makes a folder', () => {
    const outcome = refused(merge([copy('spec-1', write('src/util', 'changed\n')), copy('spec-2', write('src/util/x.ts', 'x\n'))]));
    assert.deepEqual(outcome.conflicts.map(({ path, kind, why, base: before }) => ({ path, kind, why, before })), [
      { path: 'src/util', kind: 'file-and-folder', before: 'a file named like a folder\n', why: 'spec-1 writes the file `src/util` and spec-2 writes `src/util/x.ts` inside it as a folder' },
    ]);
  });

  it('refuses to overwrite files the user changed since the wave began, naming them, and still lists the conflicts', () => {
    const outcome = refused(
      merge([copy('spec-1', write('b.ts', 'b2\n'), write('a.ts', 'a1\nONE\na3\na4\na5\n')), copy('spec-2', write('c.ts', 'c2\n'), write('a.ts', 'a1\nTWO\na3\na4\na5\n'))], { 'b.ts': 'typed by the user\n', 'c.ts': undefined }),
    );
    assert.deepEqual(outcome.workspaceChanged, ['b.ts', 'c.ts']);
    assert.deepEqual(outcome.conflicts.map((conflict) => conflict.path), ['a.ts']);
    assert.match(outcome.message, /changed in the workspace since the wave began: b\.ts, c\.ts/);
  });

  it('refuses when the user created a file a copy creates', () => {
    const outcome = refused(merge([copy('spec-1', write('n.ts', 'new\n'))], { 'n.ts': 'the user got there first\n' }));
    assert.deepEqual(outcome.workspaceChanged, ['n.ts']);
  });

  it('does not mind a user change that is already what the merge would write', () => {
    assert.deepEqual(merged(merge([copy('spec-1', write('b.ts', 'b2\n'))], { 'b.ts': 'b2\n' })), [write('b.ts', 'b2\n')]);
  });

  it('is a conflict, never a guess, when the text of a changed file at the wave\'s start is unknown', () => {
    const outcome = refused(mergeCopies({ base: new Map(), current: new Map([['b.ts', 'b1\n']]), copies: [copy('spec-1', write('b.ts', 'b2\n')), copy('spec-2', write('b.ts', 'b3\n'))] }));
    assert.deepEqual(outcome.conflicts.map(({ path, kind, why }) => ({ path, kind, why })), [
      { path: 'b.ts', kind: 'unknown-base', why: 'its text when the wave began is unknown (no spec named it and every copy changed it), so neither the merge nor the workspace can be checked' },
    ]);
  });

  it('says clearly when the current text of a changed path is missing', () => {
    assert.throws(
      () => mergeCopies({ base: new Map([['b.ts', 'b1\n']]), current: new Map(), copies: [copy('spec-1', write('b.ts', 'b2\n'))] }),
      /no text of `b\.ts` as it is in the workspace now/,
    );
  });

  it('says clearly when one copy lists a file twice', () => {
    assert.throws(() => merge([copy('spec-1', write('b.ts', 'x\n'), write('b.ts', 'y\n'))]), /spec-1 lists `b\.ts` twice/);
  });

  it('lists the paths to read for the base and the workspace, each once', () => {
    assert.deepEqual(changedPaths([copy('x', write('b.ts', 'x'), write('a.ts', undefined)), copy('y', write('b.ts', 'y'))]), ['a.ts', 'b.ts']);
  });
});
