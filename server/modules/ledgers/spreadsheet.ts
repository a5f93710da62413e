import { PassThrough, Readable, Transform } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { escapeSpreadsheetText, type LedgerCell } from '../../../domain/ledger.ts';
import { AppError } from '../../lib/errors.ts';
import { assertNoZipBomb } from '../../trust/zip-guard.ts';

/**
 * Reading and writing ledger spreadsheets as streams: .xlsx through exceljs's streaming reader and
 * writer, .csv (UTF-8 or GBK, as Excel in China saves it) through csv-parse. A file is never held in
 * memory whole, and an upload beyond the byte limit is cut off while it streams.
 */

export type SheetRow = { rowNumber: number; cells: LedgerCell[] };

/** Columns past this are ignored: a ledger has a dozen, a hostile file may claim thousands. */
const MAX_COLUMNS = 64;

/** A stream cut off at a byte limit; `exceeded` tells whether it was. */
export type LimitedInput = Transform & { exceeded: boolean; aborted: boolean };

/**
 * Passes at most `limit` bytes through, then ends the stream (parsers see a normal end, so nothing
 * hangs) and marks it `exceeded`; the rest of the upload is read and discarded so the answer can
 * be sent. A client that aborts ends it the same way, marked `aborted`.
 */
export function limitBytes(source: Readable, limit: number): LimitedInput {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (t.exceeded) return done();
      if (seen > limit) {
        t.exceeded = true;
        t.push(null);
        return done();
      }
      done(null, chunk);
    },
  }) as LimitedInput;
  t.exceeded = false;
  t.aborted = false;
  source.on('error', () => {
    t.aborted = true;
    t.end();
  });
  source.pipe(t);
  return t;
}

function excelCell(value: ExcelJS.CellValue): LedgerCell {
  if (value === null || value === undefined || value === '') return { text: '', kind: 'empty' };
  if (typeof value === 'string') return { text: value, kind: 'text' };
  if (typeof value === 'number') return { text: String(value), kind: 'number' };
  if (typeof value === 'boolean') return { text: value ? '是' : '否', kind: 'text' };
  if (value instanceof Date) {
    // Excel dates carry no zone; exceljs reads them as UTC midnight of the written day.
    return Number.isNaN(value.getTime())
      ? { text: '', kind: 'text' }
      : { text: value.toISOString().slice(0, 10), kind: 'date' };
  }
  if ('formula' in value || 'sharedFormula' in value) return { text: '', kind: 'formula' };
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join(''), kind: 'text' };
  if ('text' in value) return { text: String(value.text), kind: 'text' };
  if ('error' in value) return { text: String(value.error), kind: 'text' };
  return { text: '', kind: 'text' };
}

async function* xlsxRows(input: Readable | Buffer): AsyncGenerator<SheetRow> {
  // Zip-bomb guard (issue 11, server/trust/zip-guard.ts): the upload is at most 10 MB, so it is held in
  // memory and its entries are inflated once, counted, before exceljs (which caches shared strings) reads it.
  let file: Buffer;
  if (Buffer.isBuffer(input)) file = input;
  else {
    const chunks: Buffer[] = [];
    for await (const chunk of input) chunks.push(chunk as Buffer);
    file = Buffer.concat(chunks);
  }
  await assertNoZipBomb(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([file]), {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  const toRow = (row: ExcelJS.Row): SheetRow => ({
    rowNumber: row.number,
    cells: Array.from((row.values as ExcelJS.CellValue[]).slice(1, MAX_COLUMNS + 1), (v) => excelCell(v)),
  });
  let started = false;
  try {
    for await (const sheet of reader as AsyncIterable<AsyncIterable<ExcelJS.Row>>) {
      for await (const row of sheet) {
        started = true;
        yield toRow(row);
      }
      return; // the ledger is the first sheet; notes on other sheets are not data
    }
  } catch (err) {
    // exceljs's streaming reader needs xl/workbook.xml before the sheets in the zip; the format allows any order
    // (and exceljs's own writer sometimes puts a sheet first). Such a file is read whole instead: it is at most
    // 10 MB, already in memory.
    if (started || !(err instanceof TypeError && /sheets/.test(err.message))) throw err;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
    const rows: SheetRow[] = [];
    workbook.worksheets[0]?.eachRow((row) => rows.push(toRow(row)));
    yield* rows;
  }
}

/** UTF-8 unless the first bytes are not valid UTF-8, then GBK (GB18030), as WPS/Excel save in China. */
function decodeText(input: Readable): Readable {
  let decided: ((chunk: Buffer) => string) | null = null;
  let gbk: ReturnType<typeof iconv.getDecoder> | null = null;
  const utf8 = new TextDecoder('utf-8');
  return input.pipe(
    new Transform({
      readableObjectMode: false,
      transform(chunk: Buffer, _enc, done) {
        if (!decided) {
          try {
            new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
            decided = (c) => utf8.decode(c, { stream: true });
          } catch {
            gbk = iconv.getDecoder('gb18030');
            decided = (c) => gbk!.write(c);
          }
        }
        done(null, decided(chunk));
      },
      flush(done) {
        done(null, gbk ? (gbk.end() ?? '') : utf8.decode());
      },
    }),
  );
}

async function* csvRows(input: Readable): AsyncGenerator<SheetRow> {
  const parser = decodeText(input).pipe(
    parseCsv({ bom: true, relax_column_count: true, skip_empty_lines: false, info: true }),
  );
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const cells: LedgerCell[] = record.record.slice(0, MAX_COLUMNS).map((text) => {
      if (text === '') return { text, kind: 'empty' };
      // Excel evaluates a CSV cell that starts with "=" as a formula.
      return { text, kind: text.startsWith('=') ? 'formula' : 'text' };
    });
    yield { rowNumber: record.info.lines, cells };
  }
}

/** The rows of an uploaded ledger (a stream, or the whole file), numbered as the cadre sees them in Excel. */
export async function* readSheet(input: Readable | Buffer, kind: 'xlsx' | 'csv'): AsyncGenerator<SheetRow> {
  try {
    yield* kind === 'xlsx' ? xlsxRows(input) : csvRows(Buffer.isBuffer(input) ? Readable.from([input]) : input);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('LEDGER_UNREADABLE', { detail: err instanceof Error ? err.message.slice(0, 200) : undefined });
  }
}

/** Cell text an export writes: formula-like text escaped (see escapeSpreadsheetText). */
export function safeCell(value: string | number | boolean | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  return escapeSpreadsheetText(value);
}

/** A streaming .xlsx writer whose bytes can be sent as a reply while rows are still being added. */
export function streamingWorkbook() {
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  return { workbook, output };
}
