import type { Readable } from 'node:stream';
import type { DataValidation } from 'exceljs';
import { isCircleKind } from '../../../domain/grid.ts';
import { maskIdNumber, maskPhone, todayInChina } from '../../../domain/identity.ts';
import {
  CATEGORY_LABELS,
  columnLetter,
  GENDER_LABELS,
  type HeaderProblem,
  LEDGER_COLUMNS,
  LEDGER_MAX_ROWS,
  type LedgerField,
  type LedgerImportQuery,
  type LedgerImportResult,
  type LedgerIssue,
  type LedgerPerson,
  ledgerIssueMessage,
  mapHeader,
  POLITICAL_LABELS,
  parseLedgerRow,
} from '../../../domain/ledger.ts';
import type { Lang } from '../../../domain/messages.ts';
import { CONSENT_VERSION } from '../../../domain/person.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit, recordAuditBulk } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { insertPeopleBulk, knownIdentifiers } from '../people/people.repository.ts';
import { writeDeduplicated } from '../people/people.service.ts';
import {
  exportPage,
  findImportInScope,
  type GridForLedger,
  gridsUnder,
  type ImportRow,
  insertImport,
  listImports,
} from './ledgers.repository.ts';
import { type LimitedInput, readSheet, safeCell, streamingWorkbook } from './spreadsheet.ts';

/** Rows written per statement batch. */
const BATCH = 1000;
/** How many row issues the import answer lists; the downloadable report has all of them. */
const ISSUES_IN_ANSWER = 500;
/** How many issues an import keeps for its report (a file of garbage should not fill the database). */
const ISSUES_KEPT = 50_000;
/** Rows before the header that may hold a title (e.g. a merged "XX村青年台账" banner). */
const HEADER_SEARCH_ROWS = 10;

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

/**
 * 导入台账 Imports a youth ledger into an org's subtree. Each row goes through the same de-duplicated
 * write as staff entry (same ID or phone = same person, conflicts to the review list), all inside one
 * transaction: mode "all" refuses the whole file when any row is wrong, mode "valid" imports the valid
 * rows; either way a crash or a broken file leaves nothing half-written. The row report is kept.
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
  const today = todayInChina();
  const consentAt = new Date().toISOString();
  const issues: LedgerIssue[] = [];
  const counts = { total: 0, created: 0, updated: 0, review: 0, rejected: 0 };
  const mayUpdate = (path: string) => actor.scopePath === null || path.startsWith(actor.scopePath);
  let status: 'imported' | 'refused' = 'imported';
  let saved: Awaited<ReturnType<typeof insertImport>> | undefined;

  try {
    await database.db.transaction(async (tx) => {
      const batch: { person: LedgerPerson; grid: GridForLedger | undefined }[] = [];
      /**
       * Writes a batch. Rows whose phone and ID number nobody holds yet (nor an earlier row of the
       * batch) are inserted in one statement; the rest take the per-row de-duplicated write, which
       * updates the known person or files a review entry exactly as staff entry does.
       */
      const flush = async (ex: Executor) => {
        const rows = batch.splice(0).map(({ person: p, grid }) => ({
          grid,
          incoming: {
            name: p.name,
            gender: p.gender,
            birthDate: p.birthDate,
            phone: p.phone,
            idNumber: p.idNumber,
            politicalStatus: p.politicalStatus,
            category: p.category,
            skills: p.skills,
            homeGridId: grid?.id ?? null,
            branchOrgId: grid ? undefined : org.id,
            backbone: p.backbone,
            reserveBackbone: p.reserveBackbone,
            consent: { version: CONSENT_VERSION, at: consentAt, channel: 'import' as const },
            guardianConsent: null,
            source: 'import' as const,
            status: 'registered' as const,
            registrationTokenId: null,
          },
          phoneIdx: p.phone ? pii.blindIndex('phone', p.phone) : null,
          idIdx: p.idNumber ? pii.blindIndex('idNumber', p.idNumber) : null,
        }));
        const known = await knownIdentifiers(
          ex,
          org.districtId,
          rows.flatMap((r) => (r.phoneIdx ? [r.phoneIdx] : [])),
          rows.flatMap((r) => (r.idIdx ? [r.idIdx] : [])),
        );
        const fresh: typeof rows = [];
        const slow: typeof rows = [];
        for (const r of rows) {
          const seen = (r.phoneIdx && known.has(r.phoneIdx)) || (r.idIdx && known.has(r.idIdx));
          (seen ? slow : fresh).push(r);
          if (r.phoneIdx) known.add(r.phoneIdx);
          if (r.idIdx) known.add(r.idIdx);
        }
        const inserted = await insertPeopleBulk(
          ex,
          org.districtId,
          fresh.map(({ incoming: i, phoneIdx, idIdx }) => ({
            ...i,
            branchOrgId: i.branchOrgId ?? null,
            phoneEnc: i.phone ? pii.encrypt(i.phone) : null,
            phoneIdx,
            idEnc: i.idNumber ? pii.encrypt(i.idNumber) : null,
            idIdx,
            consentVersion: i.consent.version,
            consentAt: i.consent.at,
            consentChannel: i.consent.channel,
          })),
          actor.accountId,
        );
        await recordAuditBulk(
          ex,
          actor,
          inserted.map((p) => ({
            action: 'person.create',
            entity: 'person',
            entityId: p.id,
            districtId: org.districtId,
            after: { id: p.id, name: p.name, source: 'import' },
          })),
        );
        counts.created += inserted.length;
        for (const r of slow) {
          const outcome = await writeDeduplicated(
            ex,
            pii,
            { districtId: org.districtId, orgId: r.grid?.orgId ?? org.id, actor, mayUpdate },
            r.incoming,
          );
          counts[outcome.outcome === 'review' ? 'review' : outcome.outcome] += 1;
        }
      };
      let fields: (LedgerField | null)[] | null = null;
      for await (const { rowNumber, cells } of readSheet(file, kind)) {
        if (!fields) {
          const looksLikeHeader = cells.some((c) =>
            ['姓名', 'name'].includes(c.text.replace(/[*＊\s]/g, '').toLowerCase()),
          );
          if (!looksLikeHeader) {
            if (rowNumber >= HEADER_SEARCH_ROWS)
              throw new AppError('LEDGER_HEADER', {
                detail: ledgerHeaderDetail({ code: 'LEDGER_HEADER_MISSING', header: '姓名' }, actor.lang),
              });
            continue;
          }
          const header = mapHeader(cells.map((c) => c.text));
          if (!header.ok)
            throw new AppError('LEDGER_HEADER', { detail: ledgerHeaderDetail(header.problem, actor.lang) });
          fields = header.fields;
          continue;
        }
        if (cells.every((c) => c.kind === 'empty' || c.text.trim() === '')) continue;
        counts.total += 1;
        if (counts.total > LEDGER_MAX_ROWS) throw new AppError('LEDGER_TOO_MANY_ROWS');
        const parsed = parseLedgerRow(rowNumber, fields, cells, today);
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
          counts.rejected += 1;
          if (issues.length < ISSUES_KEPT) issues.push(...rowIssues.slice(0, ISSUES_KEPT - issues.length));
          continue;
        }
        if (query.mode === 'all' && counts.rejected > 0) continue; // the file will be refused: only collect issues
        batch.push({ person: parsed.person, grid });
        if (batch.length >= BATCH) await flush(tx);
      }
      await flush(tx);
      checkInput(file);
      if (!fields)
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
  }

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
      after: { orgId: org.id, fileName: query.fileName, mode: query.mode, status, ...counts },
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

function ledgerHeaderDetail(problem: HeaderProblem, lang: Lang): string {
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
