// The open-questions scan of a workspace folder on the local disk: walks it without following
// symbolic links (no loops, nothing outside the folder), skips what the index's rules skip without
// descending into it, and reads the rest a few files at a time.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { QuestionIndex, ScanRules } from '../core/questions/questionIndex.js';
import { skippedContent, skippedPath } from '../core/questions/questionIndex.js';

export interface ScanSummary {
  filesRead: number;
  filesSkipped: number;
}

const parallelReads = 32;

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
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length && !signal?.aborted) {
      const file = files[next++] ?? '';
      const text = await readScannable(path.join(root, file), rules);
      if (text === undefined) summary.filesSkipped += 1;
      else {
        summary.filesRead += 1;
        index.update(file, text);
      }
    }
  };
  await Promise.all(Array.from({ length: parallelReads }, worker));
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
