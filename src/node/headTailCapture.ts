// Keeps a command's output within a fixed memory budget: the first N bytes (where the command
// says what it is doing) and the last N bytes (where test runners print failures and the
// summary), with a marker for what was dropped in between. A chatty command, or one stuck in a
// loop printing, cannot exhaust the extension host's memory.

export const DEFAULT_CAPTURE_BYTES = 200 * 1024;

export class HeadTailCapture {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private totalBytes = 0;

  /** @param limitBytes bytes kept at each end, so at most twice this is held. */
  constructor(private readonly limitBytes: number = DEFAULT_CAPTURE_BYTES) {}

  append(text: string): void {
    let bytes = Buffer.from(text, 'utf8');
    this.totalBytes += bytes.length;
    if (this.headBytes < this.limitBytes) {
      const take = Math.min(this.limitBytes - this.headBytes, bytes.length);
      this.head.push(bytes.subarray(0, take));
      this.headBytes += take;
      bytes = bytes.subarray(take);
    }
    if (bytes.length === 0) {
      return;
    }
    this.tail.push(bytes);
    this.tailBytes += bytes.length;
    // Drop whole chunks while the rest still covers the limit; text() trims the remainder.
    let first = this.tail[0];
    while (first !== undefined && this.tailBytes - first.length >= this.limitBytes) {
      this.tail.shift();
      this.tailBytes -= first.length;
      first = this.tail[0];
    }
  }

  text(): string {
    const head = Buffer.concat(this.head);
    const fullTail = Buffer.concat(this.tail);
    const tail = fullTail.subarray(Math.max(0, fullTail.length - this.limitBytes));
    if (head.length + tail.length === this.totalBytes) {
      // Nothing dropped: the two parts are contiguous, so a character split across them is whole.
      return Buffer.concat([head, tail]).toString('utf8');
    }
    // Cut on character boundaries so neither side ends in half a UTF-8 sequence.
    const keptHead = head.subarray(0, completeUtf8Length(head));
    const keptTail = tail.subarray(firstUtf8Start(tail));
    const omitted = this.totalBytes - keptHead.length - keptTail.length;
    const separatorBefore = keptHead.length > 0 && keptHead[keptHead.length - 1] !== 0x0a ? '\n' : '';
    return `${keptHead.toString('utf8')}${separatorBefore}[… ${omitted} bytes omitted …]\n${keptTail.toString('utf8')}`;
  }
}

/** Length of the prefix that ends on a character boundary (drops a trailing partial sequence). */
function completeUtf8Length(bytes: Buffer): number {
  // A UTF-8 sequence is at most 4 bytes, so only the last 3 can belong to an unfinished one.
  for (let index = bytes.length - 1; index >= Math.max(0, bytes.length - 4); index--) {
    const byte = bytes[index] ?? 0;
    if ((byte & 0xc0) === 0x80) {
      continue; // continuation byte: keep looking for the lead byte
    }
    const expected = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return index + expected <= bytes.length ? bytes.length : index;
  }
  return bytes.length;
}

/** Index of the first byte that starts a character (skips leading continuation bytes). */
function firstUtf8Start(bytes: Buffer): number {
  let index = 0;
  while (index < Math.min(3, bytes.length) && ((bytes[index] ?? 0) & 0xc0) === 0x80) {
    index++;
  }
  return index;
}
