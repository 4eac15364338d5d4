import assert from 'node:assert/strict';
import { buildStatus, computeFileChanges, countLines, testStatus, unlistedChanges } from '../../../src/core/coder/reportFacts.js';

const ran = (exitCode: number | undefined, output = '', extra: Partial<{ timedOut: boolean; notRun: string }> = {}) => ({
  exitCode,
  output,
  timedOut: extra.timedOut ?? false,
  durationMs: 1500,
  ...(extra.notRun ? { notRun: extra.notRun } : {}),
});

describe('Code Report facts', () => {
  it('counts added and removed lines per file from the real contents', () => {
    const before = new Map<string, string | undefined>([
      ['src/a.js', 'one\ntwo\nthree\n'],
      ['src/new.js', undefined],
      ['src/gone.js', 'x\ny\n'],
      ['src/same.js', 'same\n'],
    ]);
    const after = new Map<string, string | undefined>([
      ['src/a.js', 'one\n2\nthree\nfour\n'],
      ['src/new.js', 'a\nb\nc'],
      ['src/gone.js', undefined],
      ['src/same.js', 'same\n'],
    ]);
    assert.deepEqual(computeFileChanges(before, after), [
      { path: 'src/a.js', action: 'Modified', added: 2, removed: 1 },
      { path: 'src/gone.js', action: 'Deleted', added: 0, removed: 2 },
      { path: 'src/new.js', action: 'Created', added: 3, removed: 0 },
    ]);
    assert.equal(countLines(''), 0);
  });

  it('PASS only for a command that ran and exited 0', () => {
    assert.equal(testStatus(ran(0), 'npm test').status, 'PASS');
    assert.deepEqual(testStatus(ran(1), 'npm test'), { status: 'FAIL', details: '`npm test` exited with code 1' });
    assert.match(testStatus(ran(undefined, '', { timedOut: true }), 'x').details, /timed out at the 1\.5 s limit/);
    assert.equal(testStatus(ran(undefined, '', { notRun: 'workspace not trusted' }), 'x').details, 'workspace not trusted');
    assert.match(testStatus(undefined, 'npm test').details, /never run/);
  });

  it('names the time limit a killed verification ran into, not the time it took to stop', () => {
    const killed = { exitCode: undefined, output: '', timedOut: true, durationMs: 7040, timeLimitMs: 5000 };
    const details = testStatus(killed, 'npm test').details;
    assert.match(details, /5 s limit/);
    assert.doesNotMatch(details, /\b7 s\b/);
  });

  it('says whether the verification ran sandboxed', () => {
    assert.match(testStatus({ ...ran(0), sandbox: 'sandboxed' }, 'npm test').details, /sandboxed: no network, writes only to the workspace/);
    assert.match(testStatus({ ...ran(1), sandbox: 'unsandboxed' }, 'npm test').details, /not sandboxed \(dualModel\.verification\.sandbox is "unsandboxed"\)/);
    assert.match(testStatus({ ...ran(0), sandbox: 'unavailable: bubblewrap (bwrap) is not installed' }, 'npm test').details, /not sandboxed: bubblewrap \(bwrap\) is not installed/);
  });

  it('derives build status from the exit code and the output', () => {
    assert.equal(buildStatus(ran(0, 'ok\n0 warnings')).status, 'CLEAN');
    assert.equal(buildStatus(ran(0, 'src/a.ts: warning: unused')).status, 'WARNINGS');
    assert.equal(buildStatus(ran(2, 'error TS2304\nerror TS1005')).status, 'ERRORS');
    assert.match(buildStatus(ran(2, 'error TS2304\nerror TS1005')).details, /2 line/);
    assert.equal(buildStatus(undefined).status, 'ERRORS');
  });

  it('reports a change to a file the spec did not list as a deviation', () => {
    const deviations = unlistedChanges(
      [
        { path: 'src/a.js', action: 'Modified', added: 1, removed: 0 },
        { path: 'README.md', action: 'Modified', added: 1, removed: 1 },
      ],
      ['./src/a.js'],
    );
    assert.deepEqual(deviations, ['`README.md` was modified although the spec did not list it.']);
  });
});
