import ExcelJS from 'exceljs';
import type { z } from 'zod';
import {
  BUDGET_MIN_FEN,
  checkBudget,
  checkWithdrawal,
  type DepositCreateSchema,
  type DonationCreateSchema,
  describeLimit,
  type FundAccountCreateSchema,
  type LedgerSummary,
  MULTIPLIER_MAX_PCT,
  MULTIPLIER_MIN_PCT,
  summarizeLedger,
  type TownBudget,
  TWIN_NET_MIN_PCT,
  type WithdrawalCreateSchema,
  type WithdrawalStatus,
} from '../../../domain/fund.ts';
import { escapeSpreadsheetText } from '../../../domain/ledger.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError, pgErrorOf } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { getMultiplierSource, getSpendSources } from './fund-hooks.ts';
import {
  accountExists,
  budgetsOf,
  decideWithdrawal as decideWithdrawalRow,
  type FundAccountRow,
  type FundEntryRow,
  findAccount,
  findEntry,
  findTown,
  findWithdrawal,
  getMultiplierPct,
  insertAccount,
  insertEntry,
  insertWithdrawal,
  type LedgerSums,
  listAccounts,
  listEntries,
  listTowns,
  listWithdrawals,
  lockAccount,
  saveBudget,
  saveMultiplierPct,
  sumsOf,
  type WithdrawalRow,
  withdrawalExists,
  withdrawalsByTown,
} from './funds.repository.ts';

/**
 * The multiplier of one account: the district policy, unless a registered multiplier source (the
 * rankings: the org's subsidy tier) sets one for the org and year (kept within 110–150).
 */
async function multiplierOf(ex: Executor, account: { districtId: number; orgId: number; year: number }) {
  const district = await getMultiplierPct(ex, account.districtId);
  const source = getMultiplierSource();
  if (!source) return district;
  const pct = await source.multiplierPct(ex, account.districtId, account.orgId, account.year);
  if (pct === null) return district;
  return Math.min(MULTIPLIER_MAX_PCT, Math.max(MULTIPLIER_MIN_PCT, pct));
}

/** Orgs that hold provident-fund accounts: villages, communities and two-new organisations. */
const ACCOUNT_ORG_KINDS = ['village_branch', 'community_branch', 'two_new_committee'];

function summaryOf(sums: LedgerSums, multiplierPct: number): LedgerSummary {
  return summarizeLedger(
    [
      { kind: 'deposit', amountFen: sums.deposit },
      { kind: 'donation', amountFen: sums.donation },
      { kind: 'withdrawal', amountFen: sums.withdrawal },
    ],
    multiplierPct,
  );
}

function toAccount(row: FundAccountRow, multiplierPct: number) {
  const { orgPath: _p, sums, ...rest } = row;
  return { ...rest, summary: summaryOf(sums, multiplierPct) };
}

function toEntry(row: FundEntryRow) {
  const { districtId: _d, accountId: _a, ...rest } = row;
  return rest;
}

function toWithdrawal(row: WithdrawalRow) {
  const { districtId: _d, orgPath: _p, ...rest } = row;
  return rest;
}

/** Managers (fund.manage: district and platform admins) see the whole district; others their subtree. */
async function loadAccount(database: Database, actor: Actor, id: number, ex: Executor = database.db) {
  const account = await findAccount(ex, actor.districtId, actor.scopePath, id);
  if (account) return account;
  if (await accountExists(database.db, id)) {
    await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'fund_account', entityId: id });
  }
  throw new AppError('FUND_ACCOUNT_NOT_FOUND');
}

async function accountDetail(ex: Executor, id: number) {
  const row = (await findAccount(ex, null, null, id))!;
  const pct = await multiplierOf(ex, row);
  return { ...toAccount(row, pct), entries: (await listEntries(ex, id)).map(toEntry) };
}

export async function getPolicy(database: Database, actor: Actor, requestedDistrict?: number) {
  requirePermission(actor, 'fund.read');
  const districtId = resolveDistrict(actor, requestedDistrict);
  return { districtId, multiplierPct: await getMultiplierPct(database.db, districtId) };
}

/** 提取倍数 the district's multiplier (1.1–1.5): district and platform admins only. */
export async function updatePolicy(
  database: Database,
  actor: Actor,
  input: { districtId?: number; multiplierPct: number },
) {
  requirePermission(actor, 'fund.manage');
  const districtId = resolveDistrict(actor, input.districtId);
  const before = await getMultiplierPct(database.db, districtId);
  return database.db.transaction(async (tx) => {
    await saveMultiplierPct(tx, districtId, input.multiplierPct);
    await recordAudit(tx, actor, {
      action: 'fund.policy',
      entity: 'fund_policy',
      entityId: districtId,
      districtId,
      before: { multiplierPct: before },
      after: { multiplierPct: input.multiplierPct },
    });
    return { districtId, multiplierPct: input.multiplierPct };
  });
}

export async function searchAccounts(
  database: Database,
  actor: Actor,
  query: { districtId?: number; year?: number; page: number; pageSize: number },
) {
  requirePermission(actor, 'fund.read');
  const districtId = resolveDistrict(actor, query.districtId);
  const { total, items } = await listAccounts(database.db, districtId, actor.scopePath, query);
  const out = [];
  for (const r of items) out.push(toAccount(r, await multiplierOf(database.db, r)));
  return { total, items: out, page: query.page, pageSize: query.pageSize };
}

export async function getAccount(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'fund.read');
  await loadAccount(database, actor, id);
  return accountDetail(database.db, id);
}

/** 开户 Opens the account of an org for a year. */
export async function createAccount(database: Database, actor: Actor, input: z.infer<typeof FundAccountCreateSchema>) {
  requirePermission(actor, 'fund.manage');
  const org = await loadOrgInScope(database, actor, input.orgId).catch((err) => {
    if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') {
      throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'orgId', message: 'ORG_NOT_FOUND' }] });
    }
    throw err;
  });
  if (!ACCOUNT_ORG_KINDS.includes(org.kind)) {
    throw new AppError('FUND_ORG_KIND', { errors: [{ field: 'orgId', message: 'FUND_ORG_KIND' }] });
  }
  return database.db
    .transaction(async (tx) => {
      const id = await insertAccount(tx, org.districtId, org.id, input.year);
      await recordAudit(tx, actor, {
        action: 'fund.account.create',
        entity: 'fund_account',
        entityId: id,
        districtId: org.districtId,
        after: { orgId: org.id, year: input.year },
      });
      return accountDetail(tx, id);
    })
    .catch((err) => {
      const pg = pgErrorOf(err);
      if (pg?.code === '23505' && pg.constraint === 'fund_accounts_org_year_uq') {
        throw new AppError('DUPLICATE_FUND_ACCOUNT', {
          errors: [{ field: 'year', message: 'DUPLICATE_FUND_ACCOUNT' }],
        });
      }
      throw err;
    });
}

/** Appends one income entry (deposit or donation) under the account's lock, audited in the same transaction. */
async function postIncome(
  database: Database,
  actor: Actor,
  accountId: number,
  entry: { kind: 'deposit' | 'donation'; amountFen: number; sourceType?: string; source?: string; memo?: string },
) {
  requirePermission(actor, 'fund.manage');
  const account = await loadAccount(database, actor, accountId);
  return database.db.transaction(async (tx) => {
    await lockAccount(tx, account.id);
    const id = await insertEntry(tx, {
      districtId: account.districtId,
      accountId: account.id,
      kind: entry.kind,
      amountFen: entry.amountFen,
      sourceType: entry.sourceType ?? null,
      source: entry.source ?? null,
      memo: entry.memo ?? null,
      createdBy: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: `fund.${entry.kind}`,
      entity: 'fund_entry',
      entityId: id,
      districtId: account.districtId,
      after: { accountId: account.id, ...entry },
    });
    return accountDetail(tx, account.id);
  });
}

/** 存入 a deposit (the year's contribution). */
export async function addDeposit(
  database: Database,
  actor: Actor,
  accountId: number,
  input: z.infer<typeof DepositCreateSchema>,
) {
  return postIncome(database, actor, accountId, { kind: 'deposit', ...input });
}

/** 捐赠 a donation or sponsorship, with its source. */
export async function addDonation(
  database: Database,
  actor: Actor,
  accountId: number,
  input: z.infer<typeof DonationCreateSchema>,
) {
  return postIncome(database, actor, accountId, { kind: 'donation', ...input });
}

/** 冲正 appends the opposite of an entry; an entry is reversed at most once, a reversal never. */
export async function reverseEntry(database: Database, actor: Actor, entryId: number, memo: string) {
  requirePermission(actor, 'fund.manage');
  const entry = await findEntry(database.db, actor.districtId, entryId);
  if (!entry) throw new AppError('FUND_ENTRY_NOT_FOUND');
  if (entry.reversesEntryId !== null) throw new AppError('ENTRY_NOT_REVERSIBLE');
  if (entry.reversedBy !== null) throw new AppError('ENTRY_ALREADY_REVERSED');
  return database.db
    .transaction(async (tx) => {
      await lockAccount(tx, entry.accountId);
      const id = await insertEntry(tx, {
        districtId: entry.districtId,
        accountId: entry.accountId,
        kind: entry.kind,
        amountFen: -entry.amountFen,
        memo,
        reversesEntryId: entry.id,
        createdBy: actor.accountId,
      });
      await recordAudit(tx, actor, {
        action: 'fund.reverse',
        entity: 'fund_entry',
        entityId: id,
        districtId: entry.districtId,
        after: { reverses: entry.id, kind: entry.kind, amountFen: -entry.amountFen, memo },
      });
      return accountDetail(tx, entry.accountId);
    })
    .catch((err) => {
      const pg = pgErrorOf(err);
      if (pg?.code === '23505' && pg.constraint === 'fund_entries_reverses_uq') {
        throw new AppError('ENTRY_ALREADY_REVERSED');
      }
      throw err;
    });
}

function limitError(summary: LedgerSummary, amountFen: number, lang: Actor['lang']): AppError | null {
  const check = checkWithdrawal(summary, amountFen);
  if (check.ok) return null;
  return new AppError('FUND_LIMIT_EXCEEDED', {
    detail: describeLimit(check, lang),
    errors: [{ field: 'amountFen', message: 'FUND_LIMIT_EXCEEDED' }],
  });
}

/** 提取申请 requests a withdrawal for an activity or order; refused at once when beyond the limit. */
export async function requestWithdrawal(
  database: Database,
  actor: Actor,
  accountId: number,
  input: z.infer<typeof WithdrawalCreateSchema>,
) {
  requirePermission(actor, 'fund.request');
  const account = await loadAccount(database, actor, accountId);
  const pct = await multiplierOf(database.db, account);
  const refused = limitError(summaryOf(account.sums, pct), input.amountFen, actor.lang);
  if (refused) throw refused;
  return database.db.transaction(async (tx) => {
    const id = await insertWithdrawal(tx, {
      districtId: account.districtId,
      accountId: account.id,
      amountFen: input.amountFen,
      purpose: input.purpose,
      reference: input.reference,
      twinNet: input.twinNet ?? false,
      requestedBy: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: 'fund.withdrawal.request',
      entity: 'fund_withdrawal',
      entityId: id,
      districtId: account.districtId,
      after: { accountId: account.id, ...input },
    });
    return toWithdrawal((await findWithdrawal(tx, null, null, id))!);
  });
}

export async function searchWithdrawals(
  database: Database,
  actor: Actor,
  query: { districtId?: number; status?: WithdrawalStatus; accountId?: number; page: number; pageSize: number },
) {
  requirePermission(actor, 'fund.read');
  const districtId = resolveDistrict(actor, query.districtId);
  const { total, items } = await listWithdrawals(database.db, districtId, actor.scopePath, query);
  return { total, items: items.map(toWithdrawal), page: query.page, pageSize: query.pageSize };
}

/**
 * 审批 Approves or rejects a requested withdrawal (district admins). Under the account's lock, the
 * request moves out of `requested` in one conditional UPDATE (of racing decisions exactly one
 * succeeds, the rest answer WITHDRAWAL_STATE), the limit is checked against the ledger as it is now,
 * and an approval posts exactly one negative entry (unique per request).
 */
export async function decideWithdrawal(
  database: Database,
  actor: Actor,
  id: number,
  decision: 'approved' | 'rejected',
  note: string | undefined,
) {
  requirePermission(actor, 'fund.manage');
  const current = await findWithdrawal(database.db, actor.districtId, actor.scopePath, id);
  if (!current) {
    if (await withdrawalExists(database.db, id)) {
      await recordAudit(database.db, actor, { action: 'scope.denied', entity: 'fund_withdrawal', entityId: id });
    }
    throw new AppError('WITHDRAWAL_NOT_FOUND');
  }
  return database.db.transaction(async (tx) => {
    await lockAccount(tx, current.accountId);
    if (!(await decideWithdrawalRow(tx, id, decision, actor.accountId, note ?? null))) {
      throw new AppError('WITHDRAWAL_STATE');
    }
    if (decision === 'approved') {
      const account = (await findAccount(tx, null, null, current.accountId))!;
      const pct = await multiplierOf(tx, account);
      const refused = limitError(summaryOf(await sumsOf(tx, current.accountId), pct), current.amountFen, actor.lang);
      if (refused) throw refused;
      await insertEntry(tx, {
        districtId: current.districtId,
        accountId: current.accountId,
        kind: 'withdrawal',
        amountFen: -current.amountFen,
        memo: current.purpose,
        withdrawalId: id,
        createdBy: actor.accountId,
      });
    }
    const after = toWithdrawal((await findWithdrawal(tx, null, null, id))!);
    await recordAudit(tx, actor, {
      action: decision === 'approved' ? 'fund.withdrawal.approve' : 'fund.withdrawal.reject',
      entity: 'fund_withdrawal',
      entityId: id,
      districtId: current.districtId,
      before: toWithdrawal(current),
      after,
    });
    return after;
  });
}

const STATEMENT_LABELS = {
  'zh-CN': {
    sheet: '年度对账单',
    title: (org: string, year: number) => `${org} ${year} 年度党群公积金对账单`,
    head: ['序号', '日期', '类型', '金额（元）', '来源', '说明', '冲正', '经办人'],
    kinds: { deposit: '存入', donation: '捐赠', withdrawal: '提取' },
    reversal: (id: number) => `冲正第 ${id} 笔`,
    summary: ['存入合计', '捐赠合计', '提取合计', '余额', '提取倍数', '可提取上限', '剩余额度'],
  },
  en: {
    sheet: 'Statement',
    title: (org: string, year: number) => `${org} — provident fund statement ${year}`,
    head: ['No.', 'Date', 'Kind', 'Amount (CNY)', 'Source', 'Memo', 'Reversal', 'By'],
    kinds: { deposit: 'Deposit', donation: 'Donation', withdrawal: 'Withdrawal' },
    reversal: (id: number) => `reverses #${id}`,
    summary: ['Deposits', 'Donations', 'Withdrawn', 'Balance', 'Multiplier', 'Limit', 'Remaining'],
  },
} as const;

/** 年度对账单 the account's year-end statement as .xlsx: every entry, then the totals (amounts in yuan). */
export async function statementWorkbook(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'fund.read');
  await loadAccount(database, actor, id);
  const detail = await accountDetail(database.db, id);
  const l = STATEMENT_LABELS[actor.lang];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(l.sheet);
  sheet.addRow([escapeSpreadsheetText(l.title(detail.orgName, detail.year))]).font = { bold: true, size: 14 };
  sheet.addRow([...l.head]).font = { bold: true };
  const yuan = (fen: number) => fen / 100;
  for (const e of detail.entries) {
    sheet.addRow([
      e.id,
      e.createdAt.slice(0, 10),
      l.kinds[e.kind],
      yuan(e.amountFen),
      escapeSpreadsheetText(e.source ?? ''),
      escapeSpreadsheetText(e.memo ?? ''),
      e.reversesEntryId === null ? '' : l.reversal(e.reversesEntryId),
      escapeSpreadsheetText(e.createdBy.name),
    ]);
  }
  sheet.addRow([]);
  const s = detail.summary;
  const totals: [string, number | string][] = [
    [l.summary[0], yuan(s.depositsFen)],
    [l.summary[1], yuan(s.donationsFen)],
    [l.summary[2], yuan(s.withdrawnFen)],
    [l.summary[3], yuan(s.balanceFen)],
    [l.summary[4], `${s.multiplierPct / 100}×`],
    [l.summary[5], yuan(s.limitFen)],
    [l.summary[6], yuan(s.remainingFen)],
  ];
  for (const [label, value] of totals) sheet.addRow([label, value]).font = { bold: true };
  sheet.getColumn(4).numFmt = '#,##0.00';
  sheet.getColumn(2).numFmt = '#,##0.00';
  for (const [i, width] of [8, 12, 10, 14, 24, 30, 14, 12].entries()) sheet.getColumn(i + 1).width = width;
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  return {
    buffer,
    fileName: actor.lang === 'en' ? `fund-${detail.year}-${id}.xlsx` : `公积金对账单-${detail.year}-${id}.xlsx`,
  };
}

// Budget rules ---------------------------------------------------------------------------------

/**
 * 预算规则 per town of the district (under `scopePath`) and year: the declared League budget and the
 * League spending — posted fund withdrawals of the year's accounts under the town plus every registered
 * spend source (activities) — with the ≥ ¥20,000 and ≥ 50% twin-net checks. Used by the budget page and
 * by the rankings (metric `budget_compliance`).
 */
export async function computeTownBudgets(
  ex: Executor,
  districtId: number,
  year: number,
  scopePath: string | null,
): Promise<{ sources: string[]; items: TownBudget[] }> {
  const towns = await listTowns(ex, districtId, scopePath);
  const [budgets, withdrawals] = await Promise.all([
    budgetsOf(ex, districtId, year),
    withdrawalsByTown(ex, districtId, year, towns),
  ]);
  const sources = getSpendSources();
  const extra = await Promise.all(sources.map((s) => s.spendByTown(ex, districtId, year, towns)));
  const items = towns.map((t) => {
    const w = withdrawals.get(t.id) ?? { totalFen: 0, twinNetFen: 0 };
    let activitySpendFen = 0;
    let twinNetActivityFen = 0;
    for (const m of extra) {
      const v = m.get(t.id);
      if (v) {
        activitySpendFen += v.totalFen;
        twinNetActivityFen += v.twinNetFen;
      }
    }
    const budgetFen = budgets.get(t.id) ?? null;
    const spentFen = w.totalFen + activitySpendFen;
    const twinNetFen = w.twinNetFen + twinNetActivityFen;
    return {
      orgId: t.id,
      orgName: t.name,
      year,
      budgetFen,
      withdrawalsFen: w.totalFen,
      twinNetWithdrawalsFen: w.twinNetFen,
      activitySpendFen,
      twinNetActivityFen,
      spentFen,
      twinNetFen,
      ...checkBudget({ budgetFen, spentFen, twinNetFen }),
    };
  });
  return { sources: ['fund_withdrawals', ...sources.map((s) => s.key)], items };
}

export async function getBudgets(database: Database, actor: Actor, query: { districtId?: number; year: number }) {
  requirePermission(actor, 'fund.read');
  const districtId = resolveDistrict(actor, query.districtId);
  const report = await computeTownBudgets(database.db, districtId, query.year, actor.scopePath);
  return { year: query.year, minBudgetFen: BUDGET_MIN_FEN, minTwinNetPct: TWIN_NET_MIN_PCT, ...report };
}

/** 预算 declares a town's League budget for a year (district admins). */
export async function setBudget(
  database: Database,
  actor: Actor,
  input: { districtId?: number; orgId: number; year: number; budgetFen: number },
) {
  requirePermission(actor, 'fund.manage');
  const districtId = resolveDistrict(actor, input.districtId);
  const town = await findTown(database.db, districtId, actor.scopePath, input.orgId);
  if (!town) throw new AppError('ORG_NOT_FOUND', { errors: [{ field: 'orgId', message: 'ORG_NOT_FOUND' }] });
  return database.db.transaction(async (tx) => {
    const before = await saveBudget(tx, {
      districtId,
      orgId: town.id,
      year: input.year,
      budgetFen: input.budgetFen,
      updatedBy: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: 'fund.budget',
      entity: 'town_budget',
      entityId: town.id,
      districtId,
      before: before === null ? undefined : { year: input.year, budgetFen: before },
      after: { year: input.year, budgetFen: input.budgetFen },
    });
    const report = await computeTownBudgets(tx, districtId, input.year, town.path);
    return report.items.find((i) => i.orgId === town.id)!;
  });
}
