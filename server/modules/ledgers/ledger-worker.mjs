// Entry of the ledger reader's worker thread. Worker threads do not inherit the main thread's tsx loader
// (Node 20), so it is registered here before the TypeScript module is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./ledger-worker.ts');
