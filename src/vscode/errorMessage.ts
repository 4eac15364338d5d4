// What to tell the user about a caught value: rejections are not always Errors (a string, an
// SDK's plain object), and a cast to Error would show "undefined" for those.
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
