// The key vault's RPC overhead per call: kv.activeModels and a one-request kv.parallelGenerate
// over HTTP keep-alive on 127.0.0.1, against the same service call made in process, so the figure
// is what the face adds (HTTP, the gates, parsing both ways, redaction), not the service's work.
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startKvServer } from '../../src/rpc/kvServer.js';
import { RpcToken } from '../../src/rpc/rpcToken.js';
import { KeyVaultDouble } from '../unit/rpc/keyVaultDouble.js';

const CALLS = 2_000;
const WARM_UP = 200;

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

async function timed(call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i += 1) await call();
  const times: number[] = [];
  for (let i = 0; i < CALLS; i += 1) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return times;
}

function post(port: number, agent: Agent, body: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path: '/rpc', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => (res.statusCode === 200 && text.includes('"result"') ? resolve() : reject(new Error(`bench call failed: ${res.statusCode} ${text.slice(0, 200)}`))));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export async function rpcFigures(): Promise<void> {
  console.log(`\n## Key vault RPC overhead per call (HTTP keep-alive on 127.0.0.1, ${CALLS} calls each after ${WARM_UP} warm-up, minus the same call in process)`);
  const service = new KeyVaultDouble();
  const rpcToken = new RpcToken({ get: async () => undefined, store: async () => undefined });
  const token = await rpcToken.current();
  const server = await startKvServer({ service, token: rpcToken });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const generateParams = { requests: [{ provider: 'google', model: 'gemini-2.5-flash-lite', messages: [{ role: 'user' as const, content: 'Implement the spec.' }], temperature: 0.2, max_tokens: 1024 }] };
  const cases = [
    { name: 'kv.activeModels', inProcess: () => service.activeModels(), body: JSON.stringify({ jsonrpc: '2.0', method: 'kv.activeModels', id: 1 }) },
    { name: 'kv.parallelGenerate (1 request)', inProcess: () => service.parallelGenerate(generateParams, new AbortController().signal), body: JSON.stringify({ jsonrpc: '2.0', method: 'kv.parallelGenerate', params: generateParams, id: 2 }) },
  ];
  const ms = (value: number): string => `${value.toFixed(3)} ms`;
  try {
    for (const entry of cases) {
      const local = await timed(entry.inProcess);
      const remote = await timed(() => post(server.port, agent, entry.body, token));
      const median = percentile(remote, 0.5) - percentile(local, 0.5);
      const p95 = percentile(remote, 0.95) - percentile(local, 0.95);
      console.log(`${entry.name.padEnd(34)} overhead median ${ms(median)}, p95 ${ms(p95)}  (over HTTP ${ms(percentile(remote, 0.5))} / ${ms(percentile(remote, 0.95))}, in process ${ms(percentile(local, 0.5))} / ${ms(percentile(local, 0.95))})`);
    }
    console.log('goal: ≤ 1 ms median. Reference: a LiteLLM gateway reports about 2 ms median, 8 ms p95 of added latency.');
    // The p95 is the first figure to suffer when other work shares the CPUs: say how busy they were.
    console.log(`(load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs during the run)`);
  } finally {
    agent.destroy();
    await server.close();
  }
}
