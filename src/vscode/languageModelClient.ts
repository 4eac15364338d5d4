// The `vscode-lm` provider: a role played by a chat model the user already has in VS Code
// (Copilot's, or any extension's that registers one through vscode.lm), with no API key of
// ours. It lives in the VS Code layer, not in src/providers, because vscode.lm is host API.
//
// What vscode.lm does not offer is bridged here: there is no system role (the system prompt
// leads the first user message), no thinking or JSON-output options (the engine's prompts and
// validation already ask for and check the JSON), and no usage report (tokens are counted with
// the model's own countTokens after the answer).
import * as vscode from 'vscode';
import type { ChatMessage, ModelClient, ModelEvent, ModelInfo, ModelRequest, TokenUsage } from '../core/models/modelClient.js';
import { zeroUsage } from '../core/models/modelClient.js';
import { ModelError } from '../core/models/modelErrors.js';
import { RequestLifetime } from '../core/models/requestLifetime.js';
import { messageOf } from './errorMessage.js';

const provider = 'vscode-lm';

/** Why this extension asks for the model; VS Code shows it in its consent prompt. */
const justification = 'Dual-Model runs its Architect or Coder role on this model, as you configured.';

/**
 * The chat models VS Code offers, asked for once and again only when VS Code says they changed
 * (or a call failed): each selectChatModels makes the workbench ask every model provider for its
 * list, too much to do on every turn of a Coder pass. The listener lives as long as the extension
 * host; it is registered on first use, so activation does not touch vscode.lm.
 */
let offered: Promise<readonly vscode.LanguageModelChat[]> | undefined;
let watchingOffered = false;

export function offeredChatModels(): Promise<readonly vscode.LanguageModelChat[]> {
  if (!watchingOffered) {
    watchingOffered = true;
    vscode.lm.onDidChangeChatModels(forgetOfferedChatModels);
  }
  offered ??= Promise.resolve(vscode.lm.selectChatModels()).catch((error: unknown) => {
    forgetOfferedChatModels();
    throw error;
  });
  return offered;
}

function forgetOfferedChatModels(): void {
  offered = undefined;
}

/**
 * The chat models VS Code offers, matched against a role's model setting: a model id, a family
 * or `vendor/family` (e.g. `copilot/gpt-4.1`). Exact ids win over families.
 */
export async function findLanguageModel(wanted: string): Promise<vscode.LanguageModelChat | undefined> {
  const models = await offeredChatModels();
  const [vendor, family] = wanted.includes('/') ? wanted.split('/', 2) : [undefined, wanted];
  return (
    models.find((model) => model.id === wanted) ??
    models.find((model) => model.family === family && (vendor === undefined || model.vendor === vendor)) ??
    models.find((model) => model.name === wanted)
  );
}

/** How a model is named in settings and pickers: its id, unique among VS Code's models. */
export function describeLanguageModel(model: vscode.LanguageModelChat): { id: string; label: string; detail: string } {
  return { id: model.id, label: model.name, detail: `${model.vendor} · ${model.family} · ${Math.round(model.maxInputTokens / 1000)}k tokens in` };
}

export class LanguageModelClient implements ModelClient {
  readonly info: ModelInfo;

  constructor(
    modelId: string,
    displayName: string,
    private readonly requestTimeoutMs: () => number,
  ) {
    this.info = { provider, modelId, displayName, isDemo: false };
  }

  async *stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<ModelEvent> {
    if (signal.aborted) throw cancelled();
    const model = await findLanguageModel(this.info.modelId);
    if (!model) throw await notOffered(this.info.modelId);
    // VS Code holds the key and picks the endpoint; the vendor is what can be said of the route.
    yield { type: 'route', host: `VS Code (${model.vendor})` };
    const messages = toLanguageModelMessages(request);
    const call = new CallControl(signal, this.requestTimeoutMs());
    let text = '';
    const calls: { id: string; name: string; input: Record<string, unknown> }[] = [];
    try {
      const response = await call.race(
        model.sendRequest(
          messages,
          {
            justification,
            ...(request.tools?.length
              ? { tools: request.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema })), toolMode: vscode.LanguageModelChatToolMode.Auto }
              : {}),
          },
          call.token,
        ),
      );
      const parts = response.stream[Symbol.asyncIterator]();
      for (;;) {
        const next = await call.race(parts.next());
        if (next.done) break;
        const part: unknown = next.value;
        if (part instanceof vscode.LanguageModelTextPart) {
          text += part.value;
          yield { type: 'text', text: part.value };
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          const input = (typeof part.input === 'object' && part.input !== null ? part.input : {}) as Record<string, unknown>;
          calls.push({ id: part.callId, name: part.name, input });
          yield { type: 'tool-call', id: part.callId, name: part.name, input };
        }
        // Other parts (data, thinking, from proposed API) carry nothing the roles use.
      }
      yield { type: 'usage', usage: await countUsage(model, messages, text, calls, call.token) };
      yield { type: 'done', stopReason: calls.length > 0 ? 'tool-use' : 'end' };
    } catch (error) {
      // The model may have gone (a signed-out account, a removed extension): look again next time.
      forgetOfferedChatModels();
      throw call.explain(error, this.info.displayName);
    } finally {
      call.dispose();
    }
  }
}

/** The conversation as vscode.lm messages; the system prompt leads the first user message. */
export function toLanguageModelMessages(request: ModelRequest): vscode.LanguageModelChatMessage[] {
  const messages = request.messages.map(toLanguageModelMessage);
  const system = new vscode.LanguageModelTextPart(`${request.system}\n\n`);
  const first = messages[0];
  if (first && first.role === vscode.LanguageModelChatMessageRole.User) {
    messages[0] = vscode.LanguageModelChatMessage.User([system, ...(first.content as (vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart)[])]);
  } else {
    messages.unshift(vscode.LanguageModelChatMessage.User([system]));
  }
  return messages;
}

function toLanguageModelMessage(message: ChatMessage): vscode.LanguageModelChatMessage {
  if (message.role === 'assistant') {
    const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
    for (const part of message.content) {
      if (part.type === 'text') parts.push(new vscode.LanguageModelTextPart(part.text));
      else if (part.type === 'tool-call') parts.push(new vscode.LanguageModelToolCallPart(part.id, part.name, part.input));
    }
    return vscode.LanguageModelChatMessage.Assistant(parts);
  }
  const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart)[] = [];
  for (const part of message.content) {
    if (part.type === 'text') parts.push(new vscode.LanguageModelTextPart(part.text));
    // No error flag in vscode.lm: the words say it, as they would to a person.
    else if (part.type === 'tool-result') parts.push(new vscode.LanguageModelToolResultPart(part.callId, [new vscode.LanguageModelTextPart(part.isError ? `Error: ${part.output}` : part.output)]));
  }
  return vscode.LanguageModelChatMessage.User(parts);
}

/** Tokens as the model itself counts them: two countTokens calls, one each way. */
async function countUsage(
  model: vscode.LanguageModelChat,
  messages: vscode.LanguageModelChatMessage[],
  text: string,
  calls: { name: string; input: Record<string, unknown> }[],
  token: vscode.CancellationToken,
): Promise<TokenUsage> {
  const inputText = messages
    .flatMap((message) => message.content)
    .map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part)))
    .join('\n');
  const outputText = text + calls.map((call) => `${call.name}${JSON.stringify(call.input)}`).join('');
  try {
    const [inputTokens, outputTokens] = await Promise.all([model.countTokens(inputText, token), outputText ? model.countTokens(outputText, token) : 0]);
    return { ...zeroUsage(), inputTokens, outputTokens };
  } catch {
    // A count is nice to have; the answer is what matters.
    return zeroUsage();
  }
}

/** Why a model setting names nothing VS Code offers, and what is offered instead. */
export async function languageModelMissing(wanted: string): Promise<string> {
  const available = (await offeredChatModels()).map((model) => model.id);
  return `VS Code offers no chat model "${wanted}". ${available.length > 0 ? `Available: ${available.join(', ')}.` : 'No extension offers a chat model right now (install or sign in to one, such as GitHub Copilot).'} Pick one with "Dual-Model: Configure Roles".`;
}

async function notOffered(wanted: string): Promise<ModelError> {
  return new ModelError('not-found', await languageModelMissing(wanted), { provider });
}

const cancelled = (): ModelError => new ModelError('cancelled', 'The request was cancelled.', { provider });

/**
 * One call's cancellation: the run's signal and the request's time limit (one RequestLifetime)
 * cancel the same token, which tells the model's provider to stop; `explain` says which it was.
 */
class CallControl {
  private readonly lifetime: RequestLifetime;
  private readonly source = new vscode.CancellationTokenSource();
  private readonly stopped: Promise<never>;
  private readonly onStop = (): void => this.source.cancel();

  constructor(
    private readonly signal: AbortSignal,
    timeoutMs: number,
  ) {
    this.lifetime = new RequestLifetime(signal, timeoutMs);
    if (this.lifetime.signal.aborted) this.source.cancel();
    else this.lifetime.signal.addEventListener('abort', this.onStop, { once: true });
    // A provider that ignores the token must not hold the run: waits race this promise.
    this.stopped = new Promise<never>((_, reject) => this.source.token.onCancellationRequested(() => reject(new vscode.CancellationError())));
    this.stopped.catch(() => undefined);
  }

  get token(): vscode.CancellationToken {
    return this.source.token;
  }

  race<T>(work: Thenable<T>): Promise<T> {
    return Promise.race([work, this.stopped]);
  }

  explain(error: unknown, displayName: string): ModelError {
    if (this.signal.aborted) return cancelled();
    if (this.lifetime.stoppedBy === 'timeout') return new ModelError('timeout', `${displayName} did not finish within ${Math.round(this.lifetime.timeoutMs / 1000)} s.`, { provider });
    if (error instanceof ModelError) return error;
    if (error instanceof vscode.LanguageModelError) return fromLanguageModelError(error, displayName);
    const message = messageOf(error);
    return new ModelError('server', `${displayName} failed in VS Code: ${message}`, { provider });
  }

  dispose(): void {
    // Unhooked first: a finished request's token is not cancelled on the way out.
    this.lifetime.signal.removeEventListener('abort', this.onStop);
    this.lifetime.dispose();
    this.source.dispose();
  }
}

function fromLanguageModelError(error: vscode.LanguageModelError, displayName: string): ModelError {
  switch (error.code) {
    case 'NoPermissions':
      return new ModelError('auth', `VS Code did not allow Dual-Model to use ${displayName} (${error.message}). Allow it when VS Code asks, or under "Manage Language Model Access" in the Accounts menu, then retry.`, { provider });
    case 'Blocked':
      // Quotas and rate limits of the model's provider show up as Blocked.
      return new ModelError('rate-limited', `VS Code blocked the request to ${displayName} (${error.message}); this is usually a quota or rate limit.`, { provider });
    case 'NotFound':
      return new ModelError('not-found', `${displayName} is no longer offered in VS Code (${error.message}). Pick another with "Dual-Model: Configure Roles".`, { provider });
    default:
      return new ModelError('server', `${displayName} failed in VS Code: ${error.message}`, { provider });
  }
}
