import { Worker } from 'node:worker_threads';
import { AppError } from '../../lib/errors.ts';
import type { PiiBatchCipher } from '../../lib/pii-batch.ts';
import { type ReadBatch, type ReaderContext, type ReadOutcome, readLedger } from './ledger-reader.ts';
import type { WorkerInput } from './ledger-worker.ts';
import type { LimitedInput } from './spreadsheet.ts';

/**
 * Where the ledger reader runs, and how much it hands over at a time (docs/PERFORMANCE.md, "Issue 10: ledger
 * import"). From `workerFromBytes` on (≈ 10,000 rows of .xlsx) it runs in a worker thread: with PGlite the
 * request's thread is the database, so reading there would add to it (150,000 rows: 13–14 s in a worker, 21 s in
 * the thread); with PostgreSQL the worker keeps the reader's garbage off the writer's heap (peak RSS 406–416 MB
 * against 482–530 MB) for ≈ 1 s of start-up (the TypeScript loader compiles the reader's modules again), which a
 * small file would notice and a large one does not. The worker's heap is capped (`workerHeapMb`): a file that
 * needs more (a crafted shared-strings table) fails as unreadable instead of taking the server's memory.
 * Batches of 2,000 rows: each statement fires the roll-up and dashboard triggers once, so 1,000-row batches cost
 * PostgreSQL 15–25 % more CPU than 5,000-row ones, and 250-row ones twice as much; larger batches hold more in
 * memory for the little that is left.
 */
export const ledgerImportTuning = {
  batchRows: 2000,
  workerFromBytes: 512 * 1024,
  workerHeapMb: 256,
  /** batches the worker may have sealed ahead of the writer */
  workerAhead: 2,
};

/** The upload as one buffer (at most LEDGER_MAX_BYTES; exceljs needs the whole zip anyway). */
export async function collectUpload(file: LimitedInput): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of file) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The reader's batches, from this thread or from a worker thread depending on the file's size. */
export function ledgerBatches(
  file: Buffer,
  ctx: ReaderContext,
  sealer: PiiBatchCipher,
): AsyncGenerator<ReadBatch, ReadOutcome> {
  return file.length >= ledgerImportTuning.workerFromBytes
    ? readInWorker(file, ctx, sealer)
    : readLedger(file, ctx, sealer);
}

type FromWorker =
  | { type: 'batch'; batch: ReadBatch }
  | { type: 'done'; outcome: ReadOutcome }
  | { type: 'error'; error: { code: AppError['code']; details: AppError['details'] } | { message: string } }
  | { type: 'crash'; error: Error }
  | { type: 'exit'; code: number };

async function* readInWorker(
  file: Buffer,
  ctx: ReaderContext,
  sealer: PiiBatchCipher,
): AsyncGenerator<ReadBatch, ReadOutcome> {
  // A buffer of its own, handed over (not copied) to the worker.
  const own = file.byteOffset === 0 && file.byteLength === file.buffer.byteLength ? file : Buffer.from(file);
  const input: WorkerInput = {
    file: own.buffer as ArrayBuffer,
    ctx,
    keys: sealer.keyMaterial(),
    ahead: ledgerImportTuning.workerAhead,
  };
  const worker = new Worker(new URL('./ledger-worker.mjs', import.meta.url), {
    workerData: input,
    transferList: [input.file],
    resourceLimits: { maxOldGenerationSizeMb: ledgerImportTuning.workerHeapMb },
  });
  const queue: FromWorker[] = [];
  let wake: (() => void) | null = null;
  const push = (m: FromWorker) => {
    queue.push(m);
    wake?.();
    wake = null;
  };
  worker.on('message', (m: FromWorker) => push(m));
  worker.on('error', (error) => push({ type: 'crash', error }));
  worker.on('exit', (code) => push({ type: 'exit', code }));
  try {
    for (;;) {
      while (!queue.length) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift()!;
      switch (m.type) {
        case 'batch':
          worker.postMessage('ack');
          yield m.batch;
          break;
        case 'done':
          return m.outcome;
        case 'error':
          throw 'code' in m.error ? new AppError(m.error.code, m.error.details) : new Error(m.error.message);
        case 'crash':
          if ((m.error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY')
            throw new AppError('LEDGER_UNREADABLE', {
              detail:
                ctx.lang === 'zh-CN'
                  ? `读取该文件所需内存超过导入上限（${ledgerImportTuning.workerHeapMb} MB）`
                  : `reading this file needs more memory than an import may take (${ledgerImportTuning.workerHeapMb} MB)`,
            });
          throw m.error;
        case 'exit':
          throw new Error(`ledger reader thread ended early (exit code ${m.code})`);
      }
    }
  } finally {
    await worker.terminate();
  }
}
