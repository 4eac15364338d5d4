// Must be imported before any schema is built (main.ts imports it first). zod's JIT would probe
// `new Function`, which our CSP forbids: the probe fails quietly but is still reported as a CSP
// violation. Without JIT zod parses a little slower, which a few messages a second never notice.
import * as z from 'zod';

z.config({ jitless: true });
