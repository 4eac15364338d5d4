import assert from 'node:assert/strict';
import { stripAnsi } from '../../../src/node/stripAnsi.js';

describe('stripAnsi', () => {
  it('leaves plain text alone', () => {
    assert.equal(stripAnsi('plain [brackets] and ~tildes~\n'), 'plain [brackets] and ~tildes~\n');
  });

  it('removes colours and cursor movement (CSI)', () => {
    assert.equal(stripAnsi('\x1b[1;31mFAIL\x1b[0m \x1b[38;5;208mx\x1b[m\x1b[2K\x1b[1G\x1b[?25l done'), 'FAIL x done');
  });

  it('removes OSC strings ended by BEL or ST (titles, hyperlinks)', () => {
    assert.equal(stripAnsi('\x1b]0;title\x07a \x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\ b'), 'a link b');
  });

  it('removes two-character escapes and charset selection', () => {
    assert.equal(stripAnsi('\x1b7saved\x1b8 \x1b(Bascii\x1b='), 'saved ascii');
  });

  it('drops only the introducer of an unterminated OSC, keeping the text', () => {
    assert.equal(stripAnsi('a\x1b]unterminated text'), 'aunterminated text');
  });
});
