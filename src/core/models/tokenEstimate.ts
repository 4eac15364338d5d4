// How many tokens a prompt is, without the providers' tokenizers: their vocabularies are not
// published for Claude or Gemini, and OpenAI's ships as tens of megabytes. The heuristic follows
// how byte-pair encoders split text: a word (camelCase and snake_case parts apart) is one token
// up to ten letters and one more per six after; digits go in threes; a run of punctuation is a
// token per three characters; a line break with its indentation is one; any other character
// (accents, CJK, emoji) counts one.
//
// Measured once against OpenAI's o200k_base tokenizer (gpt-tokenizer, outside the project) on
// this repository's 232 TypeScript and Markdown files: +8% in the median, between +2% and +15%
// for 90% of the files, never under by more than 2%. Claude's and Gemini's tokenizers are not
// available offline and count differently (Claude's more than o200k): expect about ±25% against
// what they bill. A figure for costs and caps, not for packing a context window to the last token.
const tokenPattern = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+|\r?\n[ \t]*|[ \t]+|[!-/:-@[-`{-~]+|[^\p{ASCII}]|\p{Cc}/gu;

/** The expected error of an estimate against a provider's own count, as a fraction (above). */
export const TOKEN_ESTIMATE_ERROR = 0.25;

export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(tokenPattern)) {
    const piece = match[0];
    const first = piece.charCodeAt(0);
    if (isLetter(first)) tokens += piece.length <= 10 ? 1 : 1 + Math.ceil((piece.length - 10) / 6);
    else if (isDigit(first)) tokens += Math.ceil(piece.length / 3);
    else if (piece.startsWith('\n') || piece.startsWith('\r')) tokens += 1;
    else if (first === 0x20 || first === 0x09) tokens += piece.length > 1 ? 1 : 0; // one space joins the next word
    else if (first > 0x7f) tokens += 1;
    else tokens += Math.ceil(piece.length / 3);
  }
  return tokens;
}

/** Tokens a chat request reads: each message with its role framing (about four tokens each). */
export function estimateChatTokens(system: string | undefined, messages: readonly { content: string }[]): number {
  const framing = 4;
  let tokens = system ? estimateTokens(system) + framing : 0;
  for (const message of messages) tokens += estimateTokens(message.content) + framing;
  return tokens;
}

const isLetter = (code: number): boolean => (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
