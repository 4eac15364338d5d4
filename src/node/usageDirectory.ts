// The key pools' shared counters on disk: one JSON file per window in a directory (the
// extension's global storage), each replaced atomically (write a temporary file, rename it over).
// One file per writer means no window ever overwrites another's counts, with no lock. Readers
// look again only when the directory or a file changed (mtime, size, inode), so a decision costs
// a stat in the usual case.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageRecord, UsageStore } from '../core/keyvault/usageRecord.js';
import { UsageRecordSchema } from '../core/keyvault/usageRecord.js';

export interface UsageDirectoryOptions {
  now?: () => number;
  /** A record not saved for this long belongs to a window long gone: removed. */
  staleAfterMs?: number;
  /** Changes this recent may hide a later one in the same mtime tick: look again. */
  settleMs?: number;
}

interface SeenFile {
  signature: string;
  record: UsageRecord | undefined;
}

const suffix = '.usage.json';

export class UsageDirectory implements UsageStore {
  private directorySignature = '';
  private readonly files = new Map<string, SeenFile>();
  private readonly now: () => number;

  constructor(
    readonly directory: string,
    private readonly options: UsageDirectoryOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  }

  readOthers(ownWriter: string): readonly UsageRecord[] | undefined {
    const stat = statOrUndefined(this.directory);
    const signature = stat ? `${stat.mtimeNs}:${stat.ino}` : '';
    const mtimeMs = stat ? Number(stat.mtimeNs / 1_000_000n) : 0;
    // The file system's clock, not the pool's (which a test may drive).
    const recent = Date.now() - mtimeMs < (this.options.settleMs ?? 100);
    if (signature === this.directorySignature && !recent) return undefined;
    this.directorySignature = signature;
    let changed = false;
    const present = new Set<string>();
    for (const name of listOrEmpty(this.directory)) {
      if (!name.endsWith(suffix) || name === fileName(ownWriter)) continue;
      present.add(name);
      const file = path.join(this.directory, name);
      const fileStat = statOrUndefined(file);
      if (!fileStat) continue;
      const fileSignature = `${fileStat.mtimeNs}:${fileStat.size}:${fileStat.ino}`;
      if (this.files.get(name)?.signature === fileSignature) continue;
      changed = true;
      const record = readRecord(file);
      if (record && this.now() - record.savedAt > (this.options.staleAfterMs ?? 3 * 86_400_000) && Object.keys(record.revoked).length === 0) {
        fs.rmSync(file, { force: true });
        continue;
      }
      this.files.set(name, { signature: fileSignature, record });
    }
    for (const name of [...this.files.keys()]) {
      if (!present.has(name)) {
        this.files.delete(name);
        changed = true;
      }
    }
    if (!changed) return undefined;
    return [...this.files.values()].flatMap((file) => (file.record ? [file.record] : []));
  }

  writeOwn(record: UsageRecord): void {
    const target = path.join(this.directory, fileName(record.writer));
    const temporary = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(record), { mode: 0o600 });
    fs.renameSync(temporary, target);
  }
}

function fileName(writer: string): string {
  // Writer names are ours, but a file name is no place for a path separator all the same.
  return `${writer.replace(/[^A-Za-z0-9._-]/g, '_')}${suffix}`;
}

function statOrUndefined(file: string): fs.BigIntStats | undefined {
  try {
    return fs.statSync(file, { bigint: true });
  } catch {
    return undefined;
  }
}

function listOrEmpty(directory: string): string[] {
  try {
    return fs.readdirSync(directory);
  } catch {
    return [];
  }
}

function readRecord(file: string): UsageRecord | undefined {
  try {
    const parsed = UsageRecordSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
