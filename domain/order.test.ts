import { describe, expect, it } from 'vitest';
import {
  canTransition,
  type DispatchRecord,
  incubationEligible,
  makeTrackingNo,
  orderDeadlines,
  PublicOrderCreateSchema,
  rankSuggestions,
  responseRate,
  type SuggestionInput,
  satisfactionRate,
  scoreSuggestion,
  TRACKING_RE,
} from './order.ts';

const t = (iso: string) => new Date(iso);

describe('responseRate 响应率', () => {
  const due = t('2026-11-22T04:00:00Z');
  const base = { dispatchedAt: t('2026-11-22T02:00:00Z'), respondDueAt: due };
  const now = t('2026-11-23T00:00:00Z');

  it('counts acceptances within the deadline over answered or overdue dispatches', () => {
    const records: DispatchRecord[] = [
      { ...base, outcome: 'accepted', respondedAt: t('2026-11-22T03:00:00Z') },
      { ...base, outcome: 'accepted', respondedAt: due },
      { ...base, outcome: 'accepted', respondedAt: t('2026-11-22T05:00:00Z') },
      { ...base, outcome: 'declined', respondedAt: t('2026-11-22T02:30:00Z') },
    ];
    expect(responseRate(records, now)).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
  });

  it('leaves out dispatches still pending before their deadline, counts overdue ones against', () => {
    const early = t('2026-11-22T03:00:00Z');
    const pending: DispatchRecord = { ...base, outcome: 'pending', respondedAt: null };
    expect(responseRate([pending], early)).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(responseRate([pending], now)).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    const withdrawnEarly: DispatchRecord = { ...base, outcome: 'withdrawn', respondedAt: null };
    expect(responseRate([withdrawnEarly], early).denominator).toBe(0);
  });
});

describe('satisfactionRate 满意率', () => {
  it('is the share of ratings with 4 or 5 stars', () => {
    expect(satisfactionRate([5, 4, 3, 1])).toEqual({ numerator: 2, denominator: 4, rate: 0.5 });
    expect(satisfactionRate([])).toEqual({ numerator: 0, denominator: 0, rate: null });
  });

  it('marks orgs under 80% as not eligible for incubation, unknown rates do not disqualify', () => {
    expect(incubationEligible(responseRate([], new Date()), satisfactionRate([5, 5, 5, 5, 3]))).toBe(true);
    expect(incubationEligible(responseRate([], new Date()), satisfactionRate([5, 5, 3, 3]))).toBe(false);
  });
});

describe('deadlines 件件有回音', () => {
  it('adds the class hours to the dispatch instant, whatever the local date', () => {
    // 23:30 in Shanghai: the completion deadline of an immediate order falls on the next Shanghai day.
    const d = orderDeadlines('immediate', t('2026-11-22T15:30:00Z'));
    expect(d.respondDueAt.toISOString()).toBe('2026-11-22T17:30:00.000Z');
    expect(d.completeDueAt.toISOString()).toBe('2026-11-23T15:30:00.000Z');
    expect(orderDeadlines('hard', t('2026-11-22T00:00:00Z')).completeDueAt.toISOString()).toBe(
      '2026-12-22T00:00:00.000Z',
    );
  });
});

describe('tracking numbers', () => {
  it('carry the Shanghai date and six unambiguous characters', () => {
    let i = 0;
    const no = makeTrackingNo(t('2026-11-22T17:00:00Z'), () => (i++ * 0.13) % 1);
    expect(no.startsWith('JW20261123')).toBe(true);
    expect(no).toMatch(TRACKING_RE);
    expect(no.slice(10)).not.toMatch(/[01ILO]/);
  });
});

describe('transitions', () => {
  it('allow only the workflow order', () => {
    expect(canTransition('accept', 'dispatched')).toBe(true);
    expect(canTransition('accept', 'classified')).toBe(false);
    expect(canTransition('rate', 'done')).toBe(true);
    expect(canTransition('rate', 'in_progress')).toBe(false);
    expect(canTransition('dispatch', 'returned')).toBe(true);
  });
});

describe('suggestion ranking', () => {
  const c = (over: Partial<SuggestionInput>): SuggestionInput => ({
    orgId: 1,
    orgKind: 'youth_social_org',
    categoryMatch: false,
    distanceMeters: null,
    openOrders: 0,
    ratings: 0,
    satisfied: 0,
    ...over,
  });

  it('explains the score by its components', () => {
    const s = scoreSuggestion(
      c({ categoryMatch: true, distanceMeters: 2000, openOrders: 2, ratings: 4, satisfied: 3 }),
      'immediate',
    );
    expect(s.components).toEqual({ category: 40, distance: 15, workload: 5, satisfaction: 11.3, kind: 10 });
    expect(s.score).toBe(81.3);
  });

  it('puts the near org offering the category first on a constructed case', () => {
    const ranked = rankSuggestions(
      [
        c({ orgId: 1, categoryMatch: false, distanceMeters: 100 }),
        c({ orgId: 2, categoryMatch: true, distanceMeters: 15000 }),
        c({ orgId: 3, categoryMatch: true, distanceMeters: 300 }),
        c({ orgId: 4, categoryMatch: true, distanceMeters: 300, openOrders: 6 }),
        c({ orgId: 5, orgKind: 'partner_unit', categoryMatch: true, distanceMeters: 300 }),
      ],
      'immediate',
    );
    expect(ranked.map((r) => r.orgId)).toEqual([3, 5, 4, 2, 1]);
  });
});

describe('public order form', () => {
  it('normalises the phone and names wrong fields', () => {
    const ok = PublicOrderCreateSchema.safeParse({
      name: '张三',
      phone: '+86 138 0013 8000',
      code: '123456',
      category: 'education',
      title: '辅导作业',
    });
    expect(ok.success && ok.data.phone).toBe('13800138000');
    const bad = PublicOrderCreateSchema.safeParse({ name: '张三', phone: '123', code: '12', category: 'x', title: '' });
    expect(bad.success).toBe(false);
    const fields = (bad.error?.issues ?? []).map((i) => i.path.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['phone', 'code', 'category', 'title']));
  });
});
