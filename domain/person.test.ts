import { describe, expect, it } from 'vitest';
import { idCheckChar } from './identity.ts';
import { needsLeaveReview, PersonCreateSchema, QrRegisterSchema, resolvePersonFacts } from './person.ts';

const id = (first17: string) => first17 + idCheckChar(first17);
const TODAY = '2026-06-01';

describe('person rules', () => {
  it('takes birth date and gender from the ID number and refuses a contradicting one', () => {
    const male2000 = id('33010220000101123');
    expect(resolvePersonFacts({ idNumber: male2000 }, TODAY)).toEqual({
      birthDate: '2000-01-01',
      gender: 'male',
      errors: [],
    });
    const r = resolvePersonFacts({ idNumber: male2000, birthDate: '2000-01-02', gender: 'female' }, TODAY);
    expect(r.errors.map((e) => e.code)).toEqual(['BIRTH_DATE_MISMATCH', 'GENDER_MISMATCH']);
  });

  it('youth are 14–35; under 14 only with a guardian consent', () => {
    expect(resolvePersonFacts({ birthDate: '1990-06-01' }, TODAY).errors).toEqual([
      { field: 'birthDate', code: 'AGE_OUT_OF_RANGE' },
    ]);
    expect(resolvePersonFacts({ birthDate: '1990-06-02' }, TODAY).errors).toEqual([]);
    expect(resolvePersonFacts({ birthDate: '2012-06-02' }, TODAY).errors).toEqual([
      { field: 'guardianConsent', code: 'GUARDIAN_CONSENT_REQUIRED' },
    ]);
    expect(
      resolvePersonFacts({ birthDate: '2012-06-02', guardianConsent: { guardianName: '王芳' } }, TODAY).errors,
    ).toEqual([]);
  });

  it('flags League members over 28 for the 离团 review', () => {
    expect(needsLeaveReview('league_member', '1997-06-01', TODAY)).toBe(true);
    expect(needsLeaveReview('league_member', '1997-06-02', TODAY)).toBe(false);
    expect(needsLeaveReview('masses', '1995-01-01', TODAY)).toBe(false);
  });
});

describe('person contracts', () => {
  const base = { name: '张三', homeGridId: 1, consent: { version: '2026-01', channel: 'paper' } };

  it('normalises identifiers and reports each bad one with a message key', () => {
    const ok = PersonCreateSchema.safeParse({
      ...base,
      phone: '+86 138-1234-5678',
      idNumber: id('33010220000101123').toLowerCase(),
    });
    expect(ok.success && ok.data.phone).toBe('13812345678');
    const bad = PersonCreateSchema.safeParse({ ...base, phone: '12345', idNumber: '330102200001011230' });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}:${i.message}`);
    expect(messages).toContain('phone:phone.invalid');
    expect(messages.some((m) => m.startsWith('idNumber:idNumber.'))).toBe(true);
  });

  it('needs an identifier, a birth date source and a place', () => {
    const r = PersonCreateSchema.safeParse({ name: '李四', consent: base.consent });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message).sort()).toEqual([
      'person.birthDateRequired',
      'person.identifierRequired',
      'person.placeRequired',
    ]);
  });

  it('the QR form needs the consent box ticked and a submission id', () => {
    const form = { name: '王五', phone: '13900001111', birthDate: '2001-01-01', consentVersion: '2026-01' };
    expect(QrRegisterSchema.safeParse({ ...form, consent: false, submissionId: 'abcdefghijklmnop' }).success).toBe(
      false,
    );
    expect(QrRegisterSchema.safeParse({ ...form, consent: true }).success).toBe(false);
    expect(QrRegisterSchema.safeParse({ ...form, consent: true, submissionId: 'abcdefghijklmnop' }).success).toBe(true);
  });
});
