// The Coder's bounded conversation: the model asks for tools, the toolbox carries them out, the
// results go back, until it submits its report or the turn budget runs out. Each turn is one
// request on `client`; the engine's client records it (tokens, time, model) as a call.
import type { ChatMessage, ContentPart, ModelClient, ThinkingLevel } from '../models/modelClient.js';
import type { CoderToolbox } from './coderTools.js';
import { coderToolDefinitions } from './coderTools.js';

export interface CoderLoopOptions {
  client: ModelClient;
  system: string;
  firstMessage: string;
  toolbox: CoderToolbox;
  thinking: ThinkingLevel;
  maxTurns: number;
  maxOutputTokens: number;
  signal: AbortSignal;
  onText: (text: string) => void;
  onTool: (name: string, input: Record<string, unknown>) => void;
}

export interface CoderLoopResult {
  turns: number;
  /** Why the loop ended: the report was submitted, the model stopped, or the budget ran out. */
  ended: 'submitted' | 'stopped' | 'budget';
  lastText: string;
}

export async function runCoderLoop(options: CoderLoopOptions): Promise<CoderLoopResult> {
  const messages: ChatMessage[] = [{ role: 'user', content: [{ type: 'text', text: options.firstMessage }] }];
  let lastText = '';
  for (let turn = 1; turn <= options.maxTurns; turn += 1) {
    const content: ContentPart[] = [];
    let text = '';
    for await (const event of options.client.stream(
      {
        purpose: 'implement',
        system: options.system,
        messages,
        tools: [...coderToolDefinitions],
        thinking: options.thinking,
        maxOutputTokens: options.maxOutputTokens,
        // The spec is the stable prefix every turn of the loop sends again.
        cacheablePrefix: 1,
      },
      options.signal,
    )) {
      if (event.type === 'text') {
        text += event.text;
        options.onText(event.text);
      } else if (event.type === 'tool-call') {
        content.push({ type: 'tool-call', id: event.id, name: event.name, input: event.input });
      }
    }
    if (text) {
      content.unshift({ type: 'text', text });
      lastText = text;
    }
    messages.push({ role: 'assistant', content });
    const calls = content.filter((part): part is Extract<ContentPart, { type: 'tool-call' }> => part.type === 'tool-call');
    if (calls.length === 0) return { turns: turn, ended: 'stopped', lastText };
    const results: ContentPart[] = (await options.toolbox.executeTurn(calls, options.onTool)).map(({ call, outcome }) => ({
      type: 'tool-result',
      callId: call.id,
      name: call.name,
      output: outcome.output,
      isError: outcome.isError,
    }));
    messages.push({ role: 'user', content: results });
    if (options.toolbox.report) return { turns: turn, ended: 'submitted', lastText };
  }
  return { turns: options.maxTurns, ended: 'budget', lastText };
}
