import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BookingCreateSchema,
  checkBookingRules,
  DEFAULT_OPENING_HOURS,
  describeViolation,
  mayBook,
  OpeningHoursSchema,
  openMinutesBetween,
  rangesOverlap,
  sameDayClock,
  shanghaiParts,
  withinOpeningHours,
} from './venue.ts';

const t = (s: string) => new Date(s);
const rules = { active: true, openingHours: DEFAULT_OPENING_HOURS, advanceDays: 30, maxMinutes: 240 };
// Wednesday 2026-11-25, 09:00 in Shanghai
const NOW = t('2026-11-25T09:00:00+08:00');

describe('Shanghai local time', () => {
  it('reads weekday, date and minute in UTC+8', () => {
    expect(shanghaiParts(t('2026-11-22T16:30:00Z'))).toMatchObject({ weekday: 'mon', minute: 30, date: '2026-11-23' });
    expect(shanghaiParts(t('2026-11-25T10:15:00+08:00'))).toMatchObject({ weekday: 'wed', minute: 615 });
  });

  it('treats an end at midnight as 24:00 and refuses ranges that span days', () => {
    expect(sameDayClock(t('2026-11-25T22:00:00+08:00'), t('2026-11-26T00:00:00+08:00'))).toEqual({
      weekday: 'wed',
      from: '22:00',
      to: '24:00',
    });
    expect(sameDayClock(t('2026-11-25T22:00:00+08:00'), t('2026-11-26T00:30:00+08:00'))).toBeNull();
  });
});

describe('opening hours', () => {
  it('accepts a slot inside one interval only', () => {
    const ok = withinOpeningHours(
      DEFAULT_OPENING_HOURS,
      t('2026-11-25T08:30:00+08:00'),
      t('2026-11-25T12:00:00+08:00'),
    );
    expect(ok).toBe(true);
    // across the lunch break
    expect(
      withinOpeningHours(DEFAULT_OPENING_HOURS, t('2026-11-25T11:00:00+08:00'), t('2026-11-25T14:00:00+08:00')),
    ).toBe(false);
    // seconds past the close count
    expect(
      withinOpeningHours(DEFAULT_OPENING_HOURS, t('2026-11-25T11:00:00+08:00'), t('2026-11-25T12:00:30+08:00')),
    ).toBe(false);
    // Saturday 09:00–17:00
    expect(
      withinOpeningHours(DEFAULT_OPENING_HOURS, t('2026-11-28T16:00:00+08:00'), t('2026-11-28T17:00:00+08:00')),
    ).toBe(true);
  });

  it('sums open minutes over a range, clipped at both ends', () => {
    // one weekday: 3.5 h + 4 h
    expect(
      openMinutesBetween(DEFAULT_OPENING_HOURS, t('2026-11-25T00:00:00+08:00'), t('2026-11-26T00:00:00+08:00')),
    ).toBe(450);
    // a week: 5 × 7.5 h + 2 × 8 h
    expect(
      openMinutesBetween(DEFAULT_OPENING_HOURS, t('2026-11-23T00:00:00+08:00'), t('2026-11-30T00:00:00+08:00')),
    ).toBe(5 * 450 + 2 * 480);
    expect(
      openMinutesBetween(DEFAULT_OPENING_HOURS, t('2026-11-25T10:00:00+08:00'), t('2026-11-25T14:00:00+08:00')),
    ).toBe(120 + 30);
  });

  it('validates intervals: HH:MM, end after start, no overlap within a day', () => {
    const r = OpeningHoursSchema.safeParse({
      ...DEFAULT_OPENING_HOURS,
      mon: [
        { from: '08:00', to: '12:00' },
        { from: '11:00', to: '13:00' },
      ],
      tue: [{ from: '25:00', to: '26:00' }],
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['mon.1', 'tue.0.from', 'tue.0.to']));
  });
});

describe('booking rules', () => {
  it('returns every violation with the numbers', () => {
    const v = checkBookingRules(
      { ...rules, active: false, advanceDays: 3, maxMinutes: 60 },
      t('2026-12-05T07:00:00+08:00'),
      t('2026-12-05T09:30:00+08:00'),
      NOW,
    );
    expect(v.map((x) => x.code)).toEqual([
      'VENUE_INACTIVE',
      'BOOKING_TOO_LONG',
      'BOOKING_TOO_FAR_AHEAD',
      'BOOKING_OUTSIDE_HOURS',
    ]);
    expect(describeViolation(v[2], 'zh-CN')).toBe('最多提前 3 天预订（最晚 2026-11-28）');
    expect(describeViolation(v[3], 'en')).toBe('Saturday opening hours: 09:00–17:00');
  });

  it('accepts a slot on the last day of the window and refuses one in the past', () => {
    expect(checkBookingRules(rules, t('2026-12-25T09:00:00+08:00'), t('2026-12-25T10:00:00+08:00'), NOW)).toEqual([]);
    expect(
      checkBookingRules(rules, t('2026-11-25T08:30:00+08:00'), t('2026-11-25T09:30:00+08:00'), NOW).map((x) => x.code),
    ).toEqual(['BOOKING_IN_PAST']);
  });

  it('limits owner-subtree venues to the owner’s subtree', () => {
    expect(mayBook('district', '/1/2/', '/1/3/')).toBe(true);
    expect(mayBook('owner_subtree', '/1/2/', '/1/2/9/')).toBe(true);
    expect(mayBook('owner_subtree', '/1/2/', '/1/3/')).toBe(false);
  });

  it('half-open ranges: adjacent slots never overlap (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 1e4 }),
        fc.integer({ min: 1, max: 1e4 }),
        (a, l1, l2) => {
          expect(rangesOverlap(a, a + l1, a + l1, a + l1 + l2)).toBe(false);
          expect(rangesOverlap(a, a + l1 + 1, a + l1, a + l1 + l2)).toBe(true);
        },
      ),
    );
  });

  it('booked minutes inside the opening hours never exceed the open minutes (property)', () => {
    const day0 = t('2026-11-23T00:00:00+08:00').getTime();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 14 * 24 * 60 }), fc.integer({ min: 1, max: 24 * 60 }), (startMin, len) => {
        const start = new Date(day0 + startMin * 60_000);
        const end = new Date(start.getTime() + len * 60_000);
        if (withinOpeningHours(DEFAULT_OPENING_HOURS, start, end)) {
          expect(openMinutesBetween(DEFAULT_OPENING_HOURS, start, end)).toBe(len);
        } else {
          expect(openMinutesBetween(DEFAULT_OPENING_HOURS, start, end)).toBeLessThanOrEqual(len);
        }
      }),
    );
  });
});

describe('booking input', () => {
  it('needs offsets and an end after the start', () => {
    const r = BookingCreateSchema.safeParse({
      orgId: 1,
      purpose: '议事',
      start: '2026-11-25T10:00:00+08:00',
      end: '2026-11-25T09:00:00+08:00',
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['end']);
  });
});
