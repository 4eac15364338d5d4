// Maps a provider-neutral ModelRequest onto the body of one streamed Messages API call.
import type {
  CacheControlEphemeral,
  ContentBlockParam,
  MessageCreateParamsStreaming,
  MessageParam,
  OutputConfig,
  Tool,
} from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage, ContentPart, ModelRequest, ToolDefinition } from '../../core/models/modelClient.js';
import type { AssistantTurnMemory } from './assistantTurnMemory.js';

const ephemeral: CacheControlEphemeral = { type: 'ephemeral' };

export function toAnthropicParams(modelId: string, request: ModelRequest, turns: AssistantTurnMemory): MessageCreateParamsStreaming {
  const cacheable = request.cacheablePrefix !== undefined;
  const params: MessageCreateParamsStreaming = {
    model: modelId,
    max_tokens: request.maxOutputTokens,
    stream: true,
    messages: toMessages(modelId, request, turns),
  };
  // The API refuses empty text blocks, so an empty system prompt is left out altogether.
  if (request.system) params.system = [{ type: 'text', text: request.system, ...(cacheable ? { cache_control: ephemeral } : {}) }];
  if (request.tools?.length) params.tools = request.tools.map(toTool);
  // No temperature: the Messages API of this SDK (1.12) has no such parameter, so a kv.* caller's
  // temperature is not sent to Anthropic models (Gemini and OpenAI-compatible servers get it).
  const outputConfig: OutputConfig = {};
  if (request.thinking !== 'none') {
    // Adaptive thinking with an effort is the current form; `enabled` + budget_tokens is deprecated.
    params.thinking = { type: 'adaptive' };
    outputConfig.effort = request.thinking;
  }
  // The SDK types have structured outputs (`output_config.format`), so the review verdict is
  // constrained by the API instead of by a plea in the system prompt.
  if (request.jsonSchema) outputConfig.format = { type: 'json_schema', schema: request.jsonSchema };
  if (outputConfig.effort || outputConfig.format) params.output_config = outputConfig;
  return params;
}

function toTool(tool: ToolDefinition): Tool {
  return { name: tool.name, description: tool.description, input_schema: { ...tool.inputSchema, type: 'object' } };
}

function toMessages(modelId: string, request: ModelRequest, turns: AssistantTurnMemory): MessageParam[] {
  const lastCached = Math.min(request.cacheablePrefix ?? 0, request.messages.length) - 1;
  const messages: MessageParam[] = [];
  request.messages.forEach((message, index) => {
    const content = message.role === 'assistant' ? assistantBlocks(modelId, message, request, turns) : userBlocks(message);
    // The last block of the stable prefix ends the cached part; blocks after it are read fresh.
    if (index === lastCached) markCacheBreakpoint(content);
    if (content.length > 0) messages.push({ role: message.role, content });
  });
  return messages;
}

function assistantBlocks(modelId: string, message: ChatMessage, request: ModelRequest, turns: AssistantTurnMemory): ContentBlockParam[] {
  const calls = message.content.filter(isToolCall);
  // Thinking blocks only matter (and are only valid) while thinking is on for this model.
  const remembered = request.thinking !== 'none' && calls.length > 0 ? turns.recall(modelId, calls) : undefined;
  if (remembered) return [...remembered];
  return message.content.flatMap(toBlock);
}

function userBlocks(message: ChatMessage): ContentBlockParam[] {
  // tool_result blocks must lead the user turn that answers a tool_use turn.
  const results = message.content.filter((part) => part.type === 'tool-result');
  const others = message.content.filter((part) => part.type !== 'tool-result');
  return [...results, ...others].flatMap(toBlock);
}

function toBlock(part: ContentPart): ContentBlockParam[] {
  switch (part.type) {
    case 'text':
      return part.text ? [{ type: 'text', text: part.text }] : [];
    case 'tool-call':
      return [{ type: 'tool_use', id: part.id, name: part.name, input: part.input }];
    case 'tool-result':
      return [{ type: 'tool_result', tool_use_id: part.callId, is_error: part.isError, ...(part.output ? { content: part.output } : {}) }];
  }
}

function markCacheBreakpoint(content: ContentBlockParam[]): void {
  // Thinking blocks cannot carry cache_control; the last text, tool_use or tool_result block can.
  for (let at = content.length - 1; at >= 0; at -= 1) {
    const block = content[at];
    if (block && (block.type === 'text' || block.type === 'tool_use' || block.type === 'tool_result')) {
      content[at] = { ...block, cache_control: ephemeral };
      return;
    }
  }
}

function isToolCall(part: ContentPart): part is Extract<ContentPart, { type: 'tool-call' }> {
  return part.type === 'tool-call';
}
