// Spend and caps: a call or a whole fan-out is refused before it is sent when its most would
// cross a cap; what was spent survives a reload and a new day starts at nothing. Real files.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { builtInRegistry } from '../../../src/core/models/builtInRegistry.js';
import type { FanOutEstimate } from '../../../src/core/models/costEstimate.js';
import { estimateFanOut } from '../../../src/core/models/costEstimate.js';
import type { SpendCaps } from '../../../src/core/models/spendCaps.js';
import { CapError, isCapError } from '../../../src/core/models/spendCaps.js';
import { localDay, SpendLedger } from '../../../src/core/models/spendLedger.js';
import { NodeSpendStore } from '../../../src/node/nodeSpendStore.js';

/** An estimate whose most is exactly this many dollars. */
const costing = (maxUsd: number): FanOutEstimate => ({
  requests: [],
  inputTokens: 0,
  outputTokens: { likely: 0, max: 0 },
  reasoningTokens: { likely: 0, max: 0 },
  likelyUsd: maxUsd / 2,
  maxUsd,
  unpriced: [],
  unbounded: [],
});

async function refusal(promise: Promise<unknown>): Promise<CapError> {
  try {
    await promise;
  } catch (error) {
    if (isCapError(error)) return error;
    throw error;
  }
  assert.fail('the reservation was not refused');
}

describe('the spend ledger and its caps', () => {
  let folder: string;
  let file: string;
  let now: Date;
  const clock = { now: () => now };
  const ledger = (caps: SpendCaps = {}): SpendLedger => new SpendLedger(new NodeSpendStore(file), () => caps, clock);

  beforeEach(async () => {
    folder = await fs.mkdtemp(path.join(tmpdir(), 'dual-model-spend-'));
    file = path.join(folder, 'spend.json');
    now = new Date(2026, 10, 27, 14, 0);
  });
  afterEach(() => fs.rm(folder, { recursive: true, force: true }));

  it('allows a call whose most reaches a cap exactly, and refuses one a millionth of a dollar over', async () => {
    const spend = ledger({ perRunUsd: 1 });
    await spend.settle(await spend.reserve('run-1', costing(0.4)), 0.4);
    const atTheCap = await spend.reserve('run-1', costing(0.6));
    await spend.release(atTheCap);
    const over = await refusal(spend.reserve('run-1', costing(0.600001)));
    assert.equal(over.refusal.kind, 'crossed');
    assert.match(over.message, /^Not sent: it would cross the cap per run of \$1\.00 \(dualModel\.spend\.capPerRunUsd\)\. \$0\.40 is spent; this would cost up to \$0\.60\. Nothing was spent\.$/);
  });

  it('counts what calls in flight hold, and frees it when they settle for less', async () => {
    const spend = ledger({ perDayUsd: 1 });
    const first = await spend.reserve('run-1', costing(0.7));
    const held = await refusal(spend.reserve('run-2', costing(0.5)));
    assert.match(held.message, /\$0\.70 is held for calls in flight/);
    await spend.settle(first, 0.1);
    await spend.settle(first, 5); // settling twice counts once
    await spend.release(await spend.reserve('run-2', costing(0.9)));
    assert.deepEqual(await spend.totals('run-1'), { day: localDay(now), dayUsd: 0.1, runUsd: 0.1, heldUsd: 0 });
  });

  it('refuses a fan-out whole when together it would cross a cap, holding nothing of it', async () => {
    const spend = ledger({ perRunUsd: 0.2 });
    const one = { provider: 'anthropic', model: 'claude-opus-4-6', messages: [{ role: 'user', content: 'Implement the parser.' }], maxTokens: 4000 };
    const fanOut = estimateFanOut([one, one, one], builtInRegistry);
    const alone = estimateFanOut([one], builtInRegistry);
    assert.ok(alone.maxUsd !== undefined && alone.maxUsd <= 0.2 && (fanOut.maxUsd ?? 0) > 0.2, 'one fits, three do not');
    const refused = await refusal(spend.reserve('run-1', fanOut));
    assert.equal(refused.refusal.kind === 'crossed' && refused.refusal.spentUsd, 0);
    assert.equal((await spend.totals('run-1')).heldUsd, 0, 'nothing of the fan-out is held');
    await spend.release(await spend.reserve('run-1', alone));
  });

  it('refuses, under a cap, a call whose cost has no price or no ceiling; without caps it goes', async () => {
    const unknown = estimateFanOut([{ provider: 'openai-compatible', model: 'qwen3-coder', messages: [{ role: 'user', content: 'hi' }], maxTokens: 100 }], builtInRegistry);
    const capped = await refusal(ledger({ perDayUsd: 5 }).reserve('run-1', unknown));
    assert.match(capped.message, /the cap per day of \$5\.00 .* cannot be kept, because there is no price for qwen3-coder \(add one in dualModel\.modelRegistry\)/);
    const unbounded = await refusal(ledger({ perRunUsd: 5 }).reserve('run-1', { ...costing(0), maxUsd: undefined, unbounded: ['claude-opus-5'] }));
    assert.match(unbounded.message, /claude-opus-5 has no output ceiling \(set max_tokens\)/);
    const free = ledger();
    await free.settle(await free.reserve('run-1', unknown), undefined);
    assert.equal((await free.totals('run-1')).dayUsd, 0);
  });

  it('keeps what was spent across a reload: a new ledger over the same file', async () => {
    const first = ledger();
    await first.settle(await first.reserve('run-1', costing(1)), 0.25);
    await first.settle(await first.reserve('run-2', costing(1)), 0.5);
    const reloaded = ledger({ perDayUsd: 1 });
    assert.deepEqual(await reloaded.totals('run-1'), { day: localDay(now), dayUsd: 0.75, runUsd: 0.25, heldUsd: 0 });
    const refused = await refusal(reloaded.reserve('run-3', costing(0.3)));
    assert.equal(refused.refusal.kind === 'crossed' && refused.refusal.spentUsd, 0.75);
  });

  it('starts a new day at nothing at local midnight, while the run keeps its total', async () => {
    now = new Date(2026, 10, 27, 23, 59);
    const spend = ledger({ perDayUsd: 1 });
    await spend.settle(await spend.reserve('run-1', costing(1)), 0.9);
    await refusal(spend.reserve('run-1', costing(0.2)));
    now = new Date(2026, 10, 28, 0, 1);
    const nextDay = await spend.reserve('run-1', costing(0.2));
    await spend.settle(nextDay, 0.2);
    assert.deepEqual(await spend.totals('run-1'), { day: '2026-11-28', dayUsd: 0.2, runUsd: 1.1, heldUsd: 0 });
    const record = JSON.parse(await fs.readFile(file, 'utf8'));
    assert.deepEqual(record.days, { '2026-11-27': 900_000, '2026-11-28': 200_000 });
  });

  it('drops days and runs older than a month when it writes', async () => {
    const spend = ledger();
    await spend.settle(await spend.reserve('old-run', costing(1)), 1);
    now = new Date(2026, 11, 30, 12, 0);
    await spend.settle(await spend.reserve('new-run', costing(1)), 1);
    const record = JSON.parse(await fs.readFile(file, 'utf8'));
    assert.deepEqual(Object.keys(record.days), ['2026-12-30']);
    assert.deepEqual(Object.keys(record.runs), ['new-run']);
  });

  it("recognises another bundle's CapError by its shape, and nothing else", () => {
    const foreign = Object.assign(new Error('Not sent'), { name: 'CapError', refusal: { kind: 'crossed' } });
    assert.equal(isCapError(foreign), true);
    assert.equal(isCapError(new Error('CapError')), false);
    assert.equal(isCapError({ name: 'CapError', refusal: {} }), false, 'not an Error');
  });

  it('keeps an unreadable record aside, says where, and starts a new one', async () => {
    await fs.writeFile(file, '{"version": 1, "days": {"2026-11-27": "lots"}');
    const lines: string[] = [];
    const spend = new SpendLedger(new NodeSpendStore(file, (line) => lines.push(line)), () => ({}), clock);
    assert.equal((await spend.totals('run-1')).dayUsd, 0);
    assert.equal(lines.length, 1);
    const kept = (await fs.readdir(folder)).filter((name) => name.startsWith('spend.json.unreadable-'));
    assert.equal(kept.length, 1);
    assert.match(lines[0] ?? '', /could not be read .* it is kept as .*spend\.json\.unreadable-/);
    assert.equal(await fs.readFile(path.join(folder, kept[0] ?? ''), 'utf8'), '{"version": 1, "days": {"2026-11-27": "lots"}', 'what it held is not lost');
  });
});
