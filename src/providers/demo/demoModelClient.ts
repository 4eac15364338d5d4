// The offline demo provider: a ModelClient that replays a scripted Architect and Coder on the
// sample workspace. It goes through the same port, tool loop, task runner and parsers as a
// real model; only the words come from a script. Everything it makes is labelled as a demo.
import type { ChatMessage, ContentPart, ModelClient, ModelEvent, ModelInfo, ModelRequest } from '../../core/models/modelClient.js';
import {
  demoBlockerV1,
  demoQuestionAnswer,
  demoRedesignSpec,
  demoSpecV1,
  demoSpecV2,
  slugifySourceV1,
  slugifyTestV1,
  transliterateEdit,
  transliterateTest,
} from './demoScript.js';
import {
  asksForBatch,
  demoBatchFixSpec,
  demoBatchSpecs,
  titleCaseSource,
  titleCaseTest,
  wordCountBlocker,
  wordCountBuggy,
  wordCountFixed,
  wordCountTest,
} from './demoBatchScript.js';

type Step = { text?: string; calls?: { name: string; input: Record<string, unknown> }[] };

export class DemoModelClient implements ModelClient {
  constructor(
    readonly info: ModelInfo,
    /** Delay between streamed chunks, so the demo reads like a model at work (0 in tests). */
    private readonly latencyMs: () => number,
    private readonly now: () => Date,
  ) {}

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    signal.throwIfAborted();
    const step = this.answer(request);
    yield { type: 'route', host: 'offline demo' };
    const text = step.text ?? '';
    for (let at = 0; at < text.length; at += 48) {
      await this.pause(signal);
      yield { type: 'text', text: text.slice(at, at + 48) };
    }
    let id = 0;
    for (const call of step.calls ?? []) {
      await this.pause(signal);
      id += 1;
      yield { type: 'tool-call', id: `demo-${request.messages.length}-${id}`, name: call.name, input: call.input };
    }
    const inputChars = request.system.length + request.messages.reduce((sum, message) => sum + messageChars(message), 0);
    yield {
      type: 'usage',
      usage: { inputTokens: Math.ceil(inputChars / 4), outputTokens: Math.ceil((text.length + JSON.stringify(step.calls ?? []).length) / 4), cacheReadTokens: 0, cacheWriteTokens: 0, thinkingTokens: 0 },
    };
    yield { type: 'done', stopReason: step.calls?.length ? 'tool-use' : 'end' };
  }

  private answer(request: ModelRequest): Step {
    switch (request.purpose) {
      case 'identity':
        return { text: `${this.info.modelId} (offline demo replay)` };
      case 'spec':
        return { text: this.spec(lastUserText(request.messages)) };
      case 'implement':
        return this.implementStep(request.messages);
      case 'review':
        return { text: this.review(lastUserText(request.messages)) };
      case 'spec-question':
        return { text: demoSpecAnswer(lastUserText(request.messages)) };
      case 'question':
        return { text: demoQuestionAnswer(lastUserText(request.messages)) };
      case 'judge':
        return { text: demoJudgeAnswer(lastUserText(request.messages)) };
      case 'accept':
        return { text: demoAcceptance(lastUserText(request.messages)) };
    }
  }

  private spec(prompt: string): string {
    const created = this.now().toISOString();
    const architect = `${this.info.displayName}`;
    if (prompt.includes('## Fundamental redesign')) {
      const reasons = prompt.split('## Fundamental redesign')[1]?.split('Reasons:')[1] ?? '';
      return `Here is the redesigned Code Spec.\n\n${demoRedesignSpec(architect, created, reasons)}`;
    }
    const request = /## Request\n\n([\s\S]*?)\n\n## /.exec(prompt)?.[1] ?? 'Add a slugify utility';
    if (prompt.includes('## Revisions needed')) return asksForBatch(request) ? demoBatchFixSpec(architect, created) : demoSpecV2(architect, created);
    return asksForBatch(request) ? demoBatchSpecs(request, architect, created) : demoSpecV1(request, architect, created);
  }

  /** The Coder's turns, keyed on how far the conversation has got. */
  private implementStep(messages: ChatMessage[]): Step {
    const turn = messages.filter((message) => message.role === 'assistant').length;
    const spec = firstUserText(messages);
    const batchSteps = demoBatchSteps(spec);
    if (batchSteps) return batchSteps[Math.min(turn, batchSteps.length - 1)] ?? {};
    const revision = spec.includes('CS-DEMO-002');
    if (revision) {
      const steps: Step[] = [
        { text: 'Reading the current implementation.', calls: [{ name: 'read_file', input: { path: 'src/slugify.js' } }] },
        {
          text: 'Transliterating with NFKD and adding the test.',
          calls: [
            { name: 'edit_file', input: { path: 'src/slugify.js', old_text: transliterateEdit.oldText, new_text: transliterateEdit.newText } },
            { name: 'write_file', input: { path: 'test/slugify.test.js', content: slugifyTestV1 + transliterateTest } },
          ],
        },
        { text: 'Running the verification.', calls: [{ name: 'run_verification', input: {} }] },
        {
          calls: [
            {
              name: 'submit_report',
              input: {
                summary: 'slugify now decomposes text with NFKD and strips combining marks, so accented letters are transliterated; the TODO(architect) marker is gone and a test covers it.',
                blockers: [],
                deviations: [],
              },
            },
          ],
        },
      ];
      return steps[Math.min(turn, steps.length - 1)] ?? {};
    }
    const indexSource = toolOutput(messages, 'read_file') ?? '';
    const steps: Step[] = [
      { text: 'Looking at the package first.', calls: [{ name: 'list_directory', input: { path: '.' } }, { name: 'read_file', input: { path: 'src/index.js' } }] },
      {
        text: 'Writing slugify, its tests, and the re-export.',
        calls: [
          { name: 'write_file', input: { path: 'src/slugify.js', content: slugifySourceV1 } },
          { name: 'write_file', input: { path: 'test/slugify.test.js', content: slugifyTestV1 } },
          ...reExport(indexSource),
        ],
      },
      { text: 'Running the verification.', calls: [{ name: 'run_verification', input: {} }] },
      {
        calls: [
          {
            name: 'submit_report',
            input: {
              summary: 'Added `slugify` in src/slugify.js with tests in test/slugify.test.js and re-exported it from src/index.js.',
              blockers: [demoBlockerV1],
              deviations: [],
            },
          },
        ],
      },
    ];
    return steps[Math.min(turn, steps.length - 1)] ?? {};
  }

  private review(prompt: string): string {
    const failed = /\*\*Result:\*\*\s*FAIL/.test(prompt);
    if (prompt.includes('# Code Report — CS-DEMO-B01')) {
      return json({
        outcome: 'revisions-needed',
        reasons: 'Specs 01 and 03 are done and pass. Spec 02 failed its verification: `wordCount` counts the empty strings that surrounding spaces leave. CS-DEMO-B04 fixes it.',
        blockerAnswers: [{ question: wordCountBlocker, answer: 'Yes: split on runs of whitespace and ignore empty strings.' }],
        revisedSpec: demoBatchFixSpec(this.info.displayName, this.now().toISOString()),
      });
    }
    if (prompt.includes('# Code Report — CS-DEMO-B04')) {
      return failed
        ? json({ outcome: 'revisions-needed', reasons: 'The verification still fails.', blockerAnswers: [], revisedSpec: demoBatchFixSpec(this.info.displayName, this.now().toISOString()) })
        : json({ outcome: 'approved', reasons: 'wordCount now ignores surrounding whitespace; the whole batch passes.', blockerAnswers: [] });
    }
    const revisionDone = prompt.includes('# Code Report — CS-DEMO-002');
    if (!failed && revisionDone) {
      return json({ outcome: 'approved', reasons: 'Accented letters are transliterated, the new test passes and nothing else changed.', blockerAnswers: [] });
    }
    if (failed) {
      return json({
        outcome: 'revisions-needed',
        reasons: 'The verification failed; the implementation must make `node --test` pass.',
        blockerAnswers: [],
        revisedSpec: demoSpecV2(this.info.displayName, this.now().toISOString()),
      });
    }
    return json({
      outcome: 'revisions-needed',
      reasons: 'The implementation and tests are correct. One decision is open: accented letters should be transliterated, not dropped — titles like "Crème Brûlée" must keep their letters.',
      blockerAnswers: [{ question: demoBlockerV1, answer: 'Transliterate: decompose with NFKD and strip combining marks. CS-DEMO-002 specifies it.' }],
      revisedSpec: demoSpecV2(this.info.displayName, this.now().toISOString()),
    });
  }

  private async pause(signal: AbortSignal): Promise<void> {
    const ms = this.latencyMs();
    if (ms > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        }, { once: true });
      });
    }
    signal.throwIfAborted();
  }
}

/** The demo Coder's turns on the batch's specs (the first is the slugify spec); undefined for any other spec. */
function demoBatchSteps(spec: string): Step[] | undefined {
  const write = (path: string, content: string) => ({ name: 'write_file', input: { path, content } });
  const verify: Step = { text: 'Running the verification.', calls: [{ name: 'run_verification', input: {} }] };
  // By the Spec ID: the fix names the batch's specs in its context.
  const is = (id: string): boolean => spec.includes(`**Spec ID:** ${id}`);
  const report = (summary: string, blockers: string[] = []): Step => ({ calls: [{ name: 'submit_report', input: { summary, blockers, deviations: [] } }] });
  if (is('CS-DEMO-B01')) {
    return [
      { text: 'Spec 01: writing slugify and its tests.', calls: [write('src/slugify.js', slugifySourceV1), write('test/slugify.test.js', slugifyTestV1)] },
      verify,
      report('Added `slugify` in src/slugify.js with tests in test/slugify.test.js.', [demoBlockerV1]),
    ];
  }
  if (is('CS-DEMO-B02')) {
    return [
      { text: 'Spec 02: writing wordCount and its test.', calls: [write('src/wordCount.js', wordCountBuggy), write('test/wordCount.test.js', wordCountTest)] },
      verify,
      report('Added `wordCount` in src/wordCount.js with its test; the test of surrounding whitespace fails.', [wordCountBlocker]),
    ];
  }
  if (is('CS-DEMO-B03')) {
    return [
      { text: 'Spec 03: writing titleCase and its test.', calls: [write('src/titleCase.js', titleCaseSource), write('test/titleCase.test.js', titleCaseTest)] },
      verify,
      report('Added `titleCase` in src/titleCase.js with its test.'),
    ];
  }
  if (is('CS-DEMO-B04')) {
    return [{ text: 'Splitting on runs of whitespace.', calls: [write('src/wordCount.js', wordCountFixed)] }, verify, report('`wordCount` now splits on runs of whitespace and ignores empty strings; its test passes.')];
  }
  return undefined;
}

/** The edit that re-exports slugify from src/index.js; none when it already does (a redesign pass). */
function reExport(indexSource: string): { name: string; input: Record<string, unknown> }[] {
  if (indexSource.includes('slugify')) return [];
  const exportsLine = /module\.exports = \{ ?([^}]*?) ?\};/.exec(indexSource);
  if (exportsLine) {
    return [
      {
        name: 'edit_file',
        input: {
          path: 'src/index.js',
          old_text: exportsLine[0],
          new_text: `const { slugify } = require('./slugify');\n\nmodule.exports = { ${exportsLine[1]}, slugify };`,
        },
      },
    ];
  }
  return [{ name: 'write_file', input: { path: 'src/index.js', content: `${indexSource}\nmodule.exports.slugify = require('./slugify').slugify;\n` } }];
}

const json = (value: unknown): string => `Review complete.\n\n\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\`\n`;

const textOf = (content: ContentPart[]): string => content.map((part) => (part.type === 'text' ? part.text : '')).join('');
const lastUserText = (messages: ChatMessage[]): string => textOf([...messages].reverse().find((m) => m.role === 'user')?.content ?? []);
const firstUserText = (messages: ChatMessage[]): string => textOf(messages.find((m) => m.role === 'user')?.content ?? []);

function toolOutput(messages: ChatMessage[], name: string): string | undefined {
  for (const message of messages) {
    for (const part of message.content) if (part.type === 'tool-result' && part.name === name && !part.isError) return part.output;
  }
  return undefined;
}

function messageChars(message: ChatMessage): number {
  return message.content.reduce((sum, part) => sum + (part.type === 'text' ? part.text.length : part.type === 'tool-result' ? part.output.length : JSON.stringify(part.input).length), 0);
}

/** The demo Architect's answer about its spec: it names the question, so a user sees it was heard. */
function demoSpecAnswer(prompt: string): string {
  const question = (prompt.split('## Question').at(-1) ?? '').trim().split('\n')[0]?.slice(0, 200) ?? '';
  return `You asked: "${question}". The spec keeps \`slugify\` small on purpose: it lowercases, joins words with the separator and drops what is not a letter or digit. If you want accented letters transliterated instead of dropped, ask me to revise the spec and I will add that to the Test Expectations. (offline demo replay)`;
}

/** The demo Architect accepts a change it can see, and refuses an empty one. */
function demoAcceptance(prompt: string): string {
  const empty = /```diff\n\(no change\)\n```/.test(prompt);
  return json(empty ? { accepted: false, reasons: 'The diff is empty: nothing the spec asks for was done. (offline replay)' } : { accepted: true, reasons: 'The change does what the spec asks and stays in its files. (offline replay)' });
}

/**
 * The demo judge picks the first candidate shown (the best by the facts). Its reasons say
 * "offline replay", not the provider's name: the engine takes every Coder's provider out of a
 * judge's reasons, and "demo" would read "[a model]" there.
 */
function demoJudgeAnswer(prompt: string): string {
  const pick = /^## Candidate ([A-H])$/m.exec(prompt)?.[1] ?? 'A';
  return json({ pick, reasons: `Candidate ${pick} passes its verification and keeps closest to the spec. (offline replay)` });
}
