// Collects the problems found while reading an artifact's markdown, remembers where each field
// came from, then validates the extracted object with zod and reports its issues at those places.
import type { z } from 'zod';
import type { ArtifactError, ParseResult } from './parseResult.js';

export type FieldPath = readonly (string | number)[];

interface FieldLocation {
  path: FieldPath;
  section: string;
  line: number;
  /** How the field is written in the markdown, e.g. `**Priority:**`; empty for a whole section. */
  label: string;
}

export class Extraction {
  private readonly errors: ArtifactError[] = [];
  private readonly locations: FieldLocation[] = [];
  private readonly reported: FieldPath[] = [];

  /** A problem in the markdown itself; zod's issues under `paths` are then not reported again. */
  error(section: string, line: number, message: string, ...paths: FieldPath[]): void {
    this.errors.push({ section, line, message });
    this.reported.push(...paths);
  }

  locate(path: FieldPath, section: string, line: number, label = ''): void {
    this.locations.push({ path, section, line, label });
  }

  validate<T>(schema: z.ZodType<T>, candidate: unknown): ParseResult<T> {
    const result = schema.safeParse(candidate);
    const errors = [...this.errors];
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
        if (this.reported.some((p) => startsWith(path, p))) continue;
        errors.push(this.describe(path, issue.message, candidate));
      }
    }
    if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
    if (!result.success) return { ok: false, errors: [{ section: 'Document', line: 1, message: 'is invalid' }] };
    return { ok: true, value: result.data };
  }

  private describe(path: FieldPath, message: string, candidate: unknown): ArtifactError {
    let best: FieldLocation | undefined;
    for (const location of this.locations) {
      if (startsWith(path, location.path) && (!best || location.path.length > best.path.length)) best = location;
    }
    if (!best) return { section: 'Document', line: 1, message: `has an invalid ${path.join('.')}: ${message}` };
    if (best.label === '' && best.path.length === path.length) return { section: best.section, line: best.line, message };
    const extra = path.slice(best.path.length).join('.');
    const field = [best.label, extra].filter((s) => s !== '').join(' ');
    const value = valueAt(candidate, path);
    const shown = typeof value === 'string' && value.length <= 40 && value !== '' ? ` "${value}"` : '';
    return { section: best.section, line: best.line, message: `has an invalid ${field}${shown}: ${message}` };
  }
}

function startsWith(path: FieldPath, prefix: FieldPath): boolean {
  return prefix.length <= path.length && prefix.every((key, i) => key === path[i]);
}

function valueAt(root: unknown, path: FieldPath): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = Reflect.get(value, key);
  }
  return value;
}
