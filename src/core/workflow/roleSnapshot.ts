// A model in a role, as a run remembers it: which provider and model, how it thinks, its
// fallback and the host its requests went to. Kept in run.json, so a reloaded window asks the
// same models.
import * as z from 'zod';

export const RoleSnapshotSchema = z.object({
  provider: z.string(),
  modelId: z.string(),
  displayName: z.string(),
  thinking: z.enum(['none', 'low', 'medium', 'high']),
  isDemo: z.boolean(),
  /** The seed's Fallback column for this role, when it has one. */
  fallback: z.object({ modelId: z.string(), displayName: z.string(), thinking: z.enum(['none', 'low', 'medium', 'high']) }).optional(),
  /** The host requests went to when the run started, when it is not the provider's own (a gateway, a local server). */
  endpoint: z.string().optional(),
});
export type RoleSnapshot = z.infer<typeof RoleSnapshotSchema>;
