import { config } from 'zod';

// The gateway serves the app with a strict CSP (no 'unsafe-eval'). zod compiles object parsers with
// `new Function` when it can, probing for that while the agent-api schemas are built; under the
// CSP the probe is refused and logged as a violation. Jitless parsing needs no eval and is plenty
// fast for API answers. Imported first in main.tsx, before any schema exists.
config({ jitless: true });
