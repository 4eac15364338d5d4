// The spend ledger's record as a JSON file (the extension keeps it in its global storage, so
// every window of the machine shares it), written atomically. An unreadable file is kept aside
// under a new name and reported, never overwritten: what it recorded is not lost.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SpendRecord, SpendStore } from '../core/models/spendLedger.js';
import { SpendRecordSchema } from '../core/models/spendLedger.js';
import { messageOf } from '../core/workflow/errorMessage.js';

export class NodeSpendStore implements SpendStore {
  constructor(
    private readonly file: string,
    /** Hears what went wrong with the file and where it was kept. */
    private readonly report: (line: string) => void = () => undefined,
  ) {}

  async read(): Promise<SpendRecord | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
    let problem: string;
    try {
      const parsed = SpendRecordSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      problem = parsed.error.issues[0]?.message ?? 'not a spend record';
    } catch (error) {
      problem = messageOf(error);
    }
    const kept = `${this.file}.unreadable-${Date.now()}`;
    await fs.rename(this.file, kept);
    this.report(`The spend record ${this.file} could not be read (${problem}); it is kept as ${kept} and a new record starts.`);
    return undefined;
  }

  async write(record: SpendRecord): Promise<void> {
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(temp, `${JSON.stringify(record, null, 2)}\n`, 'utf8');
      await fs.rename(temp, this.file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
  }
}
