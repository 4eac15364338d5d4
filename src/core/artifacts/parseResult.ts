// What parsing a Code Spec or Code Report gives back. Parsers never throw on bad input: the
// errors carry a section and a line so a person (or the model that wrote the file) can fix it.

export interface ArtifactError {
  /** The section the problem is in, e.g. "Verification Command", "Header", "Files to Modify". */
  section: string;
  /** 1-based line in the source markdown. */
  line: number;
  /** Reads after `section "X"`, e.g. `is missing a fenced code block`. */
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: ArtifactError[] };

/** One line per error, in line order: `code_spec.md:14: section "Verification Command" is missing a fenced code block`. */
export function formatArtifactErrors(fileName: string, errors: readonly ArtifactError[]): string {
  return [...errors]
    .sort((a, b) => a.line - b.line)
    .map((e) => `${fileName}:${e.line}: section "${e.section}" ${e.message}`)
    .join('\n');
}
