// `/compete [N] <request>` as the chat participant reads it: the count, the request, and bad
// input said back with nothing started.
import * as assert from 'node:assert/strict';
import { parseCompete } from '../../../src/core/chat/competeCommand.js';

describe('/compete in chat', () => {
  it('reads the number of Coders and the request', () => {
    assert.deepEqual(parseCompete(' 3 add a slugify helper '), { ok: true, request: 'add a slugify helper', candidates: 3 });
  });

  it('leaves the Coders to the settings when no number is given', () => {
    assert.deepEqual(parseCompete('add a slugify helper'), { ok: true, request: 'add a slugify helper' });
  });

  it('refuses a count outside 2 to 8, and a missing request', () => {
    for (const prompt of ['1 add it', '9 add it', '99999999999999999999 add it']) assert.match(parseCompete(prompt).ok ? '' : (parseCompete(prompt) as { error: string }).error, /2 to 8 Coders/, prompt);
    assert.equal(parseCompete('   ').ok, false);
    assert.equal(parseCompete('3').ok, false);
  });
});
