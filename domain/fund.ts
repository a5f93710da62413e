import { z } from 'zod';

/** Ledger entry kinds: money in (deposit, donation) and money out (withdrawal). */
export const FUND_ENTRY_KINDS = ['deposit', 'donation', 'withdrawal'] as const;
export type FundEntryKind = (typeof FUND_ENTRY_KINDS)[number];

/** 捐赠来源 爱心义卖 charity sale, 社会捐赠 public donation, 企业冠名 corporate sponsorship. */
export const DONATION_SOURCES = ['charity_sale', 'public_donation', 'sponsorship'] as const;

export const WITHDRAWAL_STATUSES = ['requested', 'approved', 'rejected'] as const;
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

/** The district multiplier of the withdrawal limit, in percent: 1.1 to 1.5 times the deposits. */
export const MULTIPLIER_MIN_PCT = 110;
export const MULTIPLIER_MAX_PCT = 150;
export const DEFAULT_MULTIPLIER_PCT = 120;

/** Largest single amount we take: ¥1,000,000,000.00 (integer fen stays far inside 2^53). */
export const MAX_FEN = 100_000_000_000;

/** An amount of money in integer fen (分): positive, whole. */
export const FenSchema = z.number().int().positive().max(MAX_FEN);

export type LedgerEntry = { kind: FundEntryKind; amountFen: number };

export type LedgerSummary = {
  /** Σ of every entry (deposits + donations − withdrawals) */
  balanceFen: number;
  depositsFen: number;
  donationsFen: number;
  withdrawnFen: number;
  /** ⌊deposits × multiplier⌋ */
  limitFen: number;
  /** limit − withdrawn (never below 0 once the rule has been kept) */
  remainingFen: number;
  multiplierPct: number;
};

/**
 * 账户汇总 Sums a ledger: the balance is the sum of all entries; the withdrawal limit is the year's net
 * deposits × the district multiplier (reversals net out of their own kind).
 */
export function summarizeLedger(entries: readonly LedgerEntry[], multiplierPct: number): LedgerSummary {
  let deposits = 0;
  let donations = 0;
  let withdrawals = 0;
  for (const e of entries) {
    if (e.kind === 'deposit') deposits += e.amountFen;
    else if (e.kind === 'donation') donations += e.amountFen;
    else withdrawals += e.amountFen;
  }
  const limitFen = Math.floor((deposits * multiplierPct) / 100);
  const withdrawnFen = -withdrawals;
  return {
    balanceFen: deposits + donations + withdrawals,
    depositsFen: deposits,
    donationsFen: donations,
    withdrawnFen,
    limitFen,
    remainingFen: limitFen - withdrawnFen,
    multiplierPct,
  };
}

/** Whether a withdrawal of `amountFen` keeps within the limit; the numbers for the refusal otherwise. */
export function checkWithdrawal(
  summary: LedgerSummary,
  amountFen: number,
): { ok: true } | { ok: false; limitFen: number; withdrawnFen: number; remainingFen: number; requestedFen: number } {
  if (amountFen <= summary.remainingFen) return { ok: true };
  return {
    ok: false,
    limitFen: summary.limitFen,
    withdrawnFen: summary.withdrawnFen,
    remainingFen: Math.max(0, summary.remainingFen),
    requestedFen: amountFen,
  };
}

/** ¥1,234.56 from 123456 fen. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}

/** The numbers of a refused withdrawal, in the user's language (the problem's `detail`). */
export function describeLimit(
  v: { limitFen: number; withdrawnFen: number; remainingFen: number; requestedFen: number },
  lang: 'zh-CN' | 'en',
): string {
  const [l, w, r, q] = [v.limitFen, v.withdrawnFen, v.remainingFen, v.requestedFen].map(formatYuan);
  return lang === 'zh-CN'
    ? `申请 ${q}，可提取上限 ${l}，已提取 ${w}，剩余额度 ${r}`
    : `Requested ${q}; limit ${l}, withdrawn ${w}, remaining ${r}`;
}

// ---------------------------------------------------------------------------------------------
// API contract
// ---------------------------------------------------------------------------------------------

const Text = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .regex(/^[^\p{Cc}]*$/u);

export const FundPolicySchema = z.object({ districtId: z.number().int(), multiplierPct: z.number().int() });
export const FundPolicyUpdateSchema = z
  .object({
    districtId: z.number().int().positive().optional(),
    /** 提取倍数 in percent: 110 = 1.1× the deposits, 150 = 1.5× */
    multiplierPct: z.number().int().min(MULTIPLIER_MIN_PCT).max(MULTIPLIER_MAX_PCT),
  })
  .strict();

export const FundAccountCreateSchema = z
  .object({
    /** the village/community branch or two-new org that holds the account */
    orgId: z.number().int().positive(),
    year: z.number().int().min(2000).max(2100),
  })
  .strict();

const SummarySchema = z.object({
  balanceFen: z.number().int(),
  depositsFen: z.number().int(),
  donationsFen: z.number().int(),
  withdrawnFen: z.number().int(),
  limitFen: z.number().int(),
  remainingFen: z.number().int(),
  multiplierPct: z.number().int(),
});

export const FundAccountSchema = z.object({
  id: z.number().int(),
  districtId: z.number().int(),
  orgId: z.number().int(),
  orgName: z.string(),
  year: z.number().int(),
  summary: SummarySchema,
  createdAt: z.string(),
});

export const FundAccountListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const FundAccountListSchema = z.object({
  items: z.array(FundAccountSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const FundEntrySchema = z.object({
  id: z.number().int(),
  kind: z.enum(FUND_ENTRY_KINDS),
  amountFen: z.number().int(),
  sourceType: z.enum(DONATION_SOURCES).nullable(),
  source: z.string().nullable(),
  memo: z.string().nullable(),
  withdrawalId: z.number().int().nullable(),
  reversesEntryId: z.number().int().nullable(),
  reversedBy: z.number().int().nullable(),
  createdBy: z.object({ id: z.number().int(), name: z.string() }),
  createdAt: z.string(),
});

export const FundAccountDetailSchema = FundAccountSchema.extend({ entries: z.array(FundEntrySchema) });

export const DepositCreateSchema = z.object({ amountFen: FenSchema, memo: Text(200).optional() }).strict();

export const DonationCreateSchema = z
  .object({
    amountFen: FenSchema,
    sourceType: z.enum(DONATION_SOURCES),
    /** who gave (a company, an event …) */
    source: Text(200).min(1),
    memo: Text(200).optional(),
  })
  .strict();

export const ReversalCreateSchema = z.object({ memo: Text(200).min(1) }).strict();

export const WithdrawalCreateSchema = z
  .object({
    amountFen: FenSchema,
    purpose: Text(200).min(1),
    /** 活动或订单 the activity or order the money is for */
    reference: Text(200).min(1),
    /** spent on a twin-net (双网互动) activity or project (the town's ≥ 50% rule) */
    twinNet: z.boolean().optional(),
  })
  .strict();

export const WithdrawalDecisionSchema = z
  .object({ note: Text(200).optional() })
  .strict()
  .optional();

export const WithdrawalSchema = z.object({
  id: z.number().int(),
  accountId: z.number().int(),
  orgName: z.string(),
  year: z.number().int(),
  amountFen: z.number().int(),
  purpose: z.string(),
  reference: z.string(),
  twinNet: z.boolean(),
  status: z.enum(WITHDRAWAL_STATUSES),
  requestedBy: z.object({ id: z.number().int(), name: z.string() }),
  decidedBy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  /** the ledger entry that posted it (approved only) */
  entryId: z.number().int().nullable(),
  createdAt: z.string(),
});

export const WithdrawalListQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    status: z.enum(WITHDRAWAL_STATUSES).optional(),
    accountId: z.coerce.number().int().positive().optional(),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();

export const WithdrawalListSchema = z.object({
  items: z.array(WithdrawalSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

// ---------------------------------------------------------------------------------------------
// Budget rules of the seeds (per town per year)
// ---------------------------------------------------------------------------------------------

/** A town's annual League budget must be at least ¥20,000. */
export const BUDGET_MIN_FEN = 2_000_000;
/** At least half of the town's League spending goes to twin-net activities and projects. */
export const TWIN_NET_MIN_PCT = 50;

export type BudgetCheck = {
  budgetOk: boolean;
  /** twin-net spending ÷ all League spending, in percent with one decimal; null when nothing was spent */
  twinNetSharePct: number | null;
  shareOk: boolean;
  compliant: boolean;
};

/**
 * 预算规则 The two checks of a town-year: the declared budget ≥ ¥20,000 (no budget declared fails), and
 * twin-net spending ≥ 50% of the League spending (fund withdrawals + activity spend; nothing spent fails).
 */
export function checkBudget(v: { budgetFen: number | null; spentFen: number; twinNetFen: number }): BudgetCheck {
  const budgetOk = v.budgetFen !== null && v.budgetFen >= BUDGET_MIN_FEN;
  const twinNetSharePct = v.spentFen > 0 ? Math.round((v.twinNetFen / v.spentFen) * 1000) / 10 : null;
  // Compare in integers: twin × 100 ≥ spent × 50, no rounding at the boundary.
  const shareOk = v.spentFen > 0 && v.twinNetFen * 100 >= v.spentFen * TWIN_NET_MIN_PCT;
  return { budgetOk, twinNetSharePct, shareOk, compliant: budgetOk && shareOk };
}

export const TownBudgetUpdateSchema = z
  .object({
    districtId: z.number().int().positive().optional(),
    /** the town (镇/街道团委) */
    orgId: z.number().int().positive(),
    year: z.number().int().min(2000).max(2100),
    budgetFen: z.number().int().min(0).max(MAX_FEN),
  })
  .strict();

export const BudgetQuerySchema = z
  .object({
    districtId: z.coerce.number().int().positive().optional(),
    year: z.coerce.number().int().min(2000).max(2100),
  })
  .strict();

export const TownBudgetSchema = z.object({
  orgId: z.number().int(),
  orgName: z.string(),
  year: z.number().int(),
  /** declared budget; null when none was entered */
  budgetFen: z.number().int().nullable(),
  withdrawalsFen: z.number().int(),
  twinNetWithdrawalsFen: z.number().int(),
  activitySpendFen: z.number().int(),
  twinNetActivityFen: z.number().int(),
  spentFen: z.number().int(),
  twinNetFen: z.number().int(),
  twinNetSharePct: z.number().nullable(),
  budgetOk: z.boolean(),
  shareOk: z.boolean(),
  compliant: z.boolean(),
});
export type TownBudget = z.infer<typeof TownBudgetSchema>;

export const BudgetReportSchema = z.object({
  year: z.number().int(),
  minBudgetFen: z.number().int(),
  minTwinNetPct: z.number().int(),
  /** the spend sources that contributed (fund withdrawals always; activities once registered) */
  sources: z.array(z.string()),
  items: z.array(TownBudgetSchema),
});
