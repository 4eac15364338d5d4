// A server-sent events parser for streamed answers (the WHATWG "event stream" rules, minus
// reconnection). Network chunks end anywhere — inside a line, inside a CRLF pair, inside a
// multi-byte UTF-8 character — so bytes are decoded in streaming mode and only complete lines
// are interpreted. An event counts only once its terminating blank line has arrived: a stream
// cut in the middle of an event must look cut, not like a shorter answer.

export interface SseEvent {
  /** The `event:` field; 'message' when the server sent none (as OpenAI-compatible servers do). */
  event: string;
  /** The `data:` lines of the event, joined with '\n'. */
  data: string;
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** The start of a line whose end has not arrived yet. */
  private partialLine = '';
  /** The previous chunk ended in '\r': a '\n' starting the next one belongs to that line end. */
  private pendingCr = false;
  private dataLines: string[] = [];
  private eventName = '';
  private sawData = false;

  /** Feeds one network chunk; returns the events it completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.consume(text);
  }

  /** The body ended: completes any last events; an event without its blank line is dropped. */
  end(): SseEvent[] {
    const events = this.consume(this.decoder.decode());
    this.partialLine = '';
    this.resetEvent();
    return events;
  }

  private consume(text: string): SseEvent[] {
    if (text.length === 0) return [];
    let input = text;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (input.startsWith('\n')) input = input.slice(1);
    }
    const events: SseEvent[] = [];
    // Everything before `partialLine`'s end was already searched for line breaks.
    const buffer = this.partialLine + input;
    let lineStart = 0;
    for (let at = this.partialLine.length; at < buffer.length; at += 1) {
      const code = buffer.charCodeAt(at);
      if (code !== 0x0a && code !== 0x0d) continue;
      const event = this.line(buffer.slice(lineStart, at));
      if (event) events.push(event);
      if (code === 0x0d) {
        if (at + 1 === buffer.length) this.pendingCr = true;
        else if (buffer.charCodeAt(at + 1) === 0x0a) at += 1;
      }
      lineStart = at + 1;
    }
    this.partialLine = buffer.slice(lineStart);
    return events;
  }

  /** Interprets one complete line; a blank line dispatches the event collected so far. */
  private line(line: string): SseEvent | undefined {
    if (line === '') {
      const event = this.sawData ? { event: this.eventName || 'message', data: this.dataLines.join('\n') } : undefined;
      this.resetEvent();
      return event;
    }
    if (line.startsWith(':')) return undefined; // a comment, e.g. a keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.dataLines.push(value);
      this.sawData = true;
    } else if (field === 'event') {
      this.eventName = value;
    }
    // `id:` and `retry:` only matter for reconnecting, which a model answer never does.
    return undefined;
  }

  private resetEvent(): void {
    this.dataLines = [];
    this.eventName = '';
    this.sawData = false;
  }
}
