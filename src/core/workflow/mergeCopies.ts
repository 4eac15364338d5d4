// The copies of one division wave back into the workspace as one change set. Every copy began
// from the same workspace (the base), so changes to different files combine, and one file changed
// by several copies is merged three-way, line by line (node-diff3), when no two touch the same
// or neighbouring lines. Anything else is a conflict that names the file with every side and the
// base, so the host can show it and the run stops there: nothing is written. Nor is a file the
// user changed since the wave began ever overwritten.
import { diff3Merge } from 'node-diff3';
import type { FileChange } from '../ports.js';
import { pathKey } from './specWaves.js';

/** What one copy (one spec) changed against the base: the copy's `changes()`. */
export interface CopyChanges {
  /** The copy's label ("spec-2"), as the conflict names it. */
  label: string;
  changes: readonly FileChange[];
}

export interface MergeInput {
  /**
   * The paths of `changedPaths(copies)` as they were when the wave began (undefined: absent); see
   * waveBase.ts. A path left out is unknown, and a conflict: never guessed.
   */
  base: ReadonlyMap<string, string | undefined>;
  /** The same paths as they are in the workspace now. */
  current: ReadonlyMap<string, string | undefined>;
  copies: readonly CopyChanges[];
}

export type ConflictKind = 'same-lines' | 'delete-and-change' | 'both-created' | 'same-file-two-names' | 'file-and-folder' | 'unknown-base';

export interface MergeConflict {
  path: string;
  kind: ConflictKind;
  /** In words, naming the copies: "spec-1 and spec-2 both change line 2". */
  why: string;
  /** The file when the wave began; undefined when it did not exist. */
  base: string | undefined;
  /** Each copy that changed it (undefined: deleted), in the copies' order. */
  sides: { label: string; text: string | undefined }[];
}

export type MergeOutcome =
  | {
      ok: true;
      /** For WorkspaceFiles.writeAll, sorted by path (a deleted file comes before a folder of its name). */
      changes: FileChange[];
      /** The files more than one copy changed, merged line by line. */
      threeWay: string[];
    }
  | {
      ok: false;
      conflicts: MergeConflict[];
      /** Files the merge would write that the workspace no longer has as they were at the wave's start. */
      workspaceChanged: string[];
      /** The whole refusal in one sentence, for the run's failure. */
      message: string;
    };

const unknownBase = 'its text when the wave began is unknown (no spec named it and every copy changed it), so neither the merge nor the workspace can be checked';

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const code = (path: string): string => `\`${path}\``;

/** The paths whose base and current text the merge needs, each once, sorted. */
export function changedPaths(copies: readonly CopyChanges[]): string[] {
  return [...new Set(copies.flatMap((copy) => copy.changes.map((change) => change.path)))].sort(byPath);
}

interface Side {
  label: string;
  path: string;
  text: string | undefined;
}

export function mergeCopies(input: MergeInput): MergeOutcome {
  const groups = new Map<string, Side[]>();
  for (const copy of input.copies) {
    const seen = new Set<string>();
    for (const change of copy.changes) {
      if (seen.has(change.path)) throw new Error(`${copy.label} lists ${code(change.path)} twice in its changes.`);
      seen.add(change.path);
      const key = pathKey(change.path) ?? change.path;
      groups.set(key, [...(groups.get(key) ?? []), { label: copy.label, path: change.path, text: change.text }]);
    }
  }
  const conflicts: MergeConflict[] = [];
  const changes: FileChange[] = [];
  const threeWay: string[] = [];
  const workspaceChanged: string[] = [];
  for (const sides of groups.values()) {
    const first = sides[0];
    if (!first) continue;
    const paths = [...new Set(sides.map((side) => side.path))];
    // The workspace can always be read now: a missing path is the caller's mistake, said plainly.
    const unread = paths.find((path) => !input.current.has(path));
    if (unread !== undefined) throw new Error(`The merge has no text of ${code(unread)} as it is in the workspace now: read it for every path a copy changed.`);
    if (paths.some((path) => !input.base.has(path))) {
      conflicts.push(conflict(first.path, 'unknown-base', unknownBase, undefined, sides));
      continue;
    }
    const base = input.base.get(first.path);
    const result = paths.length > 1 ? twoNames(sides, base) : mergeFile(first.path, base, sides);
    // A conflict's files are checked too: the user is told everything that stands in the way at once.
    const writes = 'kind' in result ? paths.map((path) => ({ path, text: undefined })) : result.text === base ? [] : [result];
    for (const write of writes) {
      const now = input.current.get(write.path);
      if (now !== input.base.get(write.path) && ('kind' in result || now !== write.text)) workspaceChanged.push(write.path);
    }
    if ('kind' in result) conflicts.push(result);
    else {
      if (new Set(sides.map((side) => side.text)).size > 1) threeWay.push(result.path);
      if (result.text !== base) changes.push(result);
    }
  }
  conflicts.push(...folderClashes(groups, input.base));
  if (conflicts.length === 0 && workspaceChanged.length === 0) {
    return { ok: true, changes: changes.sort((a, b) => byPath(a.path, b.path)), threeWay: threeWay.sort(byPath) };
  }
  conflicts.sort((a, b) => byPath(a.path, b.path));
  workspaceChanged.sort(byPath);
  return { ok: false, conflicts, workspaceChanged, message: refusal(conflicts, workspaceChanged) };
}

function refusal(conflicts: readonly MergeConflict[], workspaceChanged: readonly string[]): string {
  const parts = [
    ...(conflicts.length ? [`${conflicts.length} conflicting file(s): ${conflicts.map((conflict) => `${conflict.path} (${conflict.why})`).join('; ')}`] : []),
    ...(workspaceChanged.length ? [`changed in the workspace since the wave began: ${workspaceChanged.join(', ')}`] : []),
  ];
  return `The copies of the wave cannot be merged, so nothing was written: ${parts.join('; ')}.`;
}

/** "a", "a and b", "a, b and c". */
function listed(labels: readonly string[]): string {
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1) ?? ''}`;
}

function conflict(path: string, kind: ConflictKind, why: string, base: string | undefined, sides: readonly Side[]): MergeConflict {
  return { path, kind, why, base, sides: sides.map(({ label, text }) => ({ label, text })) };
}

/** Two spellings of one file (case, trailing dots, accents): where they are one file, the writes collide. */
function twoNames(sides: readonly Side[], base: string | undefined): MergeConflict {
  const [first] = sides;
  const other = sides.find((side) => side.path !== first?.path);
  const caseOnly = first !== undefined && other !== undefined && first.path.toLowerCase() === other.path.toLowerCase();
  const why = `${first?.label ?? ''} writes ${code(first?.path ?? '')} and ${other?.label ?? ''} writes ${code(other?.path ?? '')}: one file ${caseOnly ? 'where case is ignored' : 'on some file systems'}`;
  return conflict(first?.path ?? '', 'same-file-two-names', why, base, sides);
}

/** One file's sides merged, or the conflict. */
function mergeFile(path: string, base: string | undefined, sides: readonly Side[]): FileChange | MergeConflict {
  const texts = new Set(sides.map((side) => side.text));
  const [only] = texts;
  if (texts.size === 1) return { path, text: only };
  if (base === undefined) return conflict(path, 'both-created', `${listed(sides.map((side) => side.label))} both create it, with different text`, base, sides);
  const deleters = sides.filter((side) => side.text === undefined).map((side) => side.label);
  if (deleters.length > 0) {
    const changers = sides.filter((side) => side.text !== undefined).map((side) => side.label);
    return conflict(path, 'delete-and-change', `${listed(deleters)} ${deleters.length > 1 ? 'delete' : 'deletes'} it and ${listed(changers)} ${changers.length > 1 ? 'change' : 'changes'} it`, base, sides);
  }
  let merged = sides[0]?.text ?? '';
  for (const [index, side] of sides.entries()) {
    if (index === 0) continue;
    const next = threeWayMerge(merged, base, side.text ?? '');
    if (typeof next === 'string') {
      merged = next;
      continue;
    }
    // Name the earlier copy whose lines this one touches (the merged text so far is theirs together).
    const earlier = sides.slice(0, index).find((other) => typeof threeWayMerge(other.text ?? '', base, side.text ?? '') !== 'string');
    const lines = earlier ? threeWayMerge(earlier.text ?? '', base, side.text ?? '') : next;
    const who = earlier ? `${earlier.label} and ${side.label}` : listed(sides.slice(0, index + 1).map((other) => other.label));
    return conflict(path, 'same-lines', `${who} both change ${typeof lines === 'string' ? 'the same lines' : lines.where}`, base, sides);
  }
  return { path, text: merged };
}

/** The text's lines, each with its own line end, so joining them gives the text back exactly. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** The merged text, or where (in the base's lines) the first conflict lies. */
function threeWayMerge(ours: string, base: string, theirs: string): string | { where: string } {
  const regions = diff3Merge(linesOf(ours), linesOf(base), linesOf(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  for (const region of regions) {
    if (region.conflict) {
      const start = region.conflict.oIndex + 1;
      const end = region.conflict.oIndex + region.conflict.o.length;
      return { where: end <= start ? `line ${start}` : `lines ${start}–${end}` };
    }
    out.push(...(region.ok ?? []));
  }
  return out.join('');
}

/** A file one copy writes where another copy writes inside it, as a folder. */
function folderClashes(groups: ReadonlyMap<string, readonly Side[]>, base: ReadonlyMap<string, string | undefined>): MergeConflict[] {
  const clashes: MergeConflict[] = [];
  for (const [key, sides] of groups) {
    const writer = sides.find((side) => side.text !== undefined);
    if (!writer || key === '') continue;
    for (const [inner, insides] of groups) {
      const inside = inner.startsWith(`${key}/`) ? insides.find((side) => side.label !== writer.label) : undefined;
      if (!inside) continue;
      clashes.push(conflict(writer.path, 'file-and-folder', `${writer.label} writes the file ${code(writer.path)} and ${inside.label} writes ${code(inside.path)} inside it as a folder`, base.get(writer.path), [...sides, ...insides]));
      break;
    }
  }
  return clashes;
}
