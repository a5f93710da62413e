import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../lib/errors.ts';
import { PiiBatchCipher, type PiiBatchKeys } from '../../lib/pii-batch.ts';
import { type ReaderContext, readLedger } from './ledger-reader.ts';

/**
 * The ledger reader in a worker thread (started by ledger-import.ts through ledger-worker.mjs): posts each batch
 * as soon as it is sealed, at most `ahead` batches before the writer has taken them (it acknowledges each), so
 * a slow database holds the reader back instead of filling memory.
 */
export type WorkerInput = { file: ArrayBuffer; ctx: ReaderContext; keys: PiiBatchKeys; ahead: number };

const port = parentPort!;
const input = workerData as WorkerInput;
let credit = input.ahead;
let wake: (() => void) | null = null;
port.on('message', (m) => {
  if (m !== 'ack') return;
  credit += 1;
  wake?.();
  wake = null;
});

try {
  const batches = readLedger(Buffer.from(input.file), input.ctx, new PiiBatchCipher(input.keys));
  for (;;) {
    const next = await batches.next();
    if (next.done) {
      port.postMessage({ type: 'done', outcome: next.value });
      break;
    }
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit -= 1;
    const { values } = next.value;
    // The JSON's bytes are handed over, not copied (a buffer of its own unless the batch was tiny).
    const own = values.byteOffset === 0 && values.byteLength === values.buffer.byteLength;
    port.postMessage({ type: 'batch', batch: next.value }, own ? [values.buffer as ArrayBuffer] : []);
  }
} catch (err) {
  port.postMessage({
    type: 'error',
    error:
      err instanceof AppError
        ? { code: err.code, details: err.details }
        : { message: err instanceof Error ? err.message : String(err) },
  });
}
port.unref(); // done: let the thread end (the writer terminates it anyway)
