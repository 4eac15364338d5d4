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
    ['kv.parallelGenerate', rpcMethod(true, ParallelGenerateParamsSchema, ParallelGenerateAnswerSchema, (params, signal) => service.parallelGenerate(params, signal))],
    ['kv.swarmGenerate', rpcMethod(true, SwarmGenerateParamsSchema, SwarmGenerateAnswerSchema, (params, signal) => service.swarmGenerate(params, signal))],
  ]);
}
