import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { UsageRecord } from '../../../src/core/keyvault/usageRecord.js';
import { UsageDirectory } from '../../../src/node/usageDirectory.js';

/** `savedAt` counts from now: a record saved long ago is removed as a window gone. */
function record(writer: string, savedAgoMs: number, requests = 1): UsageRecord {
  const savedAt = Date.now() - savedAgoMs;
  return { version: 1, writer, savedAt, entries: [{ g: 'google\tp\tm', x: savedAt + 60_000, r: requests, t: 10 }], groupDays: {}, keyDays: {}, cooldowns: {}, revoked: {}, reinstated: {} };
}

describe('usage directory (the key pools\' shared counters on disk)', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'dual-model-usage-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads the other writers\' records, not its own, and nothing again until something changes', () => {
    const mine = new UsageDirectory(directory, { settleMs: 0 });
    const theirs = new UsageDirectory(directory, { settleMs: 0 });
    mine.writeOwn(record('me', 1));
    theirs.writeOwn(record('them', 2));
    assert.deepEqual(mine.readOthers('me')?.map((read) => read.writer), ['them']);
    assert.equal(mine.readOthers('me'), undefined, 'unchanged: no re-read');
    theirs.writeOwn(record('them', 3, 5));
    assert.deepEqual(mine.readOthers('me')?.map((read) => read.entries[0]?.r), [5]);
  });

  it('sees a change made right after another (a coarse mtime would hide it without the settle window)', () => {
    const mine = new UsageDirectory(directory);
    const theirs = new UsageDirectory(directory);
    theirs.writeOwn(record('them', 1, 1));
    assert.equal(mine.readOthers('me')?.[0]?.entries[0]?.r, 1);
    theirs.writeOwn(record('them', 2, 2));
    assert.equal(mine.readOthers('me')?.[0]?.entries[0]?.r, 2);
  });

  it('skips a damaged or foreign file instead of failing, and keeps reading the rest', async () => {
    const mine = new UsageDirectory(directory, { settleMs: 0 });
    await writeFile(path.join(directory, 'broken.usage.json'), '{"version": 1, "writer": ');
    await writeFile(path.join(directory, 'future.usage.json'), JSON.stringify({ ...record('future', 1), version: 99 }));
    new UsageDirectory(directory).writeOwn(record('them', 5));
    assert.deepEqual(mine.readOthers('me')?.map((read) => read.writer), ['them']);
    assert.ok((await readdir(directory)).includes('broken.usage.json'), 'what it cannot read, it leaves alone');
  });

  it('removes the record of a window gone for days, but keeps one that remembers a revoked key', async () => {
    const days = 86_400_000;
    new UsageDirectory(directory).writeOwn(record('old', 4 * days));
    new UsageDirectory(directory).writeOwn({ ...record('old-revoked', 4 * days), revoked: { 'google\tk1': { reason: 'HTTP 403', at: 1 } } });
    new UsageDirectory(directory).writeOwn(record('recent', 1000));
    const mine = new UsageDirectory(directory, { settleMs: 0 });
    assert.deepEqual(mine.readOthers('me')?.map((read) => read.writer).sort(), ['old-revoked', 'recent']);
    assert.deepEqual((await readdir(directory)).sort(), ['old-revoked.usage.json', 'recent.usage.json']);
  });

  it('writes atomically: no temporary file is left, and the file is only the owner\'s to read', async () => {
    const mine = new UsageDirectory(directory);
    mine.writeOwn(record('me', 1));
    const names = await readdir(directory);
    assert.deepEqual(names, ['me.usage.json']);
    const { statSync } = await import('node:fs');
    assert.equal(statSync(path.join(directory, 'me.usage.json')).mode & 0o077, 0);
  });
});
