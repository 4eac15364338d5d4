// A raw HTTP client for the key vault's server tests: node:http rather than fetch, because the
// tests must send what a browser or a hostile page would (any Host, any Origin, a lying
// Content-Length), and read exactly what came back.
import { Agent, request } from 'node:http';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface SendOptions {
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  agent?: Agent;
}

export function send(port: number, path: string, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'POST', headers: { host: `127.0.0.1:${port}`, ...options.headers }, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

/** POST /rpc with a JSON body (text as given, so tests can send broken JSON). */
export function rpc(port: number, body: unknown, headers: OutgoingHttpHeaders = {}): Promise<Reply> {
  return send(port, '/rpc', { headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

export function json(reply: Reply): unknown {
  return JSON.parse(reply.text) as unknown;
}
