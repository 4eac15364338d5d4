// `/compete`, `/divide` and `/swarm` as the chat participant reads them: the mode and the request,
// and bad input said back with nothing started.
import * as assert from 'node:assert/strict';
import { parseModeCommand } from '../../../src/core/chat/modeCommands.js';

describe('the chat commands for several Coders', () => {
  it('reads each command as its mode, with the request', () => {
    assert.deepEqual(parseModeCommand('compete', '3 add a slugify helper'), { ok: true, request: 'add a slugify helper', mode: { mode: 'competitive', candidates: 3 } });
    assert.deepEqual(parseModeCommand('compete', 'add a slugify helper'), { ok: true, request: 'add a slugify helper', mode: { mode: 'competitive' } });
    assert.deepEqual(parseModeCommand('divide', ' add slugify and titleCase '), { ok: true, request: 'add slugify and titleCase', mode: { mode: 'division' } });
    assert.deepEqual(parseModeCommand('swarm', 'add slugify and document it'), { ok: true, request: 'add slugify and document it', mode: { mode: 'swarm' } });
  });

  it('is no mode command for /dual-model or a plain message', () => {
    assert.equal(parseModeCommand('dual-model', 'add it'), undefined);
    assert.equal(parseModeCommand(undefined, 'add it'), undefined);
  });

  it('refuses a command with no request, saying what to write, and a /compete count out of range', () => {
    for (const command of ['divide', 'swarm']) {
      const refused = parseModeCommand(command, '   ');
      assert.ok(refused && !refused.ok);
      assert.match(refused.error, new RegExp(`^Say what to build after /${command}, e\\.g\\. .*Nothing started\\.$`));
    }
    const counted = parseModeCommand('compete', '9 add it');
    assert.ok(counted && !counted.ok);
    assert.match(counted.error, /2 to 8 Coders/);
  });
});
