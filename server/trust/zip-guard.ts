import zlib from 'node:zlib';
import { AppError } from '../lib/errors.ts';

/**
 * Zip-bomb guard for uploaded .xlsx files (issue 11). An .xlsx is a zip; exceljs's streaming reader caches
 * the shared-strings part in memory, so a 10 MB upload that inflates to gigabytes (deflate reaches ~1000:1)
 * would exhaust the server's memory. Before the reader sees the file, this reads the zip's central
 * directory and inflates every entry once, counting bytes without keeping them, and refuses the file when
 * the entries together inflate to more than `maxTotal` bytes or one entry inflates more than `maxRatio`
 * times its compressed size (sizes are measured, not taken from the headers, which a bomb can fake).
 */
export const ZIP_MAX_INFLATED = 200 * 1024 * 1024;
export const ZIP_MAX_RATIO = 200;
const MAX_ENTRIES = 10_000;

type Entry = { name: string; method: number; compressedSize: number; offset: number };

function entries(buf: Buffer): Entry[] {
  // End of central directory: the last 22–65,557 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new AppError('LEDGER_UNREADABLE', { detail: 'not a zip file' });
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (count > MAX_ENTRIES) throw new AppError('LEDGER_UNREADABLE', { detail: 'too many zip entries' });
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) {
      throw new AppError('LEDGER_UNREADABLE', { detail: 'broken zip directory' });
    }
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    out.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLength), method, compressedSize, offset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

/** Inflates `data` counting bytes; rejects as soon as the count passes `limit`. */
function inflatedSize(data: Buffer, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const inflate = zlib.createInflateRaw();
    inflate.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n > limit) {
        inflate.destroy();
        resolve(n);
      }
    });
    inflate.on('end', () => resolve(n));
    inflate.on('error', () => reject(new AppError('LEDGER_UNREADABLE', { detail: 'broken zip entry' })));
    inflate.end(data);
  });
}

export async function assertNoZipBomb(buf: Buffer, maxTotal = ZIP_MAX_INFLATED, maxRatio = ZIP_MAX_RATIO) {
  let total = 0;
  for (const e of entries(buf)) {
    if (e.offset + 30 > buf.length || buf.readUInt32LE(e.offset) !== 0x04034b50) {
      throw new AppError('LEDGER_UNREADABLE', { detail: 'broken zip entry' });
    }
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    const data = buf.subarray(start, start + e.compressedSize);
    const limit = Math.min(maxTotal - total, Math.max(1024 * 1024, e.compressedSize * maxRatio));
    const size = e.method === 0 ? data.length : e.method === 8 ? await inflatedSize(data, limit) : -1;
    if (size < 0) throw new AppError('LEDGER_UNREADABLE', { detail: `unsupported zip method ${e.method}` });
    if (size > limit) {
      throw new AppError('LEDGER_UNREADABLE', {
        detail: `zip entry ${e.name.slice(0, 80)} inflates beyond the limit (zip bomb?)`,
      });
    }
    total += size;
  }
}
