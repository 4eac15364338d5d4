import assert from 'node:assert/strict';
import { AssistantTurnMemory } from '../../../src/providers/anthropic/assistantTurnMemory.js';

describe('Anthropic assistant turn memory', () => {
  const call = { id: 'toolu_1', name: 'read_file', input: { path: 'a.js' } };
  const blocks = [{ type: 'thinking' as const, thinking: 't', signature: 's' }, { type: 'tool_use' as const, ...call }];

  it('gives the remembered blocks back only for the same calls on the same model', () => {
    const memory = new AssistantTurnMemory();
    memory.remember('claude-opus-4-6', [call], blocks);
    assert.deepEqual(memory.recall('claude-opus-4-6', [{ ...call, input: { path: 'a.js' } }]), blocks);
    assert.equal(memory.recall('claude-sonnet-4-6', [call]), undefined);
    assert.equal(memory.recall('claude-opus-4-6', [{ ...call, input: { path: 'b.js' } }]), undefined);
    assert.equal(memory.recall('claude-opus-4-6', [call, { ...call, id: 'toolu_2' }]), undefined);
  });

  it('forgets the oldest turns beyond its capacity', () => {
    const memory = new AssistantTurnMemory(2);
    for (const id of ['toolu_1', 'toolu_2', 'toolu_3']) memory.remember('m', [{ ...call, id }], blocks);
    assert.equal(memory.size, 2);
    assert.equal(memory.recall('m', [call]), undefined);
    assert.ok(memory.recall('m', [{ ...call, id: 'toolu_3' }]));
  });
});
