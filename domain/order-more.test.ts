import { describe, expect, it } from 'vitest';
import {
  attractionRate,
  DEFAULT_DEADLINE_HOURS,
  incubationEligible,
  isDissatisfied,
  OrderSettingsUpdateSchema,
  orderDeadlines,
  overdueKind,
  RATING_LEVEL_SCORE,
  ratingLevel,
  resolveDeadlineHours,
  satisfactionRate,
} from './order.ts';

describe('district deadlines', () => {
  it('override the defaults per class and never let completion come before the response', () => {
    expect(resolveDeadlineHours(null)).toEqual(DEFAULT_DEADLINE_HOURS);
    const r = resolveDeadlineHours({ immediate: { respond: 1 }, hard: { respond: 10, complete: 5 } });
    expect(r.immediate).toEqual({ respond: 1, complete: 24 });
    expect(r.hard).toEqual({ respond: 10, complete: 10 });
    expect(r.non_immediate).toEqual(DEFAULT_DEADLINE_HOURS.non_immediate);
    // Garbage in the stored jsonb falls back to the default.
    expect(resolveDeadlineHours({ immediate: { respond: -3, complete: Number.NaN } } as never).immediate).toEqual(
      DEFAULT_DEADLINE_HOURS.immediate,
    );
  });

  it('are instants: a dispatch at 23:30 Shanghai is due at 01:30 the next Shanghai day', () => {
    const at = new Date('2026-03-01T15:30:00Z'); // 23:30 in Asia/Shanghai
    const d = orderDeadlines('immediate', at, resolveDeadlineHours({ immediate: { respond: 2, complete: 24 } }));
    expect(d.respondDueAt.toISOString()).toBe('2026-03-01T17:30:00.000Z');
    expect(d.completeDueAt.toISOString()).toBe('2026-03-02T15:30:00.000Z');
  });

  it('tell which deadline an order is past, with a fake clock', () => {
    const o = {
      status: 'dispatched' as const,
      respondDueAt: '2026-03-01T17:30:00Z',
      completeDueAt: '2026-03-02T15:30:00Z',
    };
    expect(overdueKind(o, new Date('2026-03-01T17:29:59Z'))).toBeNull();
    expect(overdueKind(o, new Date('2026-03-01T17:30:01Z'))).toBe('respond');
    expect(overdueKind({ ...o, status: 'accepted' }, new Date('2026-03-01T18:00:00Z'))).toBeNull();
    expect(overdueKind({ ...o, status: 'in_progress' }, new Date('2026-03-02T16:00:00Z'))).toBe('complete');
    expect(overdueKind({ ...o, status: 'done' }, new Date('2027-01-01T00:00:00Z'))).toBeNull();
  });

  it('refuse a completion deadline shorter than the response deadline', () => {
    const bad = OrderSettingsUpdateSchema.safeParse({ deadlines: { immediate: { respond: 5, complete: 4 } } });
    expect(bad.success).toBe(false);
    expect(OrderSettingsUpdateSchema.safeParse({ incubationThreshold: 0.8 }).success).toBe(true);
    expect(OrderSettingsUpdateSchema.safeParse({ incubationThreshold: 1.5 }).success).toBe(false);
    expect(OrderSettingsUpdateSchema.safeParse({ incubationThreshold: 0 }).success).toBe(false);
  });
});

describe('two rates', () => {
  it('attraction: participants ÷ planned, each service capped at 100%', () => {
    expect(attractionRate([])).toEqual({ numerator: 0, denominator: 0, rate: null });
    expect(
      attractionRate([
        { planned: 10, participants: 8 },
        { planned: 10, participants: 15 }, // capped at 10
        { planned: null, participants: 30 }, // no plan: not counted
        { planned: 5, participants: null }, // not recorded: not counted
      ]),
    ).toEqual({ numerator: 18, denominator: 20, rate: 0.9 });
  });

  it('satisfaction: satisfied + basically satisfied ÷ ratings, on the three levels', () => {
    const scores = [
      RATING_LEVEL_SCORE.satisfied,
      RATING_LEVEL_SCORE.basically_satisfied,
      RATING_LEVEL_SCORE.dissatisfied,
    ];
    expect(satisfactionRate(scores)).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 });
    expect(scores.map(ratingLevel)).toEqual(['satisfied', 'basically_satisfied', 'dissatisfied']);
    expect([1, 2, 3].every(isDissatisfied)).toBe(true);
    expect([4, 5].some(isDissatisfied)).toBe(false);
  });

  it('incubation: both known rates at or above the threshold', () => {
    const r = (rate: number | null) => ({ numerator: 0, denominator: rate === null ? 0 : 1, rate });
    expect(incubationEligible(r(0.8), r(0.8))).toBe(true);
    expect(incubationEligible(r(0.79), r(1))).toBe(false);
    expect(incubationEligible(r(null), r(0.9))).toBe(true);
    expect(incubationEligible(r(0.7), r(0.7), 0.6)).toBe(true);
  });
});
