// One way to put a caught value into words: a rejection need not be an Error (a string, an
// abort reason), and a cast would print "undefined" for it.
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
