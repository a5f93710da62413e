import { describe, expect, it } from 'vitest';
import {
  ACTIVITY_ACTIONS,
  ACTIVITY_STATUSES,
  type ActivityAction,
  type ActivityStatus,
  CANCELLABLE_STATUSES,
  CommentReplySchema,
  escapeHtml,
  inCheckinWindow,
  inSignupWindow,
  maskName,
  nextStatus,
  PlanCreateSchema,
  percent,
  statusesAllowing,
  teamWarnings,
} from './activity.ts';

/** The machine of the issue, written out as a list: everything else must be forbidden. */
const ALLOWED: [ActivityStatus, ActivityAction, ActivityStatus][] = [
  ['draft', 'submit', 'submitted'],
  ['draft', 'cancel', 'cancelled'],
  ['submitted', 'approve', 'approved'],
  ['submitted', 'return', 'returned'],
  ['submitted', 'cancel', 'cancelled'],
  ['returned', 'resubmit', 'submitted'],
  ['returned', 'cancel', 'cancelled'],
  ['approved', 'open', 'open'],
  ['approved', 'cancel', 'cancelled'],
  ['open', 'start', 'running'],
  ['open', 'cancel', 'cancelled'],
  ['running', 'finish', 'finished'],
  ['running', 'cancel', 'cancelled'],
  ['finished', 'summarise', 'summarised'],
  ['summarised', 'publish', 'published'],
];

describe('activity state machine', () => {
  for (const [from, action, to] of ALLOWED) {
    it(`allows ${from} --${action}--> ${to}`, () => {
      expect(nextStatus(from, action)).toBe(to);
    });
  }

  const allowed = new Set(ALLOWED.map(([f, a]) => `${f}:${a}`));
  const forbidden = ACTIVITY_STATUSES.flatMap((s) => ACTIVITY_ACTIONS.map((a) => [s, a] as const)).filter(
    ([s, a]) => !allowed.has(`${s}:${a}`),
  );
  it('has every (status, action) pair either allowed or forbidden', () => {
    expect(allowed.size + forbidden.length).toBe(ACTIVITY_STATUSES.length * ACTIVITY_ACTIONS.length);
  });
  for (const [from, action] of forbidden) {
    it(`forbids ${from} --${action}-->`, () => {
      expect(nextStatus(from, action)).toBeNull();
    });
  }

  it('cancels only from the open states, never after the work is done', () => {
    expect(CANCELLABLE_STATUSES).toEqual(['draft', 'submitted', 'approved', 'returned', 'open', 'running']);
    for (const s of ['finished', 'summarised', 'published', 'cancelled'] as const) {
      expect(nextStatus(s, 'cancel')).toBeNull();
    }
  });

  it('lists the statuses an action starts from (for conditional updates)', () => {
    expect(statusesAllowing('cancel')).toEqual(CANCELLABLE_STATUSES);
    expect(statusesAllowing('publish')).toEqual(['summarised']);
  });

  it('has terminal published and cancelled states', () => {
    for (const a of ACTIVITY_ACTIONS) {
      expect(nextStatus('published', a)).toBeNull();
      expect(nextStatus('cancelled', a)).toBeNull();
    }
  });
});

describe('windows and helpers', () => {
  const start = '2026-12-05T09:00:00+08:00';
  const end = '2026-12-05T11:00:00+08:00';
  it('opens check-in N minutes before the start and closes at the end', () => {
    expect(inCheckinWindow(new Date('2026-12-05T08:29:59+08:00'), start, end, 30)).toBe(false);
    expect(inCheckinWindow(new Date('2026-12-05T08:30:00+08:00'), start, end, 30)).toBe(true);
    expect(inCheckinWindow(new Date('2026-12-05T11:00:00+08:00'), start, end, 30)).toBe(true);
    expect(inCheckinWindow(new Date('2026-12-05T11:00:01+08:00'), start, end, 30)).toBe(false);
  });
  it('has a half-open sign-up window', () => {
    expect(inSignupWindow(new Date(start), start, end)).toBe(true);
    expect(inSignupWindow(new Date(end), start, end)).toBe(false);
  });
  it('masks names and escapes markup', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳小明')).toBe('欧**');
    expect(escapeHtml('<script>alert("x")</script>')).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
  it('computes percentages and team warnings', () => {
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(0, 0)).toBe(0);
    expect(teamWarnings(2, 2)).toEqual([]);
    expect(teamWarnings(1, 0)).toEqual(['backbones_missing', 'reserves_missing']);
  });
});

describe('schemas', () => {
  const plan = {
    orgId: 1,
    title: '网格议事会',
    purpose: '讨论',
    categoryId: 1,
    venue: '青年之家',
    startsAt: '2026-12-05T09:00:00+08:00',
    endsAt: '2026-12-05T11:00:00+08:00',
    capacity: 30,
  };
  it('refuses a plan that ends before it starts, naming endsAt', () => {
    const r = PlanCreateSchema.safeParse({ ...plan, endsAt: '2026-12-05T08:00:00+08:00' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain('endsAt');
  });
  it('defaults budget and flags', () => {
    expect(PlanCreateSchema.parse(plan)).toMatchObject({ budgetFen: 0, gridIds: [], brandProject: false });
  });
  it('requires a reason for a suggestion not adopted', () => {
    expect(CommentReplySchema.safeParse({ reply: '谢谢', adopted: false }).success).toBe(false);
    expect(CommentReplySchema.safeParse({ reply: '谢谢', adopted: false, reason: '经费不足' }).success).toBe(true);
    expect(CommentReplySchema.safeParse({ reply: '采纳', adopted: true }).success).toBe(true);
  });
});
