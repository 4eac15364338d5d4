// Our provider-neutral request as an OpenAI-compatible `POST …/chat/completions` body. Only the
// fields every compatible server (OpenAI, Ollama, LM Studio, vLLM, llama.cpp, gateways) agrees
// on, plus a few optional extras the client may drop when a server refuses them
// (see openaiCompat.ts).
import type { ChatMessage, ContentPart, ModelRequest, ThinkingLevel } from '../../core/models/modelClient.js';

export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type WireMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: WireToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface WireTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface ChatCompletionBody {
  model: string;
  messages: WireMessage[];
  stream: true;
  stream_options?: { include_usage: true };
  /** The limit every compatible server reads; OpenAI's reasoning models want the next one. */
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  tools?: WireTool[];
  reasoning_effort?: Exclude<ThinkingLevel, 'none'>;
  response_format?: { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict: boolean } };
}

export function buildChatCompletionBody(modelId: string, request: ModelRequest): ChatCompletionBody {
  const body: ChatCompletionBody = {
    model: modelId,
    messages: toWireMessages(request.system, request.messages),
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: request.maxOutputTokens,
    ...(request.temperature !== undefined ? { temperature: Math.min(Math.max(request.temperature, 0), 2) } : {}),
  };
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    body.tools = tools.map((tool) => ({ type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema } }));
  }
  // 'none' sends nothing rather than an effort of its own: most models have no "off" value, and
  // a model without reasoning simply never sees the field.
  if (request.thinking !== 'none') body.reasoning_effort = request.thinking;
  // Structured output and tools together are refused by several servers; the review verdict
  // (the one caller with a schema) uses no tools, and the engine validates the text either way.
  // strict:false because strict mode demands additionalProperties:false and every property
  // required, which our schemas don't promise.
  if (request.jsonSchema && tools.length === 0) {
    body.response_format = { type: 'json_schema', json_schema: { name: 'answer', schema: request.jsonSchema, strict: false } };
  }
  return body;
}

export function toWireMessages(system: string, history: ChatMessage[]): WireMessage[] {
  const messages: WireMessage[] = [];
  if (system) messages.push({ role: 'system', content: system });
  for (const message of history) {
    if (message.role === 'assistant') messages.push(assistantMessage(message.content));
    else messages.push(...userMessages(message.content));
  }
  return messages;
}

function assistantMessage(parts: ContentPart[]): WireMessage {
  const text = joinText(parts);
  const calls: WireToolCall[] = [];
  for (const part of parts) {
    if (part.type === 'tool-call') calls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: JSON.stringify(part.input) } });
  }
  // content:null (not '') next to tool calls is what OpenAI itself sends back and what strict
  // servers expect.
  if (calls.length === 0) return { role: 'assistant', content: text };
  return { role: 'assistant', content: text || null, tool_calls: calls };
}

/**
 * Tool results become `tool` messages, which must directly follow the assistant message that
 * asked for them; any words in the same turn follow as a user message.
 */
function userMessages(parts: ContentPart[]): WireMessage[] {
  const messages: WireMessage[] = [];
  for (const part of parts) {
    if (part.type !== 'tool-result') continue;
    // The chat completions API has no error flag on a tool result, so the words carry it.
    messages.push({ role: 'tool', tool_call_id: part.callId, content: part.isError ? `Error: ${part.output}` : part.output });
  }
  const text = joinText(parts);
  if (text || messages.length === 0) messages.push({ role: 'user', content: text });
  return messages;
}

/** Plain string content: every compatible server reads it, not all read content-part arrays. */
const joinText = (parts: ContentPart[]): string =>
  parts
    .filter((part): part is Extract<ContentPart, { type: 'text' }> => part.type === 'text')
    .map((part) => part.text)
    .join('\n\n');
