import assert from 'node:assert/strict';
import { formatSpecIndex, parseSpecFileName, reportFileName, specFileName } from '../../../src/core/artifacts/batch.js';

describe('artifact file names', () => {
  it('names a single spec, batch specs and the report', () => {
    assert.equal(specFileName(), 'code_spec.md');
    assert.equal(specFileName(1), 'code_spec_01.md');
    assert.equal(specFileName(12, 12), 'code_spec_12.md');
    assert.equal(specFileName(7, 99), 'code_spec_07.md');
    assert.equal(specFileName(7, 100), 'code_spec_007.md');
    assert.equal(specFileName(100, 120), 'code_spec_100.md');
    assert.equal(reportFileName(), 'code_report.md');
  });

  it('refuses an index that is not a positive integer', () => {
    for (const index of [0, -1, 1.5, Number.NaN]) assert.throws(() => specFileName(index), RangeError);
    assert.equal(formatSpecIndex(3), '03');
  });

  it('reads spec file names back', () => {
    assert.deepEqual(parseSpecFileName('code_spec.md'), { index: undefined });
    assert.deepEqual(parseSpecFileName('code_spec_01.md'), { index: 1 });
    assert.deepEqual(parseSpecFileName('code_spec_120.md'), { index: 120 });
    assert.deepEqual(parseSpecFileName('brain/run-1/code_spec_03.md'), { index: 3 });
    assert.deepEqual(parseSpecFileName('C:\\brain\\code_spec_04.md'), { index: 4 });
    for (const name of ['code_spec_00.md', 'code_spec_.md', 'code_spec_1a.md', 'code_report.md', 'code_spec.md.bak', 'my_code_spec_01.md', '']) {
      assert.equal(parseSpecFileName(name), undefined, name);
    }
    for (let index = 1; index <= 150; index += 7) assert.deepEqual(parseSpecFileName(specFileName(index, 150)), { index });
  });
});
