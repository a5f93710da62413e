import { describe, expect, it } from 'vitest';
import {
  checkReply,
  DEFAULT_NOTICE_SETTINGS,
  deadlineSecondsOf,
  escalationDueAt,
  isOnTime,
  LEVEL_OF_ORG_KIND,
  NoticeSendSchema,
  nextEscalationLevel,
  percentile,
  resendChannelOf,
  shouldEscalate,
  summariseReach,
} from './notice.ts';

/** A fake clock: time moves only when the test says so. */
function fakeClock(start = '2026-11-22T08:00:00Z') {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (seconds: number) => {
      t += seconds * 1000;
    },
  };
}

describe('deadlines', () => {
  it('urgent 3 minutes, general 10 minutes by default, configurable per district', () => {
    expect(deadlineSecondsOf('urgent', DEFAULT_NOTICE_SETTINGS)).toBe(180);
    expect(deadlineSecondsOf('general', DEFAULT_NOTICE_SETTINGS)).toBe(600);
    expect(deadlineSecondsOf('urgent', { urgentSeconds: 60, generalSeconds: 300 })).toBe(60);
  });

  it('the n-th escalation falls due n deadlines after sending', () => {
    const sent = new Date('2026-11-22T08:00:00Z');
    expect(escalationDueAt(sent, 180, 1).toISOString()).toBe('2026-11-22T08:03:00.000Z');
    expect(escalationDueAt(sent, 180, 2).toISOString()).toBe('2026-11-22T08:06:00.000Z');
    expect(nextEscalationLevel(1)).toBe(2);
    expect(nextEscalationLevel(2)).toBeNull();
    expect(resendChannelOf(1)).toBe('sms');
    expect(resendChannelOf(2)).toBe('wecom');
  });
});

describe('escalation rule (fake clock)', () => {
  const clock = fakeClock();
  const notice = { sentAt: clock.now(), deadlineSeconds: 180, superseded: false };

  it('escalates an unacknowledged receipt exactly at the deadline, not before', () => {
    const r = { acknowledgedAt: null, escalationLevel: 0 };
    const c = fakeClock();
    c.advance(179);
    expect(shouldEscalate(r, notice, 1, c.now())).toBe(false);
    c.advance(1);
    expect(shouldEscalate(r, notice, 1, c.now())).toBe(true);
  });

  it('never escalates an acknowledged receipt, even late', () => {
    const c = fakeClock();
    c.advance(30);
    const acked = { acknowledgedAt: c.now(), escalationLevel: 0 };
    c.advance(1000);
    expect(shouldEscalate(acked, notice, 1, c.now())).toBe(false);
    expect(shouldEscalate(acked, notice, 2, c.now())).toBe(false);
  });

  it('each level once and in order; the second deadline escalates one level further', () => {
    const c = fakeClock();
    c.advance(181);
    const r = { acknowledgedAt: null as Date | null, escalationLevel: 0 };
    expect(shouldEscalate(r, notice, 2, c.now())).toBe(false); // level 1 first
    expect(shouldEscalate(r, notice, 1, c.now())).toBe(true);
    r.escalationLevel = 1;
    expect(shouldEscalate(r, notice, 1, c.now())).toBe(false); // once
    expect(shouldEscalate(r, notice, 2, c.now())).toBe(false); // not yet the second deadline
    c.advance(180);
    expect(shouldEscalate(r, notice, 2, c.now())).toBe(true);
    r.escalationLevel = 2;
    expect(shouldEscalate(r, notice, 3, c.now())).toBe(false); // the ladder ends
  });

  it('a corrected (superseded) notice does not escalate', () => {
    const c = fakeClock();
    c.advance(500);
    expect(
      shouldEscalate({ acknowledgedAt: null, escalationLevel: 0 }, { ...notice, superseded: true }, 1, c.now()),
    ).toBe(false);
  });

  it('on time means acknowledged no later than the deadline', () => {
    const d = new Date('2026-11-22T08:03:00Z');
    expect(isOnTime(new Date('2026-11-22T08:03:00Z'), d)).toBe(true);
    expect(isOnTime(new Date('2026-11-22T08:03:00.001Z'), d)).toBe(false);
    expect(isOnTime(null, d)).toBe(false);
  });
});

describe('reach report', () => {
  it('percentiles by nearest rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([5], 95)).toBe(5);
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
  });

  it('share on time, median, p95, per level, late count and a cumulative timeline', () => {
    const receipts = [
      { level: 'town' as const, ackSeconds: 10 },
      { level: 'town' as const, ackSeconds: 100 },
      { level: 'village' as const, ackSeconds: 170 },
      { level: 'village' as const, ackSeconds: 250 }, // late
      { level: 'grid' as const, ackSeconds: null }, // unacknowledged, overdue
    ];
    const { total, levels } = summariseReach(receipts, 180, 400);
    expect(total.targets).toBe(5);
    expect(total.acknowledged).toBe(4);
    expect(total.onTime).toBe(3);
    expect(total.onTimeRate).toBeCloseTo(0.6);
    expect(total.medianSeconds).toBe(100);
    expect(total.p95Seconds).toBe(250);
    expect(total.pending).toBe(1);
    expect(total.late).toBe(2);
    expect(levels.map((l) => [l.level, l.targets, l.onTime])).toEqual([
      ['town', 2, 2],
      ['village', 2, 1],
      ['grid', 1, 0],
    ]);
    expect(total.timeline.at(-1)!.cumulative).toBe(4);
    expect(total.timeline.length).toBeLessThanOrEqual(41);
    expect(total.timeline[0].fromSeconds).toBe(0);
    // Before the deadline an unacknowledged receipt is pending, not late.
    expect(summariseReach(receipts, 180, 60).total.late).toBe(1);
  });
});

describe('replies and input', () => {
  const form = {
    kind: 'form' as const,
    prompt: '今晚可出动人数',
    fields: [{ key: 'headcount', label: '人数', type: 'number' as const }],
  };
  it('checks a reply against the spec', () => {
    expect(checkReply(form, { values: { headcount: 12 } })).toEqual([]);
    expect(checkReply(form, { values: {} })).toEqual([{ field: 'reply.values.headcount', message: 'required' }]);
    expect(checkReply(form, { values: { headcount: '十二' } })[0].message).toBe('NOTICE_REPLY_NUMBER');
    expect(checkReply(form, { values: { headcount: 1, x: 2 } })[0].message).toBe('NOTICE_REPLY_UNKNOWN_FIELD');
    expect(checkReply({ kind: 'text', prompt: '收到请回复' }, { text: '收到' })).toEqual([]);
    expect(checkReply(null, { text: 'x' })[0].message).toBe('NOTICE_REPLY_NOT_EXPECTED');
  });

  it('levels of the tower by org kind', () => {
    expect(LEVEL_OF_ORG_KIND.district_committee).toBe('district');
    expect(LEVEL_OF_ORG_KIND.devzone_committee).toBe('town');
    expect(LEVEL_OF_ORG_KIND.community_branch).toBe('village');
    expect(LEVEL_OF_ORG_KIND.grid_branch).toBe('grid');
    expect(LEVEL_OF_ORG_KIND.alliance).toBe('other');
  });

  it('a notice needs a title, a body, a priority and a target', () => {
    const ok = NoticeSendSchema.safeParse({
      title: '防汛',
      body: '今晚 8 点到岗',
      priority: 'urgent',
      target: { mode: 'subtree' },
    });
    expect(ok.success).toBe(true);
    const bad = NoticeSendSchema.safeParse({ title: '', body: 'x', priority: 'soon', target: { mode: 'all' } });
    expect(bad.success).toBe(false);
    const fields = bad.error!.issues.map((i) => i.path.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['title', 'priority', 'target.mode']));
  });
});
