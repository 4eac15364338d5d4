// What the division and swarm benches share: a spec set in which each spec adds one constant file
// (src/<id>.js, checked by requiring it), and a fake Coder that writes its spec's file in one
// answer and reports in the next; the HARD STOP's identity check is answered as the demo would.
import { renderCodeSpec } from '../../src/core/artifacts/codeSpec.js';
import type { ModelClient, ModelEvent, ModelRequest, TokenUsage } from '../../src/core/models/modelClient.js';
import type { ModelTier } from '../../src/core/models/registry.js';
import type { RoleSnapshot } from '../../src/core/workflow/roleSnapshot.js';
import { demoClient } from '../unit/support/engineHarness.js';

/** The specs as the Architect's answer: `---` between them, the first saying how many there are. */
export function constantSpecs(specs: readonly { id: string; complexity?: ModelTier }[]): string {
  return specs
    .map(({ id, complexity }, index) =>
      renderCodeSpec({
        title: `Add ${id}`,
        specId: id,
        architect: 'bench',
        created: '2026-11-28T00:00:00Z',
        priority: 'P2',
        ...(index === 0 && specs.length > 1 ? { batch: { total: specs.length } } : {}),
        ...(complexity ? { complexity } : {}),
        objective: `Add ${id}.`,
        files: [{ action: 'NEW', path: `src/${id}.js`, purpose: 'a constant', contents: ['a constant'] }],
        tests: [],
        guardrails: [],
        verification: { language: 'bash', command: `node -e "require('./src/${id}.js')"` },
        context: '',
      }),
    )
    .join('\n---\n\n');
}

export interface ConstantCoderOptions {
  /** Waited before each answer. */
  latencyMs?: (specId: string) => number;
  /** Reported with each answer. */
  usage?: TokenUsage;
  /** This model writes a file that does not load, so the spec's verification fails. */
  breaks?: (specId: string, role: RoleSnapshot) => boolean;
}

export function constantCoder(role: RoleSnapshot, options: ConstantCoderOptions = {}): ModelClient {
  return {
    info: { provider: role.provider, modelId: role.modelId, displayName: role.displayName, isDemo: false },
    async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
      if (request.purpose !== 'implement') return yield* demoClient(role).stream(request, signal);
      const text = (request.messages[0]?.content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
      const id = /Spec ID:\*\* (\S+)/.exec(text)?.[1] ?? '?';
      const latency = options.latencyMs?.(id) ?? 0;
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const turn = request.messages.filter((message) => message.role === 'assistant').length;
      const content = options.breaks?.(id, role) ? 'module.exports = (;\n' : `module.exports = '${id}';\n`;
      const call = turn === 0 ? { name: 'write_file', input: { path: `src/${id}.js`, content } } : { name: 'submit_report', input: { summary: 'done', blockers: [], deviations: [] } };
      yield { type: 'tool-call', id: `${id}-${role.modelId}-${turn}`, name: call.name, input: call.input };
      if (options.usage) yield { type: 'usage', usage: options.usage };
      yield { type: 'done', stopReason: 'tool-use' };
    },
  };
}
