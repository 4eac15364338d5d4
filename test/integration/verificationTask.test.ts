// The verification command as a real VS Code task: it shows up as a running task, its output is
// captured with the real exit code, a hanging command is killed on the timeout, and nothing runs
// in Restricted Mode.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TaskVerificationRunner, UNTRUSTED_WORKSPACE_REASON } from '../../src/vscode/verificationTask.js';
import { holdTimeout } from '../support/heldTimeout.js';
import { waitUntil, within } from '../support/waitUntil.js';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/** Node itself, so the test does not depend on `node` being on the server's PATH. */
const node = JSON.stringify(process.execPath);

/** Settles when a task named `name` starts; `dispose` stops listening. */
function taskStart(name: string): { started: Promise<void>; dispose(): void } {
  let listener: vscode.Disposable | undefined;
  const started = new Promise<void>((resolve) => {
    listener = vscode.tasks.onDidStartTask((event) => {
      if (event.execution.task.name === name) resolve();
    });
  });
  return { started, dispose: () => listener?.dispose() };
}

/** A command that waits for `release` to exist, then prints and exits 2. */
async function heldCommand(release: string): Promise<string> {
  const script = `${release}.cjs`;
  await fs.writeFile(
    script,
    `const fs = require('node:fs');
setInterval(() => { if (fs.existsSync(process.argv[2])) { console.log('hello from task'); process.exit(2); } }, 20);
`,
  );
  return `${node} ${JSON.stringify(script)} ${JSON.stringify(release)}`;
}

describe('verification task', () => {
  it('runs as a visible task and captures the output and exit code', async () => {
    const label = `Verify (integration ${Date.now()})`;
    const release = path.join(os.tmpdir(), `dual-model-task-release-${process.pid}-${Date.now()}`);
    const runner = new TaskVerificationRunner(() => Promise.resolve([]), () => 'unsandboxed');
    const start = taskStart(label);
    // The command runs until the test has seen its task, so "running" is checked while it is.
    const running = runner.run({ command: await heldCommand(release), cwd: workspaceRoot(), timeoutMs: 60_000, label });
    try {
      await within(start.started, `no task named "${label}" ever started`, 20_000);
      assert.ok(vscode.tasks.taskExecutions.some((execution) => execution.task.name === label), `"${label}" is among vscode.tasks.taskExecutions while it runs`);
    } finally {
      start.dispose();
      await fs.writeFile(release, '');
    }
    const result = await within(running, 'the task never ended after its command was let go', 30_000);
    await fs.rm(release, { force: true });
    await fs.rm(`${release}.cjs`, { force: true });

    assert.equal(result.exitCode, 2);
    assert.equal(result.timedOut, false);
    assert.equal(result.notRun, undefined);
    assert.match(result.output, /hello from task/);
  });

  it('kills a hanging command on the timeout', async () => {
    const runner = new TaskVerificationRunner(() => Promise.resolve([]), () => 'unsandboxed');
    const started = path.join(os.tmpdir(), `dual-model-task-started-${process.pid}-${Date.now()}`);
    // The 1.5 s timeout fires once the command is running, however slowly the task system opens
    // its terminal: what is tested is the kill, not how fast a task starts.
    const timeout = holdTimeout(1_500);
    const running = runner.run({
      command: `${node} -e "require('fs').writeFileSync(process.argv[1], ''); setInterval(() => {}, 1000)" ${JSON.stringify(started)}`,
      cwd: workspaceRoot(),
      timeoutMs: 1_500,
      label: `Verify hanging (integration ${Date.now()})`,
    });
    try {
      await waitUntil(() => existsSync(started), 'the hanging command never started', 30_000, 20);
    } finally {
      timeout.release();
      timeout.restore();
    }
    const result = await within(running, 'the hanging command was never stopped after its timeout', 30_000);
    await fs.rm(started, { force: true });

    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, undefined);
    assert.match(result.output, /timed out after 1\.5 s; killed the process tree/);
  });
});

describe('verification task [untrusted]', () => {
  it('does not run the command in Restricted Mode', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const runner = new TaskVerificationRunner(() => Promise.resolve([]), () => 'unsandboxed');
    const result = await runner.run({
      command: `${node} -e "require('fs').writeFileSync('should-not-exist.txt', 'ran')"`,
      cwd: workspaceRoot(),
      timeoutMs: 10_000,
      label: 'Verify (untrusted)',
    });

    assert.equal(result.notRun, UNTRUSTED_WORKSPACE_REASON);
    assert.equal(result.exitCode, undefined);
    assert.equal(result.output, '');
    const marker = vscode.Uri.joinPath(vscode.Uri.file(workspaceRoot()), 'should-not-exist.txt');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(marker)), 'nothing was spawned');
  });
});
