// kv.swarmGenerate: each task routed to the cheapest adequate model among the providers with keys
// (or the tier or model the caller gave), all sent in parallel through the pool. A task whose
// answer is empty, refused or failed goes one tier up (to a different model) and is asked once
// there, and so on to the top. Spend is held before anything is sent: every task's first attempt
// at its most, whole or not at all; each escalation is held before it is sent.
import type { Complexity, SwarmGenerateAnswer, SwarmGenerateParams, SwarmResult } from './kvProtocol.js';
import { KeyVaultError } from './kvProtocol.js';
import type { GenerationDeps, PoolCall, PoolCallOutcome } from './poolGeneration.js';
import { failureOf, reserveAll, runPoolCall } from './poolGeneration.js';
import type { Reservation } from '../models/spendLedger.js';
import type { Route, SwarmTask as RoutedTask } from '../models/swarmRouting.js';
import { escalate, routeTask } from '../models/swarmRouting.js';

/** The seed's default temperature for a swarm task that names none. */
export const swarmDefaultTemperature = 0.2;

/**
 * A refusal, as no provider here reports one as a stop reason: a short answer (under 300
 * characters) that opens by declining ("I can't…", "I'm sorry, but…", "As an AI…"). A long
 * answer that mentions what it cannot do is an answer.
 */
const refusalOpening = /^\s*(i\s*['’]?\s*(m|am)\s+(sorry|unable|not able)|i\s+(can['’]?t|cannot|can not|won['’]?t|will not)|sorry,?\s+(but\s+)?i\b|as an ai\b|unfortunately,?\s+i\b)/i;
const refusalMaxLength = 300;

/** Why an answer is not one: empty, or a refusal; undefined when it is an answer. */
export function unusableAnswer(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 'the answer was empty';
  if (trimmed.length < refusalMaxLength && refusalOpening.test(trimmed)) return 'the model declined the task';
  return undefined;
}

export async function swarmGenerate(params: SwarmGenerateParams, available: readonly string[], runId: string, deps: GenerationDeps, signal: AbortSignal): Promise<SwarmGenerateAnswer> {
  const routings = params.tasks.map((task) => routeTask(routedTask(task), deps.registry, available));
  const routed = routings.flatMap((routing, index) => (routing.ok ? [{ index, route: routing.route }] : []));
  if (routed.length === 0) {
    const first = routings[0];
    throw new KeyVaultError(available.length === 0 ? 'no-key' : 'unknown-model', `No task could be routed: ${first && !first.ok ? first.error : 'no task'}.`);
  }
  const callOf = (index: number, route: Route): PoolCall => {
    const task = params.tasks[index];
    return {
      model: route.model,
      ...(task?.system_prompt !== undefined ? { system: task.system_prompt } : {}),
      messages: [{ role: 'user', content: task?.prompt ?? '' }],
      ...(task?.max_tokens !== undefined ? { maxTokens: task.max_tokens } : {}),
      // The seed's Swarm Fields: "temperature — Default: 0.2".
      temperature: task?.temperature ?? swarmDefaultTemperature,
    };
  };
  const firstHolds = await reserveAll(deps.ledger, runId, routed.map(({ index, route }) => callOf(index, route)), deps.registry);

  const results: SwarmResult[] = params.tasks.map((task, index) => {
    const routing = routings[index];
    const complexity: Complexity = routing?.ok ? routing.route.tier : (routing?.tier ?? 'medium');
    const failure = routing && !routing.ok ? routing.error : 'not routed';
    // Routing says "no key for …" or "no model … among the providers with keys" when keys are what is missing.
    const code = /\bno key\b|providers with keys/.test(failure) ? 'no-key' : 'unknown-model';
    return { ...(task.label !== undefined ? { label: task.label } : {}), model: task.model ?? '', complexity, ok: false, error: { code, message: failure } };
  });
  await Promise.all(
    routed.map(async ({ index, route }, order) => {
      const hold = firstHolds[order];
      if (!hold) return;
      results[index] = await runTask(index, route, hold, { callOf, deps, runId, available, signal, label: params.tasks[index]?.label });
    }),
  );
  const succeeded = results.filter((result) => result.ok).length;
  return { results, summary: { total: results.length, succeeded, failed: results.length - succeeded } };
}

interface TaskContext {
  callOf: (index: number, route: Route) => PoolCall;
  deps: GenerationDeps;
  runId: string;
  available: readonly string[];
  signal: AbortSignal;
  label: string | undefined;
}

/** One task: its first route, then one tier up after each unusable answer, until one answers. */
async function runTask(index: number, first: Route, firstHold: Reservation, context: TaskContext): Promise<SwarmResult> {
  const { deps } = context;
  let route = first;
  let hold: Reservation | undefined = firstHold;
  let costUsd = 0;
  let priced = true;
  const common = (answered: Route): Pick<SwarmResult, 'label' | 'model' | 'complexity' | 'escalated' | 'costUsd'> => ({
    ...(context.label !== undefined ? { label: context.label } : {}),
    model: answered.model.id,
    complexity: first.tier,
    ...(answered !== first ? { escalated: true } : {}),
    ...(priced ? { costUsd } : {}),
  });
  for (;;) {
    const outcome: PoolCallOutcome = await runPoolCall(context.callOf(index, route), hold, deps, context.signal);
    if (outcome.costUsd === undefined) priced = false;
    else costUsd += outcome.costUsd;
    const unusable = outcome.ok ? unusableAnswer(outcome.text) : outcome.failure.message;
    if (outcome.ok && unusable === undefined) return { ...common(route), ok: true, text: outcome.text };
    const failure = outcome.ok ? { code: 'unusable', message: `${route.model.id}: ${unusable ?? ''}` } : outcome.failure;
    const next = context.signal.aborted || failure.code === 'cancelled' ? undefined : escalate(route, deps.registry, context.available);
    if (!next) return { ...common(route), ok: false, error: failure };
    try {
      [hold] = await reserveAll(deps.ledger, context.runId, [context.callOf(index, next)], deps.registry);
    } catch (error) {
      // The escalation would cross a cap: the task stops here, with why.
      return { ...common(route), ok: false, error: failureOf(error) };
    }
    if (!hold) return { ...common(route), ok: false, error: failure };
    route = next;
  }
}

function routedTask(task: SwarmGenerateParams['tasks'][number]): RoutedTask {
  return {
    prompt: task.prompt,
    ...(task.label !== undefined ? { label: task.label } : {}),
    ...(task.complexity !== undefined ? { complexity: task.complexity } : {}),
    ...(task.model !== undefined ? { model: task.model } : {}),
    ...(task.system_prompt !== undefined ? { system: task.system_prompt } : {}),
    ...(task.max_tokens !== undefined ? { maxTokens: task.max_tokens } : {}),
  };
}
