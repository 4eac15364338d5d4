// The judge must not know which model wrote which candidate: every Coder's display name, model id
// and provider is taken out of what it is sent, wherever it appears (a diff, a comment, a summary
// in which a model names itself). Longest first, so "gpt-4o-mini" is not left as "…-mini".
import type { RoleSnapshot } from './roleSnapshot.js';

export const redactedModel = '[a model]';

export function modelNamesOf(roles: readonly RoleSnapshot[]): string[] {
  const names = roles.flatMap((role) => [role.displayName, role.modelId, role.provider, role.endpoint ?? '']);
  // Two letters or fewer would take letters out of ordinary words.
  return [...new Set(names.map((name) => name.trim()).filter((name) => name.length > 2))].sort((a, b) => b.length - a.length);
}

export function withoutModelNames(text: string, names: readonly string[]): string {
  let result = text;
  for (const name of names) result = result.replace(new RegExp(escapeRegExp(name), 'gi'), redactedModel);
  return result;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
