import { z } from 'zod';
import { looksLikeMangledIdNumber, normaliseIdNumber, normalisePhone, toHalfWidth } from './identity.ts';
import { codeMessage, type Lang } from './messages.ts';
import {
  type Gender,
  type PersonCategory,
  type PersonRuleError,
  type PoliticalStatus,
  resolvePersonFacts,
} from './person.ts';

/**
 * 青年台账 the youth ledger as a spreadsheet: its columns, how a row becomes a person, and what a
 * row-level import report holds. Shared by the import (server), the template and the web page.
 */

/** Enumerations as cadres write them in a ledger (the template offers them as dropdowns). */
export const GENDER_LABELS: Record<Gender, string> = { male: '男', female: '女' };
export const POLITICAL_LABELS: Record<PoliticalStatus, string> = {
  league_member: '共青团员',
  party_member: '中共党员',
  masses: '群众',
};
export const CATEGORY_LABELS: Record<PersonCategory, string> = {
  urban: '城镇青年',
  white_collar: '白领青年',
  agricultural: '农业青年',
  migrant_worker: '进城务工青年',
  student: '学生',
  village_official: '大学生村官',
  other: '其他',
};
const YES_NO = { 是: true, 否: false } as const;

/** Extra spellings accepted on import (English labels, common abbreviations). */
const ALIASES: Record<string, string> = {
  团员: '共青团员',
  党员: '中共党员',
  预备党员: '中共党员',
  'league member': '共青团员',
  'party member': '中共党员',
  masses: '群众',
  male: '男',
  female: '女',
  m: '男',
  f: '女',
  yes: '是',
  no: '否',
  y: '是',
  n: '否',
};

export type LedgerField =
  | 'name'
  | 'gender'
  | 'birthDate'
  | 'phone'
  | 'idNumber'
  | 'politicalStatus'
  | 'category'
  | 'gridCode'
  | 'skills'
  | 'backbone'
  | 'reserveBackbone';

export type LedgerColumn = {
  field: LedgerField;
  zh: string;
  en: string;
  required?: boolean;
  /** dropdown values of the template, in zh-CN */
  choices?: readonly string[];
  note: string;
  width: number;
};

/** The columns of the template, in order. Imports match headers by zh-CN or English label. */
export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { field: 'name', zh: '姓名', en: 'Name', required: true, note: '必填，不超过 50 字', width: 12 },
  {
    field: 'gender',
    zh: '性别',
    en: 'Gender',
    choices: Object.values(GENDER_LABELS),
    note: '男 / 女；填写身份证号时可不填',
    width: 8,
  },
  { field: 'birthDate', zh: '出生日期', en: 'Birth date', note: '格式 2001-05-20；填写身份证号时可不填', width: 13 },
  { field: 'phone', zh: '手机号', en: 'Mobile', note: '11 位手机号；与身份证号至少填一项', width: 15 },
  {
    field: 'idNumber',
    zh: '身份证号',
    en: 'ID number',
    note: '18 位，请将单元格设为“文本”格式，否则 Excel 会改成科学计数法并丢失末尾数字',
    width: 22,
  },
  {
    field: 'politicalStatus',
    zh: '政治面貌',
    en: 'Political status',
    choices: Object.values(POLITICAL_LABELS),
    note: '共青团员 / 中共党员 / 群众，默认群众',
    width: 12,
  },
  {
    field: 'category',
    zh: '青年类别',
    en: 'Category',
    choices: Object.values(CATEGORY_LABELS),
    note: '默认其他',
    width: 14,
  },
  { field: 'gridCode', zh: '网格编码', en: 'Grid code', note: '所在网格的编码；不填则归属导入时选择的组织', width: 16 },
  { field: 'skills', zh: '特长', en: 'Skills', note: '多项用顿号“、”或逗号分隔', width: 18 },
  { field: 'backbone', zh: '骨干', en: 'Backbone', choices: ['是', '否'], note: '是 / 否，默认否', width: 8 },
  {
    field: 'reserveBackbone',
    zh: '后备骨干',
    en: 'Reserve backbone',
    choices: ['是', '否'],
    note: '是 / 否，默认否',
    width: 10,
  },
];

/** A file holds at most this many data rows; larger ledgers are split by town. */
export const LEDGER_MAX_ROWS = 200_000;
/** Upload limit of one ledger file. */
export const LEDGER_MAX_BYTES = 10 * 1024 * 1024;

export const LEDGER_MEDIA_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
} as const;

/** Problems of one cell, as codes (messages in both languages below). */
export type LedgerIssueCode =
  | 'ledger.required'
  | 'ledger.tooLong'
  | 'ledger.formula'
  | 'ledger.unknownValue'
  | 'ledger.idNumberAsNumber'
  | 'ledger.identifierRequired'
  | 'ledger.gridNotFound'
  | 'ledger.invalidDate'
  | 'phone.invalid'
  | 'idNumber.format'
  | 'idNumber.birthDate'
  | 'idNumber.checksum'
  | 'idNumber.region'
  | PersonRuleError['code'];

export type LedgerIssue = { row: number; column: string; field: string; code: LedgerIssueCode };

/** A spreadsheet cell reduced to what the import needs. */
export type LedgerCell = { text: string; kind: 'text' | 'number' | 'date' | 'formula' | 'empty' };

/** A valid row, ready for the de-duplicated write. */
export type LedgerPerson = {
  name: string;
  gender: Gender | null;
  birthDate: string | null;
  phone: string | null;
  idNumber: string | null;
  politicalStatus: PoliticalStatus;
  category: PersonCategory;
  gridCode: string | null;
  skills: string[];
  backbone: boolean;
  reserveBackbone: boolean;
};

/** Excel's column letters: 0 → A, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function headerKey(text: string): string {
  return toHalfWidth(text)
    .replace(/[*＊\s]/g, '')
    .replace(/[（(].*[)）]$/, '')
    .toLowerCase();
}

export type HeaderProblem =
  | { code: 'LEDGER_HEADER_BLANK'; column: string }
  | { code: 'LEDGER_HEADER_UNKNOWN'; column: string; header: string }
  | { code: 'LEDGER_HEADER_DUPLICATE'; column: string; header: string }
  | { code: 'LEDGER_HEADER_MISSING'; header: string };

/**
 * Maps the header row to fields. Every non-blank header must be a known column, a blank cell between
 * headers means merged or missing header cells, and 姓名 plus one of 手机号/身份证号 must be present.
 */
export function mapHeader(
  headers: string[],
): { ok: true; fields: (LedgerField | null)[] } | { ok: false; problem: HeaderProblem } {
  const byKey = new Map<string, LedgerColumn>();
  for (const c of LEDGER_COLUMNS) {
    byKey.set(headerKey(c.zh), c);
    byKey.set(headerKey(c.en), c);
  }
  let last = headers.length - 1;
  while (last >= 0 && headers[last].trim() === '') last--;
  const fields: (LedgerField | null)[] = [];
  const seen = new Set<LedgerField>();
  for (let i = 0; i <= last; i++) {
    const raw = headers[i].trim();
    if (!raw) return { ok: false, problem: { code: 'LEDGER_HEADER_BLANK', column: columnLetter(i) } };
    const col = byKey.get(headerKey(raw));
    if (!col) return { ok: false, problem: { code: 'LEDGER_HEADER_UNKNOWN', column: columnLetter(i), header: raw } };
    if (seen.has(col.field))
      return { ok: false, problem: { code: 'LEDGER_HEADER_DUPLICATE', column: columnLetter(i), header: raw } };
    seen.add(col.field);
    fields.push(col.field);
  }
  if (!seen.has('name')) return { ok: false, problem: { code: 'LEDGER_HEADER_MISSING', header: '姓名' } };
  if (!seen.has('phone') && !seen.has('idNumber'))
    return { ok: false, problem: { code: 'LEDGER_HEADER_MISSING', header: '手机号 / 身份证号' } };
  return { ok: true, fields };
}

function choice<T extends string>(labels: Record<T, string>, text: string): T | undefined {
  const t = ALIASES[text.toLowerCase()] ?? text;
  return (Object.keys(labels) as T[]).find((k) => labels[k] === t || k === text);
}

/**
 * Turns one data row into a person, or lists every problem of the row (row = the spreadsheet's own
 * row number, column = its letter) so a cadre can fix the file in one pass.
 */
export function parseLedgerRow(
  rowNumber: number,
  fields: (LedgerField | null)[],
  cells: LedgerCell[],
  today?: string,
): { ok: true; person: LedgerPerson } | { ok: false; issues: LedgerIssue[] } {
  const issues: LedgerIssue[] = [];
  const at: Partial<Record<LedgerField, { cell: LedgerCell; column: string }>> = {};
  fields.forEach((f, i) => {
    if (f) at[f] = { cell: cells[i] ?? { text: '', kind: 'empty' }, column: columnLetter(i) };
  });
  const add = (field: LedgerField, code: LedgerIssueCode) =>
    issues.push({ row: rowNumber, column: at[field]?.column ?? '', field, code });
  const text = (field: LedgerField): string => {
    const c = at[field]?.cell;
    if (!c || c.kind === 'empty') return '';
    if (c.kind === 'formula') {
      add(field, 'ledger.formula');
      return '';
    }
    return c.text.trim();
  };

  const name = text('name');
  if (!name) add('name', 'ledger.required');
  else if (name.length > 50) add('name', 'ledger.tooLong');

  let phone: string | null = null;
  const phoneText = text('phone');
  if (phoneText) {
    const r = normalisePhone(phoneText);
    if (r.ok) phone = r.value;
    else add('phone', r.reason);
  }

  let idNumber: string | null = null;
  const idText = text('idNumber');
  if (idText) {
    if (at.idNumber?.cell.kind === 'number' || looksLikeMangledIdNumber(idText))
      add('idNumber', 'ledger.idNumberAsNumber');
    else {
      const r = normaliseIdNumber(idText, today);
      if (r.ok) idNumber = r.value;
      else add('idNumber', r.reason);
    }
  }
  if (!phoneText && !idText) add(fields.includes('phone') ? 'phone' : 'idNumber', 'ledger.identifierRequired');

  let birthDate: string | null = null;
  const birthText = text('birthDate');
  if (birthText) {
    const s = toHalfWidth(birthText)
      .replace(/[./年月]/g, '-')
      .replace(/日$/, '');
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
    const iso = m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : '';
    if (
      iso &&
      !Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) &&
      new Date(`${iso}T00:00:00Z`).toISOString().startsWith(iso)
    )
      birthDate = iso;
    else add('birthDate', 'ledger.invalidDate');
  }

  const enumOf = <T extends string>(field: LedgerField, labels: Record<T, string>): T | null => {
    const t = text(field);
    if (!t) return null;
    const v = choice(labels, t);
    if (!v) add(field, 'ledger.unknownValue');
    return v ?? null;
  };
  const gender = enumOf('gender', GENDER_LABELS);
  const politicalStatus = enumOf('politicalStatus', POLITICAL_LABELS) ?? 'masses';
  const category = enumOf('category', CATEGORY_LABELS) ?? 'other';
  const flag = (field: LedgerField): boolean => {
    const t = text(field);
    if (!t) return false;
    const k = (ALIASES[t.toLowerCase()] ?? t) as keyof typeof YES_NO;
    if (!(k in YES_NO)) add(field, 'ledger.unknownValue');
    return YES_NO[k] ?? false;
  };
  const backbone = flag('backbone');
  const reserveBackbone = flag('reserveBackbone');
  const skills = text('skills')
    .split(/[、,，;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 20);
  if (skills.some((s) => s.length > 30)) add('skills', 'ledger.tooLong');
  const gridCode = text('gridCode') || null;

  if (issues.length === 0) {
    const facts = resolvePersonFacts({ birthDate, gender, idNumber }, today);
    for (const e of facts.errors) add(e.field === 'guardianConsent' ? 'birthDate' : (e.field as LedgerField), e.code);
    if (!facts.birthDate && !issues.length) add('birthDate', 'ledger.required');
    birthDate = facts.birthDate;
    if (issues.length === 0)
      return {
        ok: true,
        person: {
          name,
          gender: facts.gender,
          birthDate,
          phone,
          idNumber,
          politicalStatus,
          category,
          gridCode,
          skills,
          backbone,
          reserveBackbone,
        },
      };
  }
  return { ok: false, issues };
}

/**
 * Spreadsheet formula injection (CSV/Excel "=cmd|…"): a text cell an export writes that starts with
 * = + - @ or a control character is prefixed with an apostrophe so Excel shows it as text.
 */
export function escapeSpreadsheetText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** What the import endpoint answers. */
export const LedgerImportModeSchema = z.enum(['valid', 'all']);
export const LedgerImportQuerySchema = z
  .object({
    orgId: z.coerce.number().int().positive().max(2147483647),
    /** valid: import the valid rows, report the rest; all: refuse the whole file if any row is wrong */
    mode: LedgerImportModeSchema.default('valid'),
    fileName: z.string().trim().max(200).default('ledger.xlsx'),
  })
  .strict();
export type LedgerImportQuery = z.infer<typeof LedgerImportQuerySchema>;

export const LedgerImportIssueSchema = z.object({
  row: z.number().int(),
  column: z.string(),
  field: z.string(),
  message: z.string(),
});
export const LedgerImportResultSchema = z.object({
  id: z.number().int(),
  status: z.enum(['imported', 'refused']),
  mode: LedgerImportModeSchema,
  fileName: z.string(),
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  review: z.number().int(),
  rejected: z.number().int(),
  errors: z.array(LedgerImportIssueSchema),
  /** errors beyond what the answer lists are in the downloadable report */
  errorsTruncated: z.boolean(),
  createdAt: z.string(),
});
export type LedgerImportResult = z.infer<typeof LedgerImportResultSchema>;
export const LedgerImportListSchema = z.object({
  items: z.array(LedgerImportResultSchema.omit({ errors: true, errorsTruncated: true })),
});

export const LedgerExportQuerySchema = z
  .object({
    orgId: z.coerce.number().int().positive().max(2147483647),
    /** unmasked identifiers: needs the permission to view personal data; audited */
    unmasked: z
      .enum(['true', 'false'])
      .default('false')
      .transform((v) => v === 'true'),
  })
  .strict();

/** Human text of an issue code in the user's language (import reports are read by cadres). */
export const LEDGER_MESSAGES: Record<string, Record<Lang, string>> = {
  'ledger.required': { 'zh-CN': '必填', en: 'Required' },
  'ledger.tooLong': { 'zh-CN': '内容过长', en: 'Too long' },
  'ledger.formula': {
    'zh-CN': '单元格是公式，请粘贴为数值后再导入',
    en: 'The cell holds a formula; paste it as values first',
  },
  'ledger.unknownValue': {
    'zh-CN': '取值不在可选范围内（见模板下拉）',
    en: 'Not one of the allowed values (see the template)',
  },
  'ledger.idNumberAsNumber': {
    'zh-CN': '身份证号被 Excel 存成了数字（科学计数法或末尾变 0），请把该列设为“文本”后重新填写',
    en: 'Excel stored the ID number as a number (scientific notation or trailing zeros); format the column as Text and re-enter it',
  },
  'ledger.identifierRequired': { 'zh-CN': '手机号和身份证号至少填写一项', en: 'Give a mobile number or an ID number' },
  'ledger.gridNotFound': {
    'zh-CN': '网格编码不存在，或不在所选组织之下',
    en: 'Unknown grid code, or the grid is not under the chosen organisation',
  },
  'ledger.invalidDate': { 'zh-CN': '日期无效，格式如 2001-05-20', en: 'Invalid date; use 2001-05-20' },
};

export function ledgerIssueMessage(code: string, lang: Lang): string {
  return LEDGER_MESSAGES[code]?.[lang] ?? codeMessage(code, lang) ?? code;
}
