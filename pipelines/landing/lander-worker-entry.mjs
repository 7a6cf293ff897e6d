// Entry of the lander's worker thread: registers the TypeScript loader (as
// bin/luca.mjs does for the main thread), then runs lander-worker.ts.
import { register } from 'tsx/esm/api';

register();
await import('./lander-worker.ts');
