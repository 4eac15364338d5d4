// One scripted loop for the fakes: the Architect (Anthropic) writes a small spec, the Coder
// (OpenAI-compatible) writes two files, runs the verification and reports, the Architect
// approves. Shared by the integration test and the browser journey on real providers.
import { renderCodeSpec } from '../../src/core/artifacts/codeSpec';
import type { FakeAnthropicServer } from './anthropicServer';
import type { FakeOpenAiServer } from './openaiServer';

export const loopSpec = renderCodeSpec({
  title: 'Add a greet helper',
  specId: 'CS-REAL-001',
  architect: 'Claude Opus 4.6 (Thinking)',
  created: '2026-11-25T00:00:00Z',
  priority: 'P2',
  objective: 'Add `greet(name)` returning "Hello, <name>!".',
  files: [
    { action: 'NEW', path: 'src/greet.js', purpose: 'The greeting.', contents: ['`function greet(name)`'] },
    { action: 'NEW', path: 'test/greet.test.js', purpose: 'Its test.', contents: ['`greet says hello`'] },
  ],
  tests: [{ name: 'greet says hello', description: 'greet("Ada") is "Hello, Ada!"', checked: false }],
  guardrails: ['do not touch `package.json`'],
  verification: { language: 'bash', command: 'node --test test/greet.test.js' },
  context: '',
});

const args = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  return [text.slice(0, 10), text.slice(10)];
};


export function enqueueSpec(anthropic: FakeAnthropicServer, startGate?: Promise<void>): void {
  anthropic.enqueue({
    kind: 'answer',
    ...(startGate ? { startGate } : {}),
    blocks: [{ type: 'thinking', thinking: 'Plan the greet helper.', signature: 'sig' }, { type: 'text', text: loopSpec }],
    chunkSize: 40,
    usage: { input_tokens: 1200, output_tokens: 300 },
  });
}

export function enqueueCoder(openai: FakeOpenAiServer): void {
  openai.enqueue(
    { kind: 'answer', text: ['qwen3-coder'] },
    {
      kind: 'answer',
      toolCalls: [
        { id: 'c1', name: 'write_file', argumentFragments: args({ path: 'src/greet.js', content: greetSource }) },
        { id: 'c2', name: 'write_file', argumentFragments: args({ path: 'test/greet.test.js', content: greetTest }) },
      ],
      usage: { prompt_tokens: 900, completion_tokens: 120 },
    },
    { kind: 'answer', toolCalls: [{ id: 'c3', name: 'run_verification', argumentFragments: ['{}'] }] },
    { kind: 'answer', toolCalls: [{ id: 'c4', name: 'submit_report', argumentFragments: args({ summary: 'Added greet and its test.', blockers: [], deviations: [] }) }] },
  );
}

export function enqueueReview(anthropic: FakeAnthropicServer): void {
  anthropic.enqueue(
    { kind: 'answer', blocks: [{ type: 'text', text: 'claude-opus-4-6' }] },
    { kind: 'answer', blocks: [{ type: 'text', text: '```json\n{"outcome":"approved","reasons":"Correct and tested.","blockerAnswers":[]}\n```' }] },
  );
}

export const greetSource = "exports.greet = (name) => `Hello, ${name}!`;\n";
const greetTest =
  "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { greet } = require('../src/greet');\ntest('greet says hello', () => assert.equal(greet('Ada'), 'Hello, Ada!'));\n";
