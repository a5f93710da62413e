import type { Readable } from 'node:stream';
import type { DataValidation } from 'exceljs';
import { maskIdNumber, maskPhone, todayInChina } from '../../../domain/identity.ts';
import {
  CATEGORY_LABELS,
  columnLetter,
  GENDER_LABELS,
  LEDGER_COLUMNS,
  type LedgerImportQuery,
  type LedgerImportResult,
  type LedgerIssue,
  ledgerIssueMessage,
  POLITICAL_LABELS,
} from '../../../domain/ledger.ts';
import type { Lang } from '../../../domain/messages.ts';
import { CONSENT_VERSION } from '../../../domain/person.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { type ImportedPersonRow, identifiersOf, insertImportedPeople } from '../people/people.repository.ts';
import { type PersonIncoming, writeDeduplicated } from '../people/people.service.ts';
import { collectUpload, ledgerBatches, ledgerImportTuning } from './ledger-import.ts';
import {
  ledgerHeaderDetail,
  type ReadBatch,
  type ReaderContext,
  type ReadOutcome,
  type RepeatRow,
} from './ledger-reader.ts';
import {
  exportPage,
  findImportInScope,
  gridsUnder,
  type ImportRow,
  insertImport,
  listImports,
} from './ledgers.repository.ts';
import { type LimitedInput, safeCell, streamingWorkbook } from './spreadsheet.ts';

/** How many row issues the import answer lists; the downloadable report has all of them. */
const ISSUES_IN_ANSWER = 500;

class Refused extends Error {}

function localized(issues: LedgerIssue[], lang: Lang) {
  return issues.map((i) => ({
    row: i.row,
    column: i.column,
    field: i.field,
    message: ledgerIssueMessage(i.code, lang),
  }));
}

function toResult(row: ImportRow, lang: Lang): LedgerImportResult {
  return {
    id: row.id,
    status: row.status,
    mode: row.mode,
    fileName: row.fileName,
    total: row.total,
    created: row.created,
    updated: row.updated,
    review: row.review,
    rejected: row.rejected,
    errors: localized(row.issues.slice(0, ISSUES_IN_ANSWER), lang),
    errorsTruncated: row.issues.length > ISSUES_IN_ANSWER,
    createdAt: row.createdAt,
  };
}

/** The ids an import created, as ascending runs [first, last] (one run when nobody else inserted meanwhile). */
class IdRuns {
  runs: [number, number][] = [];
  add(first: number, last = first) {
    const tail = this.runs[this.runs.length - 1];
    if (tail && first === tail[1] + 1) tail[1] = last;
    else this.runs.push([first, last]);
  }
}

/**
 * 导入台账 Imports a youth ledger into an org's subtree, all inside one transaction: mode "all" refuses the whole
 * file when any row is wrong, mode "valid" imports the valid rows; either way a crash or a broken file leaves
 * nothing half-written. The row report is kept, with one audit entry for the import.
 *
 * The file is read, checked and its identifiers sealed by the ledger reader (ledger-reader.ts; in a worker
 * thread for large files) batch by batch, while this function writes the previous batch (one batch in
 * flight). A row whose phone and ID number nobody holds goes in the batch's one bulk insert; a row that shares
 * one with an earlier row of the file, or with someone already in the registry (the insert skips it on the
 * unique index), takes the same de-duplicated write as staff entry (same ID or phone = same person, updated;
 * conflicts to the review list), in file order, before the next batch is written.
 */
export async function importLedger(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  query: LedgerImportQuery,
  file: LimitedInput,
  kind: 'xlsx' | 'csv',
): Promise<LedgerImportResult> {
  requirePermission(actor, 'person.write');
  const org = await loadOrgInScope(database, actor, query.orgId);
  if (!org.active) throw new AppError('ORG_INACTIVE', { errors: [{ field: 'orgId', message: 'ORG_INACTIVE' }] });
  const grids = await gridsUnder(database.db, org.districtId, org.path);
  const consentAt = new Date().toISOString();
  let issues: LedgerIssue[] = [];
  const counts = { total: 0, created: 0, updated: 0, review: 0, rejected: 0 };
  let createdIds = new IdRuns();
  const mayUpdate = (path: string) => actor.scopePath === null || path.startsWith(actor.scopePath);
  let status: 'imported' | 'refused' = 'imported';
  let saved: Awaited<ReturnType<typeof insertImport>> | undefined;

  const gridOrg = new Map([...grids.values()].map((g) => [g.id, g.orgId]));
  const incoming = ({ person: p, gridId }: RepeatRow): PersonIncoming => ({
    name: p.name,
    gender: p.gender,
    birthDate: p.birthDate,
    phone: p.phone,
    idNumber: p.idNumber,
    politicalStatus: p.politicalStatus,
    category: p.category,
    skills: p.skills,
    homeGridId: gridId,
    branchOrgId: gridId === null ? org.id : undefined,
    backbone: p.backbone,
    reserveBackbone: p.reserveBackbone,
    consent: { version: CONSENT_VERSION, at: consentAt, channel: 'import' },
    guardianConsent: null,
    source: 'import',
    status: 'registered',
    registrationTokenId: null,
  });
  /** A row of the bulk insert's JSON back as the row it was (identifiers opened again): for a skipped row. */
  const unsealed = (v: ImportedPersonRow): RepeatRow => ({
    person: {
      name: v.n,
      gender: v.g,
      birthDate: v.b,
      phone: v.pe ? pii.decrypt(v.pe) : null,
      idNumber: v.ie ? pii.decrypt(v.ie) : null,
      politicalStatus: v.ps,
      category: v.c,
      gridCode: null,
      skills: v.s ?? [],
      backbone: v.bb,
      reserveBackbone: v.rb,
    },
    gridId: v.hg,
  });

  /** One batch: the bulk insert, then the rows it could not take, in file order. */
  const write = async (ex: Executor, batch: ReadBatch) => {
    /** the rows for the de-duplicated write, by place in the batch */
    const slow = new Map(batch.repeats.map((r) => [r.at, r.row]));
    if (batch.fresh > 0) {
      const result = await insertImportedPeople(
        ex,
        org.districtId,
        { consentVersion: CONSENT_VERSION, consentAt, createdBy: actor.accountId },
        // bytes for node-postgres (a bytea parameter), text for PGlite
        database.kind === 'postgresql'
          ? Buffer.from(batch.values.buffer, batch.values.byteOffset, batch.values.byteLength)
          : Buffer.from(batch.values).toString('utf8'),
      );
      counts.created += result.inserted;
      if (result.ids) for (const id of result.ids) createdIds.add(id);
      else if (result.lo !== null) createdIds.add(result.lo, result.hi!);
      if (result.inserted < batch.fresh) {
        // Someone holds an identifier of these rows (a re-import, or a registration meanwhile): the rows the
        // insert skipped are those whose identifiers none of the inserted people got.
        const ids =
          result.ids ??
          (result.lo === null ? [] : Array.from({ length: result.hi! - result.lo + 1 }, (_, i) => result.lo! + i));
        const held = new Set((await identifiersOf(ex, ids)).flatMap((i) => [i.phoneIdx, i.idIdx]));
        const values = JSON.parse(Buffer.from(batch.values).toString('utf8')) as ImportedPersonRow[];
        let v = 0;
        for (let at = 0; at < batch.size; at++) {
          if (slow.has(at)) continue;
          const row = values[v++];
          if (!((row.pi && held.has(row.pi)) || (row.ii && held.has(row.ii)))) slow.set(at, unsealed(row));
        }
      }
    }
    for (const [, row] of [...slow].sort(([a], [b]) => a - b)) {
      const outcome = await writeDeduplicated(
        ex,
        pii,
        {
          districtId: org.districtId,
          orgId: (row.gridId !== null ? gridOrg.get(row.gridId) : undefined) ?? org.id,
          actor,
          mayUpdate,
        },
        incoming(row),
      );
      counts[outcome.outcome === 'review' ? 'review' : outcome.outcome] += 1;
      if (outcome.outcome === 'created' && outcome.personId !== null) createdIds.add(outcome.personId);
    }
  };

  try {
    const upload = await collectUpload(file);
    checkInput(file);
    const ctx: ReaderContext = {
      kind,
      lang: actor.lang,
      mode: query.mode,
      today: todayInChina(),
      orgId: org.id,
      grids: [...grids].map(([code, g]) => [code, { id: g.id, orgId: g.orgId, active: g.active, kind: g.kind }]),
      batchRows: ledgerImportTuning.batchRows,
    };
    await database.db.transaction(async (tx) => {
      const batches = ledgerBatches(upload, ctx, pii.batch());
      let inFlight: Promise<void> = Promise.resolve();
      let failure: { error: unknown } | null = null;
      let outcome: ReadOutcome;
      try {
        for (;;) {
          const next = await batches.next(); // the reader works on this batch while the previous one is written
          if (next.done) {
            outcome = next.value;
            break;
          }
          await inFlight;
          if (failure) throw (failure as { error: unknown }).error;
          inFlight = write(tx, next.value).catch((error) => {
            failure = { error };
          });
        }
      } finally {
        // Never leave the transaction (commit or rollback) with a batch still being written on its connection,
        // and stop the reader (its worker thread) if the loop ended early.
        await inFlight;
        await batches.return(undefined as never);
      }
      if (failure) throw (failure as { error: unknown }).error;
      counts.total = outcome.total;
      counts.rejected = outcome.rejected;
      issues = outcome.issues;
      if (!outcome.headerFound)
        throw new AppError('LEDGER_HEADER', {
          detail: ledgerHeaderDetail({ code: 'LEDGER_HEADER_MISSING', header: '姓名' }, actor.lang),
        });
      if (counts.total === 0) throw new AppError('LEDGER_EMPTY');
      if (query.mode === 'all' && counts.rejected > 0) throw new Refused();
      // The import's record and its audit entry commit with its rows: a crash between two transactions
      // would leave people imported without a record (found by server/trust/crash.test.ts).
      saved = await saveImport(tx);
    });
  } catch (err) {
    if (!(err instanceof Refused)) {
      file.resume(); // drain what is left of the upload so the reply can be sent
      checkInput(file);
      throw err;
    }
    status = 'refused';
    counts.created = counts.updated = counts.review = 0;
    createdIds = new IdRuns();
  }

  /**
   * The import's record and its one audit entry: who imported which file into which org, the counts, and the
   * ids of the people it created (runs [first, last]), so each of them traces back to this entry. People it
   * updated or filed for review have their own entries (the de-duplicated write audits each).
   */
  async function saveImport(tx: Executor) {
    const row = await insertImport(tx, {
      districtId: org.districtId,
      orgId: org.id,
      accountId: actor.accountId,
      fileName: query.fileName,
      mode: query.mode,
      status,
      ...counts,
      issues,
    });
    await recordAudit(tx, actor, {
      action: 'people.import',
      entity: 'people_import',
      entityId: row.id,
      districtId: org.districtId,
      after: {
        orgId: org.id,
        fileName: query.fileName,
        mode: query.mode,
        status,
        ...counts,
        createdIds: createdIds.runs,
      },
    });
    return row;
  }
  // A refused file (mode "all") wrote nothing but its record, after the rollback.
  saved ??= await database.db.transaction((tx) => saveImport(tx));
  return toResult(
    {
      ...saved,
      districtId: org.districtId,
      orgId: org.id,
      fileName: query.fileName,
      mode: query.mode,
      status,
      ...counts,
      issues,
    },
    actor.lang,
  );
}

/** A cut-off upload fails as what it is, not as whatever the parser made of the truncated bytes. */
function checkInput(file: LimitedInput) {
  if (file.exceeded) throw new AppError('PAYLOAD_TOO_LARGE');
  if (file.aborted) throw new AppError('BAD_REQUEST', { detail: 'upload aborted' });
}

export async function getImport(database: Database, actor: Actor, id: number): Promise<LedgerImportResult> {
  requirePermission(actor, 'person.read');
  const row = await findImportInScope(database.db, actor, id);
  if (!row) throw new AppError('NOT_FOUND');
  return toResult(row, actor.lang);
}

export async function searchImports(database: Database, actor: Actor) {
  requirePermission(actor, 'person.read');
  if (actor.districtId === null) return { items: [] };
  const rows = await listImports(database.db, actor, actor.districtId);
  return { items: rows.map(({ issues: _i, districtId: _d, orgId: _o, ...r }) => r) };
}

/** The import template: header with notes, dropdowns for enumerations, ID column formatted as text. */
export async function templateWorkbook(actor: Actor): Promise<Readable> {
  requirePermission(actor, 'person.write');
  const lang = actor.lang;
  const { workbook, output } = streamingWorkbook();
  const sheet = workbook.addWorksheet(lang === 'en' ? 'Youth ledger' : '青年台账');
  sheet.columns = LEDGER_COLUMNS.map((c) => ({
    header: `${c.required ? '*' : ''}${lang === 'en' ? c.en : c.zh}`,
    key: c.field,
    width: c.width,
    style: c.field === 'idNumber' || c.field === 'phone' || c.field === 'gridCode' ? { numFmt: '@' } : {},
  }));
  const header = sheet.getRow(1);
  LEDGER_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.note = c.note;
    cell.font = { bold: true };
  });
  header.commit();
  // Dropdowns on the first 5,000 data rows, one range per column (per-cell rules make the file slow to write).
  LEDGER_COLUMNS.forEach((c, i) => {
    if (!c.choices) return;
    const col = columnLetter(i);
    // exceljs supports range rules on the streaming writer but its typings omit the property.
    (sheet as unknown as { dataValidations: { add(range: string, rule: DataValidation): void } }).dataValidations.add(
      `${col}2:${col}5001`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`"${c.choices.join(',')}"`],
      },
    );
  });
  sheet.commit();
  await workbook.commit();
  return output;
}

/** The row report of an import as .xlsx: every rejected cell with row, column and reason. */
export async function reportWorkbook(database: Database, actor: Actor, id: number): Promise<Readable> {
  requirePermission(actor, 'person.read');
  const row = await findImportInScope(database.db, actor, id);
  if (!row) throw new AppError('NOT_FOUND');
  const en = actor.lang === 'en';
  const { workbook, output } = streamingWorkbook();
  const sheet = workbook.addWorksheet(en ? 'Import report' : '导入报告');
  sheet.columns = [
    { header: en ? 'Row' : '行号', key: 'row', width: 8 },
    { header: en ? 'Column' : '列', key: 'column', width: 8 },
    { header: en ? 'Field' : '字段', key: 'field', width: 14 },
    { header: en ? 'Problem' : '问题', key: 'message', width: 70 },
  ];
  const label = new Map(LEDGER_COLUMNS.map((c) => [c.field as string, en ? c.en : c.zh]));
  for (const issue of row.issues)
    sheet
      .addRow({
        row: issue.row,
        column: issue.column,
        field: label.get(issue.field) ?? issue.field,
        message: safeCell(ledgerIssueMessage(issue.code, actor.lang)),
      })
      .commit();
  sheet.commit();
  await workbook.commit();
  return output;
}

/**
 * 导出台账 the registry of a subtree as .xlsx, streamed page by page. Identifiers are masked unless the
 * caller asks for them and holds the personal-data permission; such an export is audited.
 */
export async function exportLedger(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  query: { orgId: number; unmasked: boolean },
): Promise<Readable> {
  requirePermission(actor, 'person.read');
  if (query.unmasked) requirePermission(actor, 'person.pii');
  const org = await loadOrgInScope(database, actor, query.orgId);
  await recordAudit(database.db, actor, {
    action: query.unmasked ? 'people.export.unmasked' : 'people.export',
    entity: 'org',
    entityId: org.id,
    districtId: org.districtId,
  });
  const en = actor.lang === 'en';
  const { workbook, output } = streamingWorkbook();
  const sheet = workbook.addWorksheet(en ? 'Youth ledger' : '青年台账');
  sheet.columns = [
    ...LEDGER_COLUMNS.map((c) => ({ header: en ? c.en : c.zh, key: c.field, width: c.width })),
    { header: en ? 'Grid' : '网格', key: 'gridName', width: 18 },
    { header: en ? 'Organisation' : '所属组织', key: 'orgName', width: 20 },
    { header: en ? 'Status' : '状态', key: 'status', width: 10 },
  ];
  const reveal = (sealed: string | null, mask: (v: string) => string) =>
    sealed ? (query.unmasked ? pii.decrypt(sealed) : mask(pii.decrypt(sealed))) : '';
  const STATUS = { pending: '待确认', registered: '已登记', inactive: '已停用', withdrawn: '已撤回' } as const;
  // Written in the background: the reply streams while pages are read.
  (async () => {
    let after = 0;
    for (;;) {
      const page = await exportPage(database.db, actor, org.districtId, org.path, after, 2000);
      for (const p of page)
        sheet
          .addRow({
            name: safeCell(p.name),
            gender: p.gender ? GENDER_LABELS[p.gender] : '',
            birthDate: p.birthDate ?? '',
            phone: reveal(p.phoneEnc, maskPhone),
            idNumber: reveal(p.idEnc, maskIdNumber),
            politicalStatus: POLITICAL_LABELS[p.politicalStatus],
            category: CATEGORY_LABELS[p.category],
            gridCode: safeCell(p.gridCode),
            skills: safeCell(p.skills.join('、')),
            backbone: p.backbone ? '是' : '否',
            reserveBackbone: p.reserveBackbone ? '是' : '否',
            gridName: safeCell(p.gridName),
            orgName: safeCell(p.orgName),
            status: en ? p.status : STATUS[p.status],
          })
          .commit();
      if (page.length < 2000) break;
      after = page[page.length - 1].id;
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err) => output.destroy(err));
  return output;
}
