// Artifact file names, including Batch Mode's numbered specs (code_spec_01.md, code_spec_02.md...).

/** Two digits, or three when the batch has more than 99 specs, so names sort in order. */
export function formatSpecIndex(index: number, total?: number): string {
  if (!Number.isInteger(index) || index < 1) throw new RangeError(`spec index must be a positive integer, got ${index}`);
  return String(index).padStart(total !== undefined && total > 99 ? 3 : 2, '0');
}

/** `code_spec.md` for a single spec, `code_spec_NN.md` for spec NN of a batch. */
export function specFileName(index?: number, total?: number): string {
  return index === undefined ? 'code_spec.md' : `code_spec_${formatSpecIndex(index, total)}.md`;
}

/** `{ index: undefined }` for code_spec.md, `{ index: 3 }` for code_spec_03.md, undefined otherwise. */
export function parseSpecFileName(name: string): { index: number | undefined } | undefined {
  const base = name.split(/[\\/]/).pop() ?? '';
  if (base === 'code_spec.md') return { index: undefined };
  const match = /^code_spec_(\d+)\.md$/.exec(base);
  const index = match ? Number(match[1]) : 0;
  return index >= 1 ? { index } : undefined;
}

export function reportFileName(): string {
  return 'code_report.md';
}
