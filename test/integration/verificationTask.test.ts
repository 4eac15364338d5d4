// The verification command as a real VS Code task: it shows up as a running task, its output is
// captured with the real exit code, a hanging command is killed on the timeout, and nothing runs
// in Restricted Mode.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TaskVerificationRunner, UNTRUSTED_WORKSPACE_REASON } from '../../src/vscode/verificationTask.js';

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/** Node itself, so the test does not depend on `node` being on the server's PATH. */
const node = JSON.stringify(process.execPath);

/** Resolves true as soon as a task with this name is among the running executions. */
async function taskAppears(name: string, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (vscode.tasks.taskExecutions.some((execution) => execution.task.name === name)) {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}

describe('verification task', () => {
  it('runs as a visible task and captures the output and exit code', async () => {
    const label = `Verify (integration ${Date.now()})`;
    const runner = new TaskVerificationRunner(() => Promise.resolve([]), () => 'unsandboxed');
    // The pause keeps the task running long enough for the poll to see it.
    const command = `${node} -e "setTimeout(() => { console.log('hello from task'); process.exit(2); }, 1500)"`;
    const running = runner.run({ command, cwd: workspaceRoot(), timeoutMs: 60_000, label });

    const seen = await taskAppears(label, 10_000);
    const result = await running;

    assert.ok(seen, `a task named "${label}" was among vscode.tasks.taskExecutions`);
    assert.equal(result.exitCode, 2);
    assert.equal(result.timedOut, false);
    assert.equal(result.notRun, undefined);
    assert.match(result.output, /hello from task/);
  });

  it('kills a hanging command on the timeout', async () => {
    const runner = new TaskVerificationRunner(() => Promise.resolve([]), () => 'unsandboxed');
    const result = await runner.run({
      command: `${node} -e "setInterval(() => {}, 1000)"`,
      cwd: workspaceRoot(),
      timeoutMs: 1000,
      label: `Verify hanging (integration ${Date.now()})`,
    });

    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, undefined);
    assert.match(result.output, /timed out after 1 s; killed the process tree/);
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
