// Code-generation prompts with the tier a person gave each, for the complexity classifier's test
// and its accuracy in the bench. Labelled before the classifier was tuned; kept varied on purpose
// (languages, lengths, phrasing) so the figure means something.
import type { ModelTier } from '../../../src/core/models/registry.js';

export const labelledPrompts: readonly { prompt: string; tier: ModelTier }[] = [
  { prompt: 'Add derive(Serialize) to the Config struct', tier: 'trivial' },
  { prompt: 'Fix the typo in the error message "recieved" in src/http.ts', tier: 'trivial' },
  { prompt: 'Rename the function getUsr to getUser everywhere', tier: 'trivial' },
  { prompt: 'Bump the version in package.json to 2.1.0', tier: 'trivial' },
  { prompt: 'Remove the unused import of lodash from utils.ts', tier: 'trivial' },
  { prompt: 'Change the default port from 8080 to 3000', tier: 'trivial' },
  { prompt: 'Add a docstring to the parse_date function', tier: 'trivial' },
  { prompt: 'Write a function that returns true if a number is even', tier: 'simple' },
  { prompt: 'Add an optional `timeout` field to the RequestOptions interface and pass it to fetch', tier: 'simple' },
  { prompt: 'Write a slugify helper that lowercases a string and replaces spaces with dashes, with unit tests', tier: 'simple' },
  { prompt: 'Add a --verbose flag to the CLI that prints each file it processes', tier: 'simple' },
  { prompt: 'Add a new enum variant Pending to OrderStatus and handle it in the match in display()', tier: 'simple' },
  { prompt: 'Validate that the email field is not empty before saving the form', tier: 'simple' },
  { prompt: 'Implement pagination for the GET /users endpoint with limit and offset query parameters, returning the total count', tier: 'medium' },
  { prompt: 'Refactor the config loader to read YAML as well as JSON, with error handling for malformed files', tier: 'medium' },
  { prompt: 'Add an in-memory LRU cache in front of the database lookups in user_repository.py, with a configurable size', tier: 'medium' },
  { prompt: 'Write a CSV parser that handles quoted fields and escaped quotes, and convert rows into typed records', tier: 'medium' },
  { prompt: 'Add middleware that logs each request method, path, status and duration, and integration tests for it', tier: 'medium' },
  { prompt: 'Write a database migration that splits the name column into first_name and last_name and backfills existing rows', tier: 'medium' },
  { prompt: 'Implement the connection pool with async retry logic', tier: 'complex' },
  { prompt: 'Implement a rate limiter with a token bucket per API key, safe under concurrency, with exponential backoff for callers', tier: 'complex' },
  { prompt: 'Write a streaming JSON parser that handles partial chunks over the websocket protocol and resumes after a dropped connection', tier: 'complex' },
  { prompt: 'Fix the deadlock between the writer thread and the flush task when the queue is full', tier: 'complex' },
  { prompt: 'Implement the state machine for the order lifecycle with transactions so that concurrent updates never lose a transition', tier: 'complex' },
  {
    prompt:
      'Change these files: src/server.ts, src/router.ts, src/auth/session.ts, src/auth/tokens.ts, test/server.test.ts. 1. Move session handling into its own module. 2. Add refresh tokens. 3. Expire sessions after 30 minutes. 4. Update the tests.',
    tier: 'complex',
  },
  { prompt: 'Design the architecture of a multi-region, eventually consistent key-value store with conflict resolution using CRDTs', tier: 'expert' },
  { prompt: 'Implement a lock-free multi-producer multi-consumer queue in Rust with correct memory ordering', tier: 'expert' },
  { prompt: 'Implement Raft leader election and log replication for the cluster, with persistence and snapshotting', tier: 'expert' },
  { prompt: 'Write a type checker with Hindley-Milner type inference for the expression language in compiler/', tier: 'expert' },
  { prompt: 'Redesign the plugin system architecture for zero-downtime upgrades, with sandboxing and a security review of the capability model', tier: 'expert' },
];
