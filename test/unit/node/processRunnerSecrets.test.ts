// A verification command is code the workspace (or the Coder) wrote. Against real processes:
// it gets none of the provider keys in its environment, and whatever key text it prints anyway
// is gone from everything runProcess hands on (the terminal stream and the captured output).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runProcess, type ProcessRunnerOptions } from '../../../src/node/processRunner.js';
import type { VerificationResult } from '../../../src/core/ports.js';

const posixDescribe = process.platform === 'win32' ? describe.skip : describe;
const NODE = JSON.stringify(process.execPath);

const KEYS: Readonly<Record<string, string>> = {
  ANTHROPIC_API_KEY: 'sk-ant-api03-envAnthropicKey-0000000000001111',
  GEMINI_API_KEY: 'AIzaSyEnvGeminiKey-00000000000000002222',
  GOOGLE_API_KEY: 'AIzaSyEnvGoogleKey-00000000000000003333',
  OPENAI_API_KEY: 'sk-proj-envOpenAiKey-000000000000000004444',
};
/** A key only SecretStorage knows: the child cannot read it, but a test could have it hard-coded. */
const STORED_KEY = 'sk-ant-api03-storedInSecretStorage-00005555';

posixDescribe('runProcess with provider keys around', () => {
  let dir: string;
  const saved = new Map<string, string | undefined>();

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dual-model-secrets-'));
    for (const [name, value] of Object.entries(KEYS)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
  });
  afterEach(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  async function run(command: string, options: Partial<ProcessRunnerOptions> = {}): Promise<{ result: VerificationResult; streamed: string }> {
    const chunks: string[] = [];
    const result = await runProcess({ command, cwd: dir, timeoutMs: 30_000, label: 'test' }, (chunk) => chunks.push(chunk), {
      secrets: [...Object.values(KEYS), STORED_KEY],
      ...options,
    });
    return { result, streamed: chunks.join('') };
  }

  function assertNoKey(text: string): void {
    for (const key of [...Object.values(KEYS), STORED_KEY]) {
      assert.ok(!text.includes(key), `a key leaked into: ${text.slice(0, 2000)}`);
    }
  }

  it('starts the command with no provider key variable in its environment', async () => {
    process.env['DUAL_MODEL_TEST_VAR'] = 'still-inherited';
    try {
      // No redaction here: the variables must be absent, not merely hidden in the output.
      const { result } = await run(`${NODE} -e "console.log(JSON.stringify(process.env))"`, { secrets: [] });
      assert.equal(result.exitCode, 0);
      const environment = JSON.parse(result.output) as Record<string, string>;
      for (const name of Object.keys(KEYS)) {
        assert.equal(environment[name], undefined, `${name} reached the command`);
      }
      assert.equal(environment['DUAL_MODEL_TEST_VAR'], 'still-inherited', 'the rest of the environment is kept');
      assertNoKey(result.output);
    } finally {
      delete process.env['DUAL_MODEL_TEST_VAR'];
    }
  });

  it('keeps the key variables out of `env` run through the shell too', async () => {
    const { result } = await run('env', { secrets: [] });
    assert.equal(result.exitCode, 0);
    for (const name of Object.keys(KEYS)) {
      assert.doesNotMatch(result.output, new RegExp(`^${name}=`, 'm'));
    }
  });

  it('redacts a key the command prints in pieces, over several writes', async () => {
    // The halves go out as separate writes with a pause, so the pipe delivers them apart.
    const script = path.join(dir, 'leak.cjs');
    const key = STORED_KEY;
    await writeFile(
      script,
      `const key = ${JSON.stringify(key)};
       process.stdout.write('the key is ' + key.slice(0, 9));
       setTimeout(() => process.stdout.write(key.slice(9, 20)), 150);
       setTimeout(() => { process.stdout.write(key.slice(20) + ' and again ' + key.slice(0, 30)); }, 300);
       setTimeout(() => process.stderr.write(key.slice(30) + '\\n'), 450);`,
    );
    const { result, streamed } = await run(`${NODE} leak.cjs`);
    assert.equal(result.exitCode, 0);
    assertNoKey(streamed);
    assertNoKey(result.output);
    assert.equal(result.output, 'the key is [redacted key ••••5555] and again [redacted key ••••5555]\n');
  });

  it('redacts a key cut by colour codes, which the captured text would otherwise join', async () => {
    const key = STORED_KEY;
    const { result } = await run(String.raw`printf '%s\033[0m%s\n' ${key.slice(0, 12)} ${key.slice(12)}`);
    assert.equal(result.exitCode, 0);
    assertNoKey(result.output);
  });

  it('redacts a key that ends the output without a newline', async () => {
    const { result, streamed } = await run(`printf '%s' ${STORED_KEY}`);
    assertNoKey(streamed);
    assertNoKey(result.output);
    assert.equal(result.output, '[redacted key ••••5555]');
  });

  it('holds nothing back when no key is known', async () => {
    const { result, streamed } = await run('echo sk-ant-api03; printf partial', { secrets: [] });
    assert.equal(result.output, 'sk-ant-api03\npartial');
    assert.equal(streamed, 'sk-ant-api03\npartial');
  });
});
