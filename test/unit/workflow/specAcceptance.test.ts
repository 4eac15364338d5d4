// Which verification commands check nothing (so a swarm asks the Architect instead), and reading
// the Architect's verdict from what models really answer.
import assert from 'node:assert/strict';
import { checksNothing, parseAcceptance } from '../../../src/core/workflow/specAcceptance.js';

describe('a verification command that checks nothing', () => {
  it('is one that succeeds whatever the files hold', () => {
    for (const command of ['true', ':', 'exit 0', 'exit', 'echo "docs only"', "printf 'ok\\n'", 'echo a && echo b', 'true; echo done', '# nothing to run', 'N/A', 'none', '-', 'No verification: documentation change', 'echo one\necho two']) {
      assert.equal(checksNothing(command), true, command);
    }
  });

  it('is never a command that could run a program beyond echo: anything else counts as a real check', () => {
    for (const command of ['npm test', 'node --test', 'true && npm test', 'echo start; node --test', 'echo $(npm test)', 'echo `npm test`', 'echo test | sh', 'echo x > out.txt', 'sh < script', 'exit 1', 'false', 'echo ok || npm test', 'truecrypt', 'nonesuch --check']) {
      assert.equal(checksNothing(command), false, command);
    }
  });
});

describe("the Architect's verdict", () => {
  it('reads a bare object, a fenced one with words around it, and yes/no strings', () => {
    assert.deepEqual(parseAcceptance('{"accepted": true, "reasons": " fine "}'), { ok: true, value: { accepted: true, reasons: 'fine' } });
    assert.deepEqual(parseAcceptance('Here:\n```json\n{"accepted": "No", "reasons": "misses the test"}\n```\nThanks.'), { ok: true, value: { accepted: false, reasons: 'misses the test' } });
    assert.deepEqual(parseAcceptance('{"accepted": "Accepted"}'), { ok: true, value: { accepted: true, reasons: '' } });
    const long = parseAcceptance(JSON.stringify({ accepted: false, reasons: 'x'.repeat(50_000) }));
    assert.ok(long.ok && long.value.reasons.length === 2000, 'reasons are cut to 2000 characters');
  });

  it('refuses an answer with no verdict, or one that is neither true nor false, naming the problem', () => {
    const none = parseAcceptance('Looks good to me.');
    assert.equal(none.ok, false);
    const maybe = parseAcceptance('{"accepted": "maybe", "reasons": "unsure"}');
    assert.deepEqual(maybe, { ok: false, error: 'the object has no "accepted" true or false' });
    assert.equal(parseAcceptance('{"reasons": "forgot the verdict"}').ok, false);
  });
});
