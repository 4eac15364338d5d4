// The model registry's figures of `npm run bench` (plain Node):
//   - the complexity classifier's accuracy on the hand-labelled prompts (exact, and within a tier);
//   - the cost estimate's time for a 100-request fan-out (tokens, US$ and the summary text);
//   - the swarm plan's time for 100 tasks, and its cost against every task on the top tier.
import { performance } from 'node:perf_hooks';
import { builtInRegistry } from '../../src/core/models/builtInRegistry.js';
import type { FanOutRequest } from '../../src/core/models/costEstimate.js';
import { estimateFanOut } from '../../src/core/models/costEstimate.js';
import { describeEstimate } from '../../src/core/models/estimateSummary.js';
import { modelTiers, tierIndex } from '../../src/core/models/registry.js';
import { planSwarm } from '../../src/core/models/swarmRouting.js';
import { classifyComplexity } from '../../src/core/models/taskComplexity.js';
import { formatUsd } from '../../src/core/models/usageSummary.js';
import { labelledPrompts } from '../unit/support/labelledPrompts.js';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const ms = (value: number): string => `${value.toFixed(3)} ms`;

function timed(rounds: number, work: () => void): number {
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return median(times);
}

function classifierAccuracy(): void {
  let exact = 0;
  let withinOne = 0;
  for (const { prompt, tier } of labelledPrompts) {
    const distance = Math.abs(tierIndex(classifyComplexity(prompt).tier) - tierIndex(tier));
    if (distance === 0) exact += 1;
    if (distance <= 1) withinOne += 1;
  }
  const total = labelledPrompts.length;
  const percent = (count: number): string => `${((count / total) * 100).toFixed(0)}%`;
  console.log(`classifier on ${total} hand-labelled prompts (${modelTiers.join('/')}): exact ${exact}/${total} (${percent(exact)}), within one tier ${withinOne}/${total} (${percent(withinOne)})`);
  console.log(`classify one prompt, median of 1,000: ${ms(timed(1000, () => classifyComplexity(labelledPrompts[19]?.prompt ?? '')))}`);
}

function estimateTime(): void {
  const spec = `${'Implement the connection pool with async retry logic and exponential backoff. '.repeat(60)}\n`.repeat(5);
  const models = [
    ['google', 'gemini-3-flash-preview'],
    ['google', 'gemini-3.1-pro-preview'],
    ['anthropic', 'claude-sonnet-4-6'],
    ['openai-compatible', 'qwen3-coder'],
  ] as const;
  const requests: FanOutRequest[] = Array.from({ length: 100 }, (_, index) => {
    const [provider, model] = models[index % models.length] ?? models[0];
    return { provider, model, system: 'You are a Rust expert. Implement exactly as specified.', messages: [{ role: 'user', content: `${spec} (part ${index})` }], maxTokens: 8192 };
  });
  const promptKiB = (requests[0]?.messages[0]?.content.length ?? 0) / 1024;
  let summary = '';
  const time = timed(21, () => {
    summary = describeEstimate(estimateFanOut(requests, builtInRegistry));
  });
  console.log(`estimate a 100-request fan-out (${promptKiB.toFixed(1)} KiB prompt each, 4 models), median of 21: ${ms(time)}`);
  console.log(`  "${summary}"`);
}

function swarmPlan(): void {
  const tasks = Array.from({ length: 100 }, (_, index) => ({ prompt: labelledPrompts[index % labelledPrompts.length]?.prompt ?? '', maxTokens: 4096 }));
  let plan = planSwarm(tasks, builtInRegistry, ['google', 'anthropic']);
  const time = timed(21, () => {
    plan = planSwarm(tasks, builtInRegistry, ['google', 'anthropic']);
  });
  const routed = plan.estimate.maxUsd ?? Number.NaN;
  const top = plan.allTopTier?.maxUsd ?? Number.NaN;
  console.log(`plan a 100-task swarm (classify, route, price), median of 21: ${ms(time)}`);
  console.log(
    `  at most ${formatUsd(routed)} routed (about ${formatUsd(plan.estimate.likelyUsd)}) vs ${formatUsd(top)} all on ${plan.topTierModel?.id ?? 'none'} (about ${formatUsd(plan.allTopTier?.likelyUsd ?? Number.NaN)}): ${((1 - routed / top) * 100).toFixed(0)}% less at most`,
  );
}

export async function registryFigures(): Promise<void> {
  console.log('\n## Model registry: the swarm classifier, the cost estimate and the swarm plan (plain Node)');
  classifierAccuracy();
  estimateTime();
  swarmPlan();
}
