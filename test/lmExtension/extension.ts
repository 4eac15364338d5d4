// Test only: a language model provider for vscode.lm, so the extension's `vscode-lm` role provider
// is exercised in the real extension host. It answers through the local fake OpenAI-compatible
// server (test/fakes/openaiServer.ts), which lets tests script and record the conversation with
// the tools they already have. Tests configure it at run time:
//   vscode.commands.executeCommand('dualModelTestLm.configure', { baseUrl, models, failWith? })
// Loaded as a second extensionDevelopmentPath (built to dist/test/lm-extension/).
import * as vscode from 'vscode';

interface TestModel {
  id: string;
  name: string;
  family: string;
  maxInputTokens?: number;
  maxOutputTokens?: number;
}

interface Configuration {
  baseUrl: string;
  models: TestModel[];
  /** The next request fails with this LanguageModelError code (once), to test error mapping. */
  failWith?: 'NoPermissions' | 'Blocked' | 'NotFound';
}

type OpenAiMessage =
  | { role: 'user' | 'assistant'; content: string; tool_calls?: OpenAiToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };
interface OpenAiToolCall { id: string; type: 'function'; function: { name: string; arguments: string } }

/** Browser journeys cannot run a command with arguments: they configure it through the environment. */
let configuration: Configuration = process.env.DUAL_MODEL_TEST_LM_CONFIG
  ? (JSON.parse(process.env.DUAL_MODEL_TEST_LM_CONFIG) as Configuration)
  : { baseUrl: '', models: [] };
/** What the provider received last, for tests that check what vscode.lm delivered. */
let lastRequest: { modelId: string; toolNames: string[]; messageCount: number; requestCount: number } | undefined;
let requestCount = 0;

export function activate(context: vscode.ExtensionContext): void {
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    changed,
    vscode.commands.registerCommand('dualModelTestLm.configure', (next: Configuration) => {
      configuration = next;
      changed.fire();
    }),
    vscode.commands.registerCommand('dualModelTestLm.lastRequest', () => lastRequest),
    vscode.lm.registerLanguageModelChatProvider('dualmodel-test', {
      onDidChangeLanguageModelChatInformation: changed.event,
      provideLanguageModelChatInformation: () =>
        configuration.models.map((model) => ({
          id: model.id,
          name: model.name,
          family: model.family,
          version: '1',
          maxInputTokens: model.maxInputTokens ?? 128_000,
          maxOutputTokens: model.maxOutputTokens ?? 16_000,
          capabilities: { toolCalling: true },
        })),
      provideLanguageModelChatResponse: (model, messages, options, progress, token) => respond(model.id, messages, options, progress, token),
      // Roughly four characters a token, like the usual estimate.
      provideTokenCount: async (_model, text) => Math.ceil((typeof text === 'string' ? text : partsText(text.content)).length / 4),
    }),
  );
  // The workbench asks model providers for their models only when something first needs one; a
  // journey that configured models asks once now, so they are in the Chat view's model picker
  // from the start, as a signed-in user's models are (without a model no chat request is sent).
  if (configuration.models.length > 0) void vscode.lm.selectChatModels({ vendor: 'dualmodel-test' });
}

function partsText(parts: readonly unknown[]): string {
  return parts.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part))).join('');
}

function toOpenAi(messages: readonly vscode.LanguageModelChatRequestMessage[]): OpenAiMessage[] {
  const out: OpenAiMessage[] = [];
  for (const message of messages) {
    const text = message.content.filter((part) => part instanceof vscode.LanguageModelTextPart).map((part) => part.value).join('');
    if (message.role === vscode.LanguageModelChatMessageRole.Assistant) {
      const calls = message.content
        .filter((part) => part instanceof vscode.LanguageModelToolCallPart)
        .map((part): OpenAiToolCall => ({ id: part.callId, type: 'function', function: { name: part.name, arguments: JSON.stringify(part.input) } }));
      out.push({ role: 'assistant', content: text, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
      continue;
    }
    for (const part of message.content) {
      if (part instanceof vscode.LanguageModelToolResultPart) {
        out.push({ role: 'tool', tool_call_id: part.callId, content: partsText(part.content) });
      }
    }
    if (text) out.push({ role: 'user', content: text });
  }
  return out;
}

async function respond(
  modelId: string,
  messages: readonly vscode.LanguageModelChatRequestMessage[],
  options: vscode.ProvideLanguageModelChatResponseOptions,
  progress: vscode.Progress<vscode.LanguageModelResponsePart>,
  token: vscode.CancellationToken,
): Promise<void> {
  requestCount += 1;
  lastRequest = { modelId, toolNames: (options.tools ?? []).map((tool) => tool.name), messageCount: messages.length, requestCount };
  const failure = configuration.failWith;
  if (failure) {
    configuration = { ...configuration, failWith: undefined };
    throw vscode.LanguageModelError[failure](`test provider refused: ${failure}`);
  }
  const abort = new AbortController();
  const cancelled = token.onCancellationRequested(() => abort.abort());
  try {
    const response = await fetch(`${configuration.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: modelId,
        stream: true,
        messages: toOpenAi(messages),
        ...(options.tools?.length
          ? { tools: options.tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema ?? { type: 'object' } } })) }
          : {}),
      }),
      signal: abort.signal,
    });
    if (!response.ok || !response.body) throw new Error(`test provider: HTTP ${response.status} ${await response.text()}`);
    const calls = new Map<number, { id: string; name: string; args: string }>();
    let buffer = '';
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end).trim();
        buffer = buffer.slice(end + 2);
        if (!event.startsWith('data:')) continue;
        const data = event.slice(5).trim();
        if (data === '[DONE]') continue;
        const delta = (JSON.parse(data) as { choices?: { delta?: { content?: string; tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[] } }[] }).choices?.[0]?.delta;
        if (delta?.content) progress.report(new vscode.LanguageModelTextPart(delta.content));
        for (const call of delta?.tool_calls ?? []) {
          const known = calls.get(call.index) ?? { id: call.id ?? `call-${call.index}`, name: '', args: '' };
          known.name += call.function?.name ?? '';
          known.args += call.function?.arguments ?? '';
          calls.set(call.index, known);
        }
      }
    }
    for (const call of calls.values()) {
      progress.report(new vscode.LanguageModelToolCallPart(call.id, call.name, JSON.parse(call.args || '{}') as object));
    }
  } finally {
    cancelled.dispose();
  }
}
