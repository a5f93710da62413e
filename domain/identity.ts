import isIdentityCardModule from 'validator/lib/isIdentityCard.js';
import isMobilePhoneModule from 'validator/lib/isMobilePhone.js';

// validator ships CommonJS: under Node's own ESM loader (tsx, production) a module that also exports
// `locales` arrives as its exports object, under Vite/Vitest as the function. Accept both.
const interop = <T>(m: T): T => ((m as { default?: T }).default ?? m) as T;
const isIdentityCard = interop(isIdentityCardModule);
const isMobilePhone = interop(isMobilePhoneModule);

/**
 * Personal identifiers: 居民身份证号码 (GB 11643) and mainland mobile numbers. Normalisation, validation
 * and masking live here so the server, the import and the web form agree on them.
 */

/** Full-width digits, letters and the ideographic space turned into their ASCII forms. */
export function toHalfWidth(input: string): string {
  return input
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** Removes what people type between digits: spaces (any kind), hyphens, dots and brackets. */
function stripSeparators(input: string): string {
  return input.replace(/[\s\u00A0\u2000-\u200B\u2010-\u2015\-–—().]/g, '');
}

export type PhoneResult = { ok: true; value: string } | { ok: false; reason: 'phone.invalid' };

/**
 * 手机号 Normalises and validates a mainland mobile number: full-width digits, spaces, dashes and a
 * +86 / 0086 / 86 prefix are accepted; the result is the bare 11 digits.
 */
export function normalisePhone(raw: string): PhoneResult {
  let s = stripSeparators(toHalfWidth(raw.trim()));
  if (s.startsWith('+86')) s = s.slice(3);
  else if (s.startsWith('0086')) s = s.slice(4);
  else if (s.length === 13 && s.startsWith('86')) s = s.slice(2);
  if (!/^1[3-9]\d{9}$/.test(s) || !isMobilePhone(s, 'zh-CN', { strictMode: false })) {
    return { ok: false, reason: 'phone.invalid' };
  }
  return { ok: true, value: s };
}

export type IdNumberError = 'idNumber.format' | 'idNumber.birthDate' | 'idNumber.checksum' | 'idNumber.region';
export type IdNumberResult = { ok: true; value: string } | { ok: false; reason: IdNumberError };

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** The GB 11643 check character (ISO 7064 MOD 11-2) of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

/** Whether `yyyy-mm-dd` is a real calendar date. */
export function isRealDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * 身份证号 Normalises and validates an 18-character ID number: full-width characters and spaces are
 * accepted, a lower-case x becomes X. Checks the layout, the embedded birth date (a real date, not in
 * the future, not before 1900), the check character and the province code. 15-digit numbers (issued
 * before 1999, all long replaced) are refused.
 */
export function normaliseIdNumber(raw: string, today: string = todayInChina()): IdNumberResult {
  const s = stripSeparators(toHalfWidth(raw.trim())).toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, reason: 'idNumber.format' };
  const birth = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (!isRealDate(birth) || birth < '1900-01-01' || birth > today) return { ok: false, reason: 'idNumber.birthDate' };
  if (idCheckChar(s.slice(0, 17)) !== s[17]) return { ok: false, reason: 'idNumber.checksum' };
  if (!isIdentityCard(s, 'zh-CN')) return { ok: false, reason: 'idNumber.region' };
  return { ok: true, value: s };
}

/** Birth date embedded in a (valid, normalised) ID number, as yyyy-mm-dd. */
export function idBirthDate(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** Gender embedded in a (valid, normalised) ID number: the 17th digit is odd for men. */
export function idGender(id: string): 'male' | 'female' {
  return Number(id[16]) % 2 === 1 ? 'male' : 'female';
}

/** 138****1234: the first three and the last four digits of a mobile number. */
export function maskPhone(phone: string): string {
  if (phone.length < 8) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** 3301**********1234: the first four (the city) and the last four characters of an ID number. */
export function maskIdNumber(id: string): string {
  if (id.length < 10) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/**
 * Whether a spreadsheet cell looks like an ID number Excel turned into a number: scientific notation
 * (3.30102E+17) or 18 digits ending in zeros beyond Excel's 15 significant digits.
 */
export function looksLikeMangledIdNumber(cell: string): boolean {
  const s = toHalfWidth(cell.trim());
  if (/^\d(\.\d+)?E\+?\d+$/i.test(s)) return true;
  return /^\d{15}000$/.test(s) && idCheckChar(s.slice(0, 17)) !== s[17];
}

/** Today's date in China (Asia/Shanghai, UTC+8 without DST), as yyyy-mm-dd. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Age in whole years on `today` of someone born on `birthDate` (both yyyy-mm-dd). */
export function ageOn(birthDate: string, today: string = todayInChina()): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age--;
  return age;
}
