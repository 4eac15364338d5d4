// The scripted loop of scriptedLoop.ts, spoken by the Gemini fake: the Architect (Gemini) thinks
// and writes the same small spec, the Coder (Gemini) writes the same two files with function
// calls, runs the verification and reports, the Architect approves with JSON. Answers are cut
// into several parts (one streamed chunk each) and signed as Gemini 3 signs them, so the client
// has to assemble them and send its own turns back unchanged.
import type { FakeGeminiPart, FakeGeminiReply, FakeGeminiServer } from './geminiServer';
import { greetSource, loopSpec } from './scriptedLoop';

// scriptedLoop.ts keeps its test file to itself; the same content, so the same test runs.
export const greetTest =
  "const test = require('node:test');\nconst assert = require('node:assert/strict');\nconst { greet } = require('../src/greet');\ntest('greet says hello', () => assert.equal(greet('Ada'), 'Hello, Ada!'));\n";

/** Several text parts, so the spec reaches the client in several chunks. */
function pieces(text: string, count: number): FakeGeminiPart[] {
  const size = Math.ceil(text.length / count);
  const parts: FakeGeminiPart[] = [];
  for (let start = 0; start < text.length; start += size) parts.push({ text: text.slice(start, start + size) });
  return parts;
}

const specParts: FakeGeminiPart[] = [{ text: 'Plan the greet helper.', thought: true, thoughtSignature: 'c3BlYy1zaWc=' }, ...pieces(loopSpec, 4)];

export function enqueueGeminiSpec(gemini: FakeGeminiServer): void {
  gemini.enqueue({
    kind: 'answer',
    parts: specParts,
    // 300 of the 1500 prompt tokens were an implicit cache hit; Gemini counts them in both.
    usage: { promptTokenCount: 1500, cachedContentTokenCount: 300, candidatesTokenCount: 400, thoughtsTokenCount: 120 },
  });
}

/** The Coder's first turn: a thought, then both files, the first call signed (as Gemini 3 does). */
export const writeTurnParts: FakeGeminiPart[] = [
  { text: 'Two new files, then the test.', thought: true },
  { functionCall: { id: 'fc-1', name: 'write_file', args: { path: 'src/greet.js', content: greetSource } }, thoughtSignature: 'Y29kZXItc2ln' },
  { functionCall: { id: 'fc-2', name: 'write_file', args: { path: 'test/greet.test.js', content: greetTest } } },
];

const verifyTurnParts: FakeGeminiPart[] = [{ functionCall: { id: 'fc-3', name: 'run_verification', args: {} }, thoughtSignature: 'dmVyaWZ5LXNpZw==' }];

const reportTurnParts: FakeGeminiPart[] = [
  { functionCall: { id: 'fc-4', name: 'submit_report', args: { summary: 'Added greet and its test.', blockers: [], deviations: [] } } },
];

/**
 * The Coder's HARD STOP check and its three turns. `beforeVerifyTurn` and `beforeReportTurn` are
 * replies (failures, typically) the server gives first, in place of those turns' answers.
 */
export function enqueueGeminiCoder(
  gemini: FakeGeminiServer,
  options: { modelId: string; beforeVerifyTurn?: FakeGeminiReply[]; beforeReportTurn?: FakeGeminiReply[] },
): void {
  gemini.enqueue(
    { kind: 'answer', parts: [{ text: options.modelId }] },
    { kind: 'answer', parts: writeTurnParts, usage: { promptTokenCount: 900, candidatesTokenCount: 120 } },
    ...(options.beforeVerifyTurn ?? []),
    { kind: 'answer', parts: verifyTurnParts, usage: { promptTokenCount: 1000, candidatesTokenCount: 20 } },
    ...(options.beforeReportTurn ?? []),
    { kind: 'answer', parts: reportTurnParts, usage: { promptTokenCount: 1100, candidatesTokenCount: 60 } },
  );
}

const verdictJson = '{"outcome":"approved","reasons":"Correct and tested.","blockerAnswers":[]}';

/**
 * The Architect's HARD STOP check, then its verdict as bare JSON (Gemini's JSON mode), after the
 * replies in `beforeVerdict` if any.
 */
export function enqueueGeminiReview(gemini: FakeGeminiServer, options: { modelId: string; beforeVerdict?: FakeGeminiReply[] }): void {
  gemini.enqueue(
    { kind: 'answer', parts: [{ text: options.modelId }] },
    ...(options.beforeVerdict ?? []),
    { kind: 'answer', parts: [{ text: verdictJson.slice(0, 20) }, { text: verdictJson.slice(20) }], usage: { promptTokenCount: 2000, candidatesTokenCount: 50 } },
  );
}
