// The Coders of a run with several (competitive, division): the ones the user's settings name,
// else the Coder role as many times as dualModel.run.candidates says. Each is then resolved like
// the Coder role (readiness, the demo fallback, endpoint consent) by the host.
import type { ThinkingLevel } from '../models/modelClient.js';
import type { RoleConfig } from '../models/roles.js';
import type { RoleSnapshot } from './roleSnapshot.js';

export interface NamedCoder {
  provider: string;
  model: string;
  /** Absent: the Coder role's thinking level. */
  thinking?: ThinkingLevel;
}

/** The role's fallback goes with the role's own model only; another model has none. */
export function coderConfigs(run: { coders: readonly NamedCoder[] | undefined; candidates: number }, coderRole: RoleConfig): RoleConfig[] {
  if (!run.coders?.length) return Array.from({ length: run.candidates }, () => ({ ...coderRole }));
  return run.coders.map((coder) => {
    const isRole = coder.provider === coderRole.provider && coder.model === coderRole.model;
    return {
      provider: coder.provider,
      model: coder.model,
      thinking: coder.thinking ?? coderRole.thinking,
      fallbackModel: isRole ? coderRole.fallbackModel : '',
      fallbackThinking: coderRole.fallbackThinking,
    };
  });
}

/** Each distinct Coder once, with how many times it runs, in first-seen order. */
export function coderCounts(coders: readonly RoleSnapshot[]): { coder: RoleSnapshot; count: number }[] {
  const counts: { coder: RoleSnapshot; count: number }[] = [];
  for (const coder of coders) {
    const same = counts.find((entry) => sameCoder(entry.coder, coder));
    if (same) same.count += 1;
    else counts.push({ coder, count: 1 });
  }
  return counts;
}

export function sameCoder(a: RoleSnapshot, b: RoleSnapshot): boolean {
  return a.provider === b.provider && a.modelId === b.modelId && a.thinking === b.thinking;
}
