// A task's complexity tier from its prompt alone, cheaply and without a model: the words that
// mark a kind of work (a rename or a typo is trivial; concurrency, protocols and retries are
// complex; architecture and consensus are expert), then the size of the task (files named,
// numbered steps, length) pushes it up a tier. Wrong by a tier now and then; the swarm escalates
// a failed answer one tier, and a caller who knows better passes `complexity`.
import type { ModelTier } from './registry.js';
import { modelTiers, tierIndex } from './registry.js';

/** Each pattern marks work of at least its tier; the hardest match wins. */
const markers: readonly [ModelTier, RegExp][] = [
  ['trivial', /\b(rename|typo|misspel\w*|spelling|bump (the )?version|derive\(|add (a )?derive|unused import|remove (the )?unused|docstring|change the default|reformat|whitespace|log message)\b/i],
  ['simple', /\b(helper|getter|setter|flag|field|enum variant|is (even|odd|empty)|validate|unit tests?|option|default value|returns? (true|false))\b/i],
  ['medium', /\b(implement|pagination|paginat\w*|endpoint|refactor|cache|caching|parser|parse|middleware|migration|integration tests?|serializ\w*|error handling|yaml|csv|backfill|lru)\b/i],
  ['complex', /\b(concurren\w*|async|await|retry|retries|backoff|thread\w*|deadlock|race condition|mutex|lock|protocol|websocket|streaming|state machine|rate limit\w*|transaction\w*|connection pool|resume\w*|refresh tokens?)\b/i],
  ['expert', /\b(architecture|architect|distributed|consensus|raft|paxos|crdts?|lock-free|wait-free|memory ordering|type (checker|inference|system)|hindley|compiler|multi-region|zero-downtime|sandboxing|security review|formal(ly)? verif\w*|byzantine)\b/i],
];

const fileMention = /\b[\w./-]+\.(ts|tsx|js|jsx|mjs|rs|py|go|java|kt|cs|cpp|cc|c|h|hpp|rb|php|swift|scala|sql|ya?ml|json|toml|md)\b/gi;
const numberedStep = /(^|\s)\d+[.)]\s/g;

export interface Classification {
  tier: ModelTier;
  /** What decided it, for the swarm's report: "markers: retry, async; 5 files". */
  why: string;
}

export function classifyComplexity(prompt: string): Classification {
  let level = -1;
  const found: string[] = [];
  for (const [tier, pattern] of markers) {
    const match = pattern.exec(prompt);
    if (!match) continue;
    found.push(match[0].toLowerCase());
    level = Math.max(level, tierIndex(tier));
  }
  const words = prompt.split(/\s+/).filter(Boolean).length;
  // A short ask whose verb is trivial ("rename the async helper") is trivial, whatever it names.
  if (found.length > 0 && markers[0]?.[1].test(prompt) && words <= 15) level = tierIndex('trivial');
  // Nothing recognised: a short ask is simple, a longer one medium.
  if (level < 0) level = words <= 12 ? tierIndex('simple') : tierIndex('medium');
  const files = new Set(prompt.match(fileMention) ?? []).size;
  const steps = (prompt.match(numberedStep) ?? []).length;
  const reasons = found.length > 0 ? [`markers: ${found.join(', ')}`] : [`${words} words, no marker`];
  // The size of the work raises the tier, once, and never above expert.
  const large = files >= 4 || steps >= 4 || words >= 150;
  if (large && level < tierIndex('expert')) {
    level += 1;
    reasons.push(files >= 4 ? `${files} files` : steps >= 4 ? `${steps} steps` : `${words} words`);
  }
  return { tier: modelTiers[level] ?? 'medium', why: reasons.join('; ') };
}
