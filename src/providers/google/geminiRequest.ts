// Our provider-neutral request in Gemini's terms: the system prompt as systemInstruction, the
// history as user/model contents, tools as functionDeclarations, thinking and JSON output in the
// config. Pure: the client adds the transport options (abort signal, fetch).
import { ThinkingLevel as GeminiThinkingLevel, type Content, type GenerateContentConfig, type Part, type ThinkingConfig } from '@google/genai';
import type { ChatMessage, ContentPart, ModelRequest } from '../../core/models/modelClient.js';
import { isOurCallId } from './geminiCallIds.js';
import { geminiThinking } from './geminiThinking.js';
import type { GeminiTurnMemory } from './geminiTurnMemory.js';

export interface GeminiRequest {
  contents: Content[];
  config: GenerateContentConfig;
}

/**
 * Google's documented stand-in for a signature we do not have (a function call rebuilt from our
 * history rather than sent back as Gemini made it). Without one, Gemini 3 refuses the turn.
 */
export const missingSignature = 'skip_thought_signature_validator';

export function geminiRequest(request: ModelRequest, modelId: string, memory: GeminiTurnMemory): GeminiRequest {
  const config: GenerateContentConfig = {
    maxOutputTokens: request.maxOutputTokens,
    thinkingConfig: thinkingConfig(modelId, request),
    ...(request.temperature !== undefined ? { temperature: Math.min(Math.max(request.temperature, 0), 2) } : {}),
  };
  if (request.system) config.systemInstruction = { parts: [{ text: request.system }] };
  if (request.tools && request.tools.length > 0) {
    config.tools = [
      { functionDeclarations: request.tools.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.inputSchema })) },
    ];
  } else if (request.jsonSchema) {
    // Structured output only without tools: the answer is then a function call or JSON, not both.
    config.responseMimeType = 'application/json';
    config.responseJsonSchema = request.jsonSchema;
  }
  // request.cacheablePrefix needs nothing here: Gemini caches repeated prompt prefixes by itself
  // (implicit caching) and reports the hits as cachedContentTokenCount.
  return { contents: contents(request.messages, modelId, memory), config };
}

function thinkingConfig(modelId: string, request: ModelRequest): ThinkingConfig {
  const thinking = geminiThinking(modelId, request.thinking);
  if ('thinkingLevel' in thinking) return { thinkingLevel: GeminiThinkingLevel[thinking.thinkingLevel], includeThoughts: thinking.includeThoughts };
  return { thinkingBudget: thinking.thinkingBudget, includeThoughts: thinking.includeThoughts };
}

function contents(messages: readonly ChatMessage[], modelId: string, memory: GeminiTurnMemory): Content[] {
  const result: Content[] = [];
  for (const message of messages) {
    if (message.role === 'assistant') {
      // Gemini's own Content, signatures and thought parts included, exactly as it sent it.
      const original = memory.recall(modelId, message.content);
      if (original) {
        result.push(original);
        continue;
      }
    }
    const parts = message.role === 'assistant' ? modelParts(message.content, modelId) : userParts(message.content);
    if (parts.length > 0) result.push({ role: message.role === 'assistant' ? 'model' : 'user', parts });
  }
  return result;
}

/** An answer this client did not see (or no longer remembers), rebuilt from our parts. */
function modelParts(content: readonly ContentPart[], modelId: string): Part[] {
  const signs = !/^(models\/)?gemini-[12]\./.test(modelId);
  let signed = false;
  const parts: Part[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      if (part.text) parts.push({ text: part.text });
    } else if (part.type === 'tool-call') {
      const call: Part = { functionCall: { ...(isOurCallId(part.id) ? {} : { id: part.id }), name: part.name, args: part.input } };
      // Gemini 3 checks the signature of the first function call of a turn only.
      if (signs && !signed) {
        call.thoughtSignature = missingSignature;
        signed = true;
      }
      parts.push(call);
    } else {
      parts.push(functionResponse(part));
    }
  }
  return parts;
}

function userParts(content: readonly ContentPart[]): Part[] {
  const parts: Part[] = [];
  for (const part of content) {
    if (part.type === 'text') {
      if (part.text) parts.push({ text: part.text });
    } else if (part.type === 'tool-result') {
      parts.push(functionResponse(part));
    } else {
      parts.push({ functionCall: { ...(isOurCallId(part.id) ? {} : { id: part.id }), name: part.name, args: part.input } });
    }
  }
  return parts;
}

function functionResponse(part: Extract<ContentPart, { type: 'tool-result' }>): Part {
  return {
    functionResponse: {
      // Gemini pairs results with calls by id when it gave one, else by name and order.
      ...(isOurCallId(part.callId) ? {} : { id: part.callId }),
      name: part.name,
      response: part.isError ? { error: part.output } : { output: part.output },
    },
  };
}
