// The SSE parser must give the same events however the network cuts the bytes: inside a line,
// inside a CRLF pair, inside a multi-byte character.
import assert from 'node:assert/strict';
import { SseParser } from '../../../src/providers/openai/sseParser.js';
import type { SseEvent } from '../../../src/providers/openai/sseParser.js';

const sample = [
  ': a comment before anything\n',
  'data: {"choices":[{"delta":{"content":"Grüße 🚀"}}]}\r\n',
  '\r\n',
  'event: notice\n',
  'data: first line\n',
  'data:second line, no space\n',
  'data:  two spaces keep one\n',
  'id: 7\n',
  '\n',
  ':keep-alive\r',
  '\r',
  'data: CR only\r',
  '\r',
  'data\n',
  '\n',
  'data: crlf one\r\n',
  'data: crlf two\r\n',
  '\r\n',
  'event: ignored without data\n',
  '\n',
  'data: [DONE]\r\n',
  '\r\n',
].join('');

const expected: SseEvent[] = [
  { event: 'message', data: '{"choices":[{"delta":{"content":"Grüße 🚀"}}]}' },
  { event: 'notice', data: 'first line\nsecond line, no space\n two spaces keep one' },
  { event: 'message', data: 'CR only' },
  { event: 'message', data: '' },
  { event: 'message', data: 'crlf one\ncrlf two' },
  { event: 'message', data: '[DONE]' },
];

function parse(pieces: Uint8Array[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  for (const piece of pieces) events.push(...parser.push(piece));
  events.push(...parser.end());
  return events;
}

describe('OpenAI-compatible provider: the SSE parser', () => {
  const bytes = new TextEncoder().encode(sample);

  it('parses a sample with CRLF, CR, comments, multi-line data and UTF-8', () => {
    assert.deepEqual(parse([bytes]), expected);
  });

  it('gives the same events when the bytes are split at any position', () => {
    for (let at = 0; at <= bytes.length; at += 1) {
      assert.deepEqual(parse([bytes.subarray(0, at), bytes.subarray(at)]), expected, `split at byte ${at}`);
    }
  });

  it('gives the same events fed one byte at a time, and split in three everywhere', () => {
    assert.deepEqual(parse([...bytes].map((byte) => Uint8Array.of(byte))), expected);
    for (let first = 1; first < bytes.length; first += 7) {
      for (let second = first; second <= bytes.length; second += 5) {
        assert.deepEqual(parse([bytes.subarray(0, first), bytes.subarray(first, second), bytes.subarray(second)]), expected, `split at ${first} and ${second}`);
      }
    }
  });

  it('drops an event whose blank line never came, and an unfinished line', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: complete\n\ndata: no blank line\n'), [{ event: 'message', data: 'complete' }]);
    assert.deepEqual(parser.end(), []);
    const cut = new SseParser();
    assert.deepEqual([...cut.push('data: {"half'), ...cut.end()], []);
  });

  it('accepts strings as well as bytes', () => {
    const parser = new SseParser();
    assert.deepEqual([...parser.push('data: a\r'), ...parser.push('\n\r\n'), ...parser.end()], [{ event: 'message', data: 'a' }]);
  });
});
