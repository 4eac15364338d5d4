// Reading a request body under a size limit and writing JSON answers: the two things every
// route of the key vault's server does with HTTP.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnswerScrubber } from './answerScrubber.js';

export type BodyRead = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * The body as text, or 'too-large' as soon as it passes `maxBytes` (a declared Content-Length
 * over it is refused before a byte is read): nothing over the limit is kept or parsed.
 */
export function readBodyWithin(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        chunks.length = 0;
        // What is still coming is read and dropped, so the answer gets through before the socket closes.
        req.resume();
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.once('aborted', () => resolve({ ok: false, reason: 'aborted' }));
    req.once('error', () => resolve({ ok: false, reason: 'aborted' }));
  });
}

/** Sends `value` as JSON, every known key removed; `close` ends the connection after it. */
export function sendJson(res: ServerResponse, status: number, value: unknown, scrubber: AnswerScrubber, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const body = scrubber.scrub(JSON.stringify(value));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/** Whether the request says its body is JSON (a plain web form cannot, without a CORS preflight). */
export function isJsonContent(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}
