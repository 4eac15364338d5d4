import assert from 'node:assert/strict';
import { HeadTailCapture } from '../../../src/node/headTailCapture.js';

describe('HeadTailCapture', () => {
  it('keeps short output whole', () => {
    const capture = new HeadTailCapture(10);
    capture.append('hello ');
    capture.append('world, fine');
    assert.equal(capture.text(), 'hello world, fine');
  });

  it('keeps exactly head + tail bytes with no marker when nothing is dropped', () => {
    const capture = new HeadTailCapture(4);
    capture.append('abcdefgh');
    assert.equal(capture.text(), 'abcdefgh');
  });

  it('drops the middle and counts it', () => {
    const capture = new HeadTailCapture(4);
    for (const piece of ['abc', 'defgh', 'ijk', 'lmnop', 'qrstuvwxyz']) {
      capture.append(piece);
    }
    assert.equal(capture.text(), 'abcd\n[… 18 bytes omitted …]\nwxyz');
  });

  it('does not cut a multi-byte character at either end', () => {
    const capture = new HeadTailCapture(4);
    // 19 bytes in all. The 4-byte head ends inside the first euro sign and the 4-byte tail
    // starts inside the second, so both partial characters count as omitted: 19 - 2 - 2.
    capture.append('ab€ middle ');
    capture.append('x€yz');
    const text = capture.text();
    assert.ok(!text.includes('\uFFFD'), text);
    assert.equal(text, 'ab\n[… 15 bytes omitted …]\nyz');
  });

  it('keeps a character split across two appends whole when nothing is dropped', () => {
    const capture = new HeadTailCapture(2);
    capture.append('a€');
    assert.equal(capture.text(), 'a€');
  });
});
