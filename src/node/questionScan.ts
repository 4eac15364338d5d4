// The open-questions scan of a workspace folder on the local disk: walks it without following
// symbolic links (no loops, nothing outside the folder), skips what the index's rules skip without
// descending into it, and reads the rest in short synchronous batches.
import { closeSync, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import * as path from 'node:path';
import { MARKER } from '../core/questions/markers.js';
import type { QuestionIndex, ScanRules } from '../core/questions/questionIndex.js';
import { skippedContent, skippedPath } from '../core/questions/questionIndex.js';

export interface ScanSummary {
  filesRead: number;
  filesSkipped: number;
}

const readBatch = 100;

/** Fills `index` from every scannable file under `root`; stops early when `signal` aborts. */
export async function scanFolder(root: string, index: QuestionIndex, rules: ScanRules, signal?: AbortSignal): Promise<ScanSummary> {
  const summary: ScanSummary = { filesRead: 0, filesSkipped: 0 };
  const files: string[] = [];
  const folders = [''];
  while (folders.length > 0) {
    if (signal?.aborted) return summary;
    const folder = folders.pop() ?? '';
    const entries = await fs.readdir(path.join(root, folder), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const relative = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isSymbolicLink() || skippedPath(rules, relative) !== undefined) continue;
      if (entry.isDirectory()) folders.push(relative);
      else if (entry.isFile()) files.push(relative);
    }
  }
  // Small synchronous reads in short batches: faster than one promise per file through libuv's
  // four threads (2.0 s against 1.3 s for 10,000 files on the bench machine), and the extension
  // host still gets the thread back between batches of a hundred files.
  const reader = new ScanReader(rules);
  for (let start = 0; start < files.length; start += readBatch) {
    if (signal?.aborted) return summary;
    for (const file of files.slice(start, start + readBatch)) {
      const text = reader.markerText(path.join(root, file));
      if (text === undefined) summary.filesSkipped += 1;
      else {
        summary.filesRead += 1;
        if (text !== '') index.update(file, text);
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return summary;
}

/** A file's text when the rules allow reading it; undefined when it is too large, binary or gone. */
export async function readScannable(file: string, rules: ScanRules): Promise<string | undefined> {
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile() || stat.size > rules.maxFileBytes) return undefined;
    const bytes = await fs.readFile(file);
    if (skippedContent(rules, bytes.length, bytes) !== undefined) return undefined;
    return bytes.toString('utf8');
  } catch {
    return undefined; // deleted or unreadable between the listing and the read
  }
}

/**
 * Reads files for a whole-folder scan into one reused buffer (open, fstat, read, close: no
 * separate stat, no new buffer per file), and decodes only the files whose bytes hold the marker:
 * most files of a workspace hold none, and in a fresh index a file without questions needs no
 * entry.
 */
class ScanReader {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private readonly marker = Buffer.from(MARKER, 'utf8');

  constructor(private readonly rules: ScanRules) {}

  /** The text of a file that holds the marker; '' for a scannable file without it; undefined when skipped. */
  markerText(file: string): string | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      const stat = fstatSync(fd);
      if (!stat.isFile() || stat.size > this.rules.maxFileBytes) return undefined;
      if (stat.size > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.min(Math.max(stat.size, this.buffer.length * 2), this.rules.maxFileBytes));
      let length = 0;
      for (let read = -1; read !== 0 && length < stat.size; length += read) read = readSync(fd, this.buffer, length, stat.size - length, length);
      const bytes = this.buffer.subarray(0, length);
      if (skippedContent(this.rules, length, bytes) !== undefined) return undefined;
      return bytes.indexOf(this.marker) === -1 ? '' : bytes.toString('utf8');
    } catch {
      return undefined; // deleted or unreadable between the listing and the read
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
