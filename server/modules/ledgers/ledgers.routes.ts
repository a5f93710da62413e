import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamSchema } from '../../../domain/common.ts';
import {
  LEDGER_MAX_BYTES,
  LEDGER_MEDIA_TYPES,
  LedgerExportQuerySchema,
  LedgerImportListSchema,
  LedgerImportQuerySchema,
  LedgerImportResultSchema,
} from '../../../domain/ledger.ts';
import { piiCipherFor } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import * as ledgers from './ledgers.service.ts';
import { limitBytes } from './spreadsheet.ts';
import { exportWorkLedger } from './work-ledger.ts';

/** An uploaded file as a stream, hidden from the generic body walkers (a socket is not a JSON tree). */
class Upload {
  declare readonly stream: Readable;
  constructor(stream: Readable) {
    Object.defineProperty(this, 'stream', { value: stream, enumerable: false });
  }
}

const XLSX = LEDGER_MEDIA_TYPES.xlsx;
/** Media types browsers send for spreadsheets (Windows labels .csv as an Excel file). */
const UPLOAD_TYPES = [XLSX, 'text/csv', 'application/csv', 'application/vnd.ms-excel', 'application/octet-stream'];

/** .xlsx or .csv, from the declared media type, else from the file name. */
function kindOf(contentType: string | undefined, fileName: string): 'xlsx' | 'csv' {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === XLSX) return 'xlsx';
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  if (/\.xlsx$/i.test(fileName)) return 'xlsx';
  if (/\.csv$/i.test(fileName)) return 'csv';
  throw new AppError('UNSUPPORTED_MEDIA_TYPE');
}

function sendFile(reply: FastifyReply, stream: Readable, fileName: string) {
  return reply
    .type(XLSX)
    .header('cache-control', 'no-store')
    .header(
      'content-disposition',
      `attachment; filename="${fileName.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    )
    .send(stream);
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');

/** 台账 the youth ledger as spreadsheets: template, streaming import with a row report, export. */
export const ledgerRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.database;
  const tags = ['people'];
  const pii = () => piiCipherFor(app.config.dataDir, app.log);

  // Only in this plugin: a spreadsheet body is handed to the route as a stream, never buffered.
  app.addContentTypeParser(UPLOAD_TYPES, (_req: FastifyRequest, payload, done) => done(null, new Upload(payload)));

  app.get(
    '/api/people/import-template.xlsx',
    { schema: { tags, description: 'The ledger import template (.xlsx) with notes and dropdowns.' } },
    async (req, reply) => {
      const actor = req.actor();
      const lang = actor.lang;
      return sendFile(
        reply,
        await ledgers.templateWorkbook(actor),
        lang === 'en' ? 'youth-ledger-template.xlsx' : '青年台账导入模板.xlsx',
      );
    },
  );

  app.post(
    '/api/people/imports',
    {
      bodyLimit: LEDGER_MAX_BYTES,
      schema: {
        tags,
        description:
          'Imports a youth ledger (.xlsx, or .csv in UTF-8 or GBK) sent as the raw request body, at most 10 MB. ' +
          'mode=valid imports the valid rows; mode=all refuses the whole file if any row is wrong. ' +
          'Rows are de-duplicated like staff entry. The answer lists the rejected cells (row, column, reason).',
        querystring: LedgerImportQuerySchema,
        response: { 200: LedgerImportResultSchema },
      },
    },
    async (req) => {
      const actor = req.actor();
      if (!(req.body instanceof Upload)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const kind = kindOf(req.headers['content-type'], req.query.fileName);
      const file = limitBytes(req.body.stream, LEDGER_MAX_BYTES);
      return ledgers.importLedger(db, pii(), actor, req.query, file, kind);
    },
  );

  app.get('/api/people/imports', { schema: { tags, response: { 200: LedgerImportListSchema } } }, async (req) =>
    ledgers.searchImports(db, req.actor()),
  );

  app.get(
    '/api/people/imports/:id',
    { schema: { tags, params: IdParamSchema, response: { 200: LedgerImportResultSchema } } },
    async (req) => ledgers.getImport(db, req.actor(), req.params.id),
  );

  app.get(
    '/api/people/imports/:id/report.xlsx',
    { schema: { tags, description: 'The row report of an import as .xlsx.', params: IdParamSchema } },
    async (req, reply) => {
      const actor = req.actor();
      const stream = await ledgers.reportWorkbook(db, actor, req.params.id);
      return sendFile(
        reply,
        stream,
        actor.lang === 'en' ? `import-report-${req.params.id}.xlsx` : `导入报告-${req.params.id}.xlsx`,
      );
    },
  );

  app.get(
    '/api/people/export.xlsx',
    {
      schema: {
        tags,
        description:
          'The registry of an org subtree as .xlsx (no key youth, no withdrawn people). Identifiers masked unless ' +
          'unmasked=true and the caller holds person.pii; every export is audited.',
        querystring: LedgerExportQuerySchema,
      },
    },
    async (req, reply) => {
      const actor = req.actor();
      const stream = await ledgers.exportLedger(db, pii(), actor, req.query);
      return sendFile(reply, stream, actor.lang === 'en' ? `youth-ledger-${today()}.xlsx` : `青年台账-${today()}.xlsx`);
    },
  );

  app.get(
    '/api/cadres/:id/work-ledger.xlsx',
    {
      schema: {
        tags,
        description:
          '工作台账: one cadre’s posts, trainings, 1+100 list, contact log and visits as .xlsx (names only, audited).',
        params: IdParamSchema,
      },
    },
    async (req, reply) => {
      const actor = req.actor();
      const stream = await exportWorkLedger(db, actor, req.params.id);
      return sendFile(reply, stream, actor.lang === 'en' ? `work-ledger-${today()}.xlsx` : `工作台账-${today()}.xlsx`);
    },
  );
};
