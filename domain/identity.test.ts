import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  idBirthDate,
  idCheckChar,
  idGender,
  looksLikeMangledIdNumber,
  maskIdNumber,
  maskPhone,
  normaliseIdNumber,
  normalisePhone,
  todayInChina,
} from './identity.ts';

const withCheck = (first17: string) => first17 + idCheckChar(first17);

describe('ID numbers', () => {
  it('accepts the GB 11643 example and a lower-case x, full-width digits and spaces', () => {
    expect(normaliseIdNumber('11010519491231002X')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(normaliseIdNumber('11010519491231002x')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(normaliseIdNumber(' １１０１０５ １９４９１２３１ ００２Ｘ ')).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
  });

  it('refuses a wrong check digit, impossible birth dates, bad layout and unknown provinces', () => {
    expect(normaliseIdNumber('110105194912310021')).toEqual({ ok: false, reason: 'idNumber.checksum' });
    expect(normaliseIdNumber(withCheck('33010220010230123'))).toEqual({ ok: false, reason: 'idNumber.birthDate' });
    expect(normaliseIdNumber(withCheck('33010221000101123'), '2026-11-01')).toEqual({
      ok: false,
      reason: 'idNumber.birthDate',
    });
    expect(normaliseIdNumber('33010220000101123')).toEqual({ ok: false, reason: 'idNumber.format' });
    expect(normaliseIdNumber('330102000101123')).toEqual({ ok: false, reason: 'idNumber.format' });
    expect(normaliseIdNumber(withCheck('99010220000101123'))).toEqual({ ok: false, reason: 'idNumber.region' });
  });

  it('reads birth date and gender', () => {
    const id = withCheck('33010220000229123');
    expect(idBirthDate(id)).toBe('2000-02-29');
    expect(idGender(id)).toBe('male');
    expect(idGender(withCheck('33010220000229122'))).toBe('female');
  });

  it('detects ID numbers Excel turned into numbers', () => {
    expect(looksLikeMangledIdNumber('3.30102E+17')).toBe(true);
    expect(looksLikeMangledIdNumber('330102200001011000')).toBe(true);
    expect(looksLikeMangledIdNumber(withCheck('33010220000101123'))).toBe(false);
  });

  it('every valid number built from random digits passes, and any changed digit fails', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1950-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 6, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        (d, seq, pos, delta) => {
          const birth = d.toISOString().slice(0, 10).replaceAll('-', '');
          const id = withCheck(`330102${birth}${String(seq).padStart(3, '0')}`);
          expect(normaliseIdNumber(id).ok).toBe(true);
          const changed = id.slice(0, pos) + ((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
          expect(normaliseIdNumber(changed).ok).toBe(false);
        },
      ),
    );
  });
});

describe('mobile numbers', () => {
  it('normalises +86, 0086, spaces, dashes and full-width digits', () => {
    for (const raw of [
      '13812345678',
      '+86 138 1234 5678',
      '0086-138-1234-5678',
      '8613812345678',
      '１３８１２３４５６７８',
    ]) {
      expect(normalisePhone(raw)).toEqual({ ok: true, value: '13812345678' });
    }
  });
  it('refuses landlines, short numbers and bad prefixes', () => {
    for (const raw of ['057188001234', '1381234567', '12812345678', '23812345678', 'abc', '']) {
      expect(normalisePhone(raw).ok).toBe(false);
    }
  });
});

describe('masking', () => {
  it('shows 138****1234 and 3301**********1234', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskIdNumber('330102200001011234')).toBe('3301**********1234');
  });

  it('never reveals more than the first 3 + last 4 phone digits or first 4 + last 4 ID characters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (phone) => {
        const m = maskPhone(phone);
        expect(m).toHaveLength(11);
        expect(m.replace(/\*/g, '')).toBe(phone.slice(0, 3) + phone.slice(-4));
        expect(m.slice(3, 7)).toBe('****');
      }),
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
        const m = maskIdNumber(id);
        expect(m).toHaveLength(18);
        expect([...m].filter((c) => c !== '*')).toHaveLength(8);
        expect(m.slice(4, 14)).toBe('*'.repeat(10));
      }),
    );
  });
});

describe('age', () => {
  it('counts whole years in China time', () => {
    expect(ageOn('2000-05-10', '2026-05-09')).toBe(25);
    expect(ageOn('2000-05-10', '2026-05-10')).toBe(26);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(todayInChina(new Date('2026-01-01T17:00:00Z'))).toBe('2026-01-02');
  });
});
