// The real-host harness reads test results out of the workbench's console: these pin the two
// formats it depends on (the log service's `%c LEVEL` calls and the totals line).
import assert from 'node:assert/strict';
import { formatConsoleArgs, formatTotals, isMachineReadable, parseTotals } from '../../host/hostProtocol.js';

describe('real-host console output', () => {
  it('drops the styled level label and applies %s and %d like Node', () => {
    const line = formatConsoleArgs(['%c INFO', 'color: #33f', '    ✔ %s (%dms)', 'runs the demo loop', 2068]);
    assert.deepEqual(line, { text: '    ✔ runs the demo loop (2068ms)', level: 'INFO' });
  });

  it('keeps the level of an error line', () => {
    assert.deepEqual(formatConsoleArgs(['%c  ERR', 'color: #f33', 'boom']), { text: 'boom', level: 'ERR' });
  });

  it('formats a plain console call as it is', () => {
    assert.deepEqual(formatConsoleArgs(['plain %s', 'text', 3]), { text: 'plain text 3', level: undefined });
  });

  it('round-trips the totals line and ignores other lines', () => {
    const totals = { pass: 'untrusted', passed: 4, failed: 1, pending: 2 };
    assert.deepEqual(parseTotals(`  ${formatTotals(totals)}`), totals);
    assert.equal(parseTotals('4 passing (8s)'), undefined);
    assert.ok(isMachineReadable('DUALMODEL-BENCH activationMs=12'));
    assert.ok(!isMachineReadable('  DUALMODEL-BENCH indented'));
  });
});
