import { isCircleKind } from '../../../domain/grid.ts';
import {
  columnLetter,
  type HeaderProblem,
  LEDGER_MAX_ROWS,
  type LedgerField,
  type LedgerImportQuery,
  type LedgerIssue,
  type LedgerPerson,
  mapHeader,
  parseLedgerRow,
} from '../../../domain/ledger.ts';
import type { Lang } from '../../../domain/messages.ts';
import { AppError } from '../../lib/errors.ts';
import type { PiiBatchCipher } from '../../lib/pii-batch.ts';
import type { ImportedPersonRow } from '../people/people.repository.ts';
import { readSheet } from './spreadsheet.ts';

/**
 * The CPU half of a ledger import (no database): reads the file, finds and checks the header, validates every
 * row, resolves grid codes, computes the blind indexes, marks the rows that repeat an identifier of an earlier
 * row, and seals the identifiers of the others, batch by batch. It runs in the request's thread for small files
 * and in a worker thread for large ones (ledger-worker.ts), where its garbage and its CPU stay off the thread
 * that talks to the database — with PGlite, the thread that *is* the database.
 */

/** How many issues an import keeps for its report (a file of garbage should not fill the database). */
export const ISSUES_KEPT = 50_000;
/** Rows before the header that may hold a title (e.g. a merged "XX村青年台账" banner). */
const HEADER_SEARCH_ROWS = 10;

export type LedgerGrid = { id: number; orgId: number; active: boolean; kind: string };

/** Everything the reader needs, as plain data (it crosses to a worker thread). */
export type ReaderContext = {
  kind: 'xlsx' | 'csv';
  lang: Lang;
  mode: LedgerImportQuery['mode'];
  /** today in China (ID numbers of people not yet born are refused) */
  today: string;
  /** the org imported into: the League branch of rows without a grid */
  orgId: number;
  /** grids under the org, by code */
  grids: [string, LedgerGrid][];
  batchRows: number;
};

/** A valid row that shares a phone or ID number with an earlier row of the file (for the de-duplicated write). */
export type RepeatRow = { person: LedgerPerson; gridId: number | null };

/**
 * One batch of valid rows, in file order: the bulk insert's JSON (identifiers sealed) for the rows that repeat
 * no identifier of an earlier row, and the repeating rows with their place in the batch. Nothing else crosses
 * to the writer (a batch is ≈ 0.5 MB of JSON, as UTF-8 bytes: handed over from a worker without a copy, and
 * kept off the writer's JS heap): a row the insert skips is rebuilt from its JSON.
 */
export type ReadBatch = { size: number; values: Uint8Array; fresh: number; repeats: { at: number; row: RepeatRow }[] };

export type ReadOutcome = { headerFound: boolean; total: number; rejected: number; issues: LedgerIssue[] };

/** The first 52 bits of a blind index as a number: a compact key for the set of identifiers seen so far. */
const seenKey = (blindIndex: string) => Number.parseInt(blindIndex.slice(0, 13), 16);

export async function* readLedger(
  file: Buffer,
  ctx: ReaderContext,
  sealer: PiiBatchCipher,
): AsyncGenerator<ReadBatch, ReadOutcome> {
  const grids = new Map(ctx.grids);
  const issues: LedgerIssue[] = [];
  let total = 0;
  let rejected = 0;
  /** Identifiers of the rows accepted so far (52-bit keys: a collision only sends a row the slow way). */
  const seen = new Set<number>();
  let batch: Accepted[] = [];
  let fields: (LedgerField | null)[] | null = null;
  for await (const { rowNumber, cells } of readSheet(file, ctx.kind)) {
    if (!fields) {
      const looksLikeHeader = cells.some((c) =>
        ['姓名', 'name'].includes(c.text.replace(/[*＊\s]/g, '').toLowerCase()),
      );
      if (!looksLikeHeader) {
        if (rowNumber >= HEADER_SEARCH_ROWS)
          throw new AppError('LEDGER_HEADER', {
            detail: ledgerHeaderDetail({ code: 'LEDGER_HEADER_MISSING', header: '姓名' }, ctx.lang),
          });
        continue;
      }
      const header = mapHeader(cells.map((c) => c.text));
      if (!header.ok) throw new AppError('LEDGER_HEADER', { detail: ledgerHeaderDetail(header.problem, ctx.lang) });
      fields = header.fields;
      continue;
    }
    if (cells.every((c) => c.kind === 'empty' || c.text.trim() === '')) continue;
    total += 1;
    if (total > LEDGER_MAX_ROWS) throw new AppError('LEDGER_TOO_MANY_ROWS');
    const parsed = parseLedgerRow(rowNumber, fields, cells, ctx.today);
    let rowIssues = parsed.ok ? [] : parsed.issues;
    const grid = parsed.ok && parsed.person.gridCode ? grids.get(parsed.person.gridCode) : undefined;
    if (parsed.ok && parsed.person.gridCode && (!grid?.active || isCircleKind(grid.kind as any))) {
      const column = fields.indexOf('gridCode');
      rowIssues = [
        {
          row: rowNumber,
          column: column < 0 ? '' : columnLetter(column),
          field: 'gridCode',
          code: 'ledger.gridNotFound',
        },
      ];
    }
    if (rowIssues.length || !parsed.ok) {
      rejected += 1;
      if (issues.length < ISSUES_KEPT) issues.push(...rowIssues.slice(0, ISSUES_KEPT - issues.length));
      continue;
    }
    if (ctx.mode === 'all' && rejected > 0) continue; // the file will be refused: only collect issues
    const p = parsed.person;
    const phoneIdx = p.phone ? sealer.blindIndex('phone', p.phone) : null;
    const idIdx = p.idNumber ? sealer.blindIndex('idNumber', p.idNumber) : null;
    const phoneKey = phoneIdx ? seenKey(phoneIdx) : null;
    const idKey = idIdx ? seenKey(idIdx) : null;
    const repeat = (phoneKey !== null && seen.has(phoneKey)) || (idKey !== null && seen.has(idKey));
    if (phoneKey !== null) seen.add(phoneKey);
    if (idKey !== null) seen.add(idKey);
    batch.push({ person: p, gridId: grid?.id ?? null, phoneIdx, idIdx, repeat });
    if (batch.length >= ctx.batchRows) {
      yield seal(batch, ctx, sealer);
      batch = [];
    }
  }
  if (batch.length) yield seal(batch, ctx, sealer);
  return { headerFound: fields !== null, total, rejected, issues };
}

type Accepted = RepeatRow & { phoneIdx: string | null; idIdx: string | null; repeat: boolean };

/** Seals the identifiers of the rows that do not repeat one and builds their bulk-insert JSON. */
function seal(rows: Accepted[], ctx: ReaderContext, sealer: PiiBatchCipher): ReadBatch {
  const fresh = rows.filter((r) => !r.repeat);
  const plain: string[] = [];
  for (const { person: p } of fresh) {
    if (p.phone) plain.push(p.phone);
    if (p.idNumber) plain.push(p.idNumber);
  }
  const sealed = sealer.encryptMany(plain);
  let k = 0;
  const values: ImportedPersonRow[] = fresh.map(({ person: p, gridId, phoneIdx, idIdx }) => ({
    n: p.name,
    g: p.gender,
    b: p.birthDate,
    pe: p.phone ? sealed[k++] : null,
    pi: phoneIdx,
    ie: p.idNumber ? sealed[k++] : null,
    ii: idIdx,
    ps: p.politicalStatus,
    c: p.category,
    ...(p.skills.length ? { s: p.skills } : {}),
    hg: gridId,
    bo: gridId === null ? ctx.orgId : null,
    bb: p.backbone,
    rb: p.reserveBackbone,
  }));
  const repeats: ReadBatch['repeats'] = [];
  rows.forEach((r, at) => {
    if (r.repeat) repeats.push({ at, row: { person: r.person, gridId: r.gridId } });
  });
  return { size: rows.length, values: jsonBytes(values), fresh: fresh.length, repeats };
}

/**
 * `JSON.stringify(values)` as UTF-8 bytes, written row by row: no ≈ 1 MB string per batch (such strings go
 * straight to V8's large-object space and pile up there until a full GC; small ones die young).
 */
function jsonBytes(values: readonly unknown[]): Buffer {
  let out = Buffer.allocUnsafe(Math.max(1024, values.length * 640));
  let at = out.write('[', 0);
  values.forEach((v, i) => {
    const text = i ? `,${JSON.stringify(v)}` : JSON.stringify(v);
    // 3 bytes per UTF-16 unit at most; grow before writing (write() silently truncates)
    if (at + 3 * text.length + 1 > out.length) {
      const bigger = Buffer.allocUnsafe(2 * out.length + 3 * text.length);
      out.copy(bigger, 0, 0, at);
      out = bigger;
    }
    at += out.write(text, at);
  });
  at += out.write(']', at);
  return Buffer.from(out.subarray(0, at)); // a buffer of its own, exactly the JSON (handed over to the writer)
}

export function ledgerHeaderDetail(problem: HeaderProblem, lang: Lang): string {
  const zh = lang === 'zh-CN';
  switch (problem.code) {
    case 'LEDGER_HEADER_BLANK':
      return zh
        ? `表头第 ${problem.column} 列为空（合并单元格或缺少列名），请使用导入模板的表头`
        : `Header cell ${problem.column} is blank (merged or missing); use the template's header`;
    case 'LEDGER_HEADER_UNKNOWN':
      return zh
        ? `表头第 ${problem.column} 列“${problem.header}”不是模板中的列`
        : `Header ${problem.column} "${problem.header}" is not a template column`;
    case 'LEDGER_HEADER_DUPLICATE':
      return zh
        ? `表头第 ${problem.column} 列“${problem.header}”重复`
        : `Header ${problem.column} "${problem.header}" appears twice`;
    case 'LEDGER_HEADER_MISSING':
      return zh ? `缺少必需的列：${problem.header}` : `A required column is missing: ${problem.header}`;
  }
}
