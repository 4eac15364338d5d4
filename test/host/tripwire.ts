// A server no request may reach: the untrusted pass's planted settings point every provider at
// it, so any request it sees is a key that went where the user never sent it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Tripwire {
  url: string;
  /** "METHOD path" of every request received so far. */
  requests(): string[];
  close(): Promise<void>;
}

export async function startTripwire(): Promise<Tripwire> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method ?? '?'} ${request.url ?? '?'}`);
    response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"tripwire"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...seen],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
