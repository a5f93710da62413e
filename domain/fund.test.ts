import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkWithdrawal,
  DepositCreateSchema,
  describeLimit,
  formatYuan,
  type LedgerEntry,
  summarizeLedger,
} from './fund.ts';

describe('provident-fund ledger', () => {
  it('limits withdrawals to deposits × multiplier, donations aside', () => {
    const s = summarizeLedger(
      [
        { kind: 'deposit', amountFen: 1_000_000 },
        { kind: 'donation', amountFen: 50_000 },
        { kind: 'withdrawal', amountFen: -300_000 },
      ],
      130,
    );
    expect(s).toMatchObject({
      balanceFen: 750_000,
      limitFen: 1_300_000,
      withdrawnFen: 300_000,
      remainingFen: 1_000_000,
    });
    expect(checkWithdrawal(s, 1_000_000)).toEqual({ ok: true });
    const refused = checkWithdrawal(s, 1_000_001);
    expect(refused).toMatchObject({ ok: false, remainingFen: 1_000_000, requestedFen: 1_000_001 });
    if (!refused.ok) {
      expect(describeLimit(refused, 'zh-CN')).toBe(
        '申请 ¥10,000.01，可提取上限 ¥13,000.00，已提取 ¥3,000.00，剩余额度 ¥10,000.00',
      );
    }
  });

  it('formats fen as yuan and refuses fractional or negative fen', () => {
    expect(formatYuan(123456)).toBe('¥1,234.56');
    expect(formatYuan(-5)).toBe('-¥0.05');
    for (const amountFen of [12.5, -1, 0]) {
      const r = DepositCreateSchema.safeParse({ amountFen });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0].path).toEqual(['amountFen']);
    }
  });

  /** A random sequence of operations applied the way the service does: withdrawals pass the gate first. */
  const op = fc.oneof(
    fc.record({ kind: fc.constant('deposit' as const), amountFen: fc.integer({ min: 1, max: 10_000_000 }) }),
    fc.record({ kind: fc.constant('donation' as const), amountFen: fc.integer({ min: 1, max: 10_000_000 }) }),
    fc.record({ kind: fc.constant('withdrawal' as const), amountFen: fc.integer({ min: 1, max: 20_000_000 }) }),
    fc.record({ kind: fc.constant('reverse' as const), index: fc.nat() }),
  );

  it('balance = sum of entries, and the limit is never exceeded (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: 110, max: 150 }), (ops, pct) => {
        const entries: (LedgerEntry & { reversed?: boolean; reversal?: boolean })[] = [];
        for (const o of ops) {
          if (o.kind === 'withdrawal') {
            if (checkWithdrawal(summarizeLedger(entries, pct), o.amountFen).ok) {
              entries.push({ kind: 'withdrawal', amountFen: -o.amountFen });
            }
          } else if (o.kind === 'reverse') {
            // Only withdrawals are reversed here: reversing a deposit may lower the limit below what was
            // already (rightly) withdrawn, which the service allows as a correction.
            const open = entries.filter((e) => e.kind === 'withdrawal' && !e.reversed && !e.reversal);
            if (!open.length) continue;
            const target = open[o.index % open.length];
            target.reversed = true;
            entries.push({ kind: target.kind, amountFen: -target.amountFen, reversal: true });
          } else {
            entries.push({ kind: o.kind, amountFen: o.amountFen });
          }
          const s = summarizeLedger(entries, pct);
          expect(s.balanceFen).toBe(entries.reduce((sum, e) => sum + e.amountFen, 0));
          expect(s.withdrawnFen).toBeLessThanOrEqual(s.limitFen);
          expect(s.remainingFen).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(s.limitFen)).toBe(true);
        }
      }),
    );
  });
});

import { checkBudget } from './fund.ts';

describe('budget rules', () => {
  it('needs a declared budget ≥ ¥20,000 and twin-net ≥ 50% of the spending, exactly at the boundary', () => {
    expect(checkBudget({ budgetFen: 2_000_000, spentFen: 1000, twinNetFen: 500 })).toEqual({
      budgetOk: true,
      twinNetSharePct: 50,
      shareOk: true,
      compliant: true,
    });
    expect(checkBudget({ budgetFen: 1_999_999, spentFen: 1000, twinNetFen: 500 }).compliant).toBe(false);
    expect(checkBudget({ budgetFen: null, spentFen: 1000, twinNetFen: 1000 }).budgetOk).toBe(false);
    expect(checkBudget({ budgetFen: 2_000_000, spentFen: 1001, twinNetFen: 500 }).shareOk).toBe(false);
    expect(checkBudget({ budgetFen: 2_000_000, spentFen: 0, twinNetFen: 0 })).toMatchObject({
      twinNetSharePct: null,
      shareOk: false,
    });
  });
});
