// The seed's four kv.* methods as JSON-RPC methods over a KeyVaultService: the two read-only
// ones open to any local caller, the two that spend behind the bearer token.
import {
  ActiveModelsAnswerSchema,
  ActiveModelsParamsSchema,
  ModelRegistryAnswerSchema,
  ModelRegistryParamsSchema,
  ParallelGenerateAnswerSchema,
  ParallelGenerateParamsSchema,
  SwarmGenerateAnswerSchema,
  SwarmGenerateParamsSchema,
} from '../core/keyvault/kvProtocol.js';
import type { KeyVaultService } from '../core/keyvault/kvProtocol.js';
import { rpcMethod } from './jsonRpc.js';
import type { RpcMethod } from './jsonRpc.js';

export function kvMethods(service: KeyVaultService): ReadonlyMap<string, RpcMethod> {
  return new Map<string, RpcMethod>([
    ['kv.activeModels', rpcMethod(false, ActiveModelsParamsSchema, ActiveModelsAnswerSchema, () => service.activeModels())],
    ['kv.modelRegistry', rpcMethod(false, ModelRegistryParamsSchema, ModelRegistryAnswerSchema, () => service.modelRegistry())],
    ['kv.parallelGenerate', rpcMethod(true, ParallelGenerateParamsSchema, ParallelGenerateAnswerSchema, async (params, signal) => oneEach(await service.parallelGenerate(params, signal), params.requests.length))],
    ['kv.swarmGenerate', rpcMethod(true, SwarmGenerateParamsSchema, SwarmGenerateAnswerSchema, async (params, signal) => oneEach(await service.swarmGenerate(params, signal), params.tasks.length))],
  ]);
}

/** Callers match results to requests by position: a lost or extra one would pair them wrongly. */
function oneEach<A extends { results: readonly unknown[] }>(answer: A, expected: number): A {
  if (answer.results.length !== expected) throw new Error(`the service answered ${answer.results.length} results for ${expected} requests`);
  return answer;
}
