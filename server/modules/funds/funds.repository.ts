import { type SQL, sql } from 'drizzle-orm';
import { DEFAULT_MULTIPLIER_PCT, type FundEntryKind, type WithdrawalStatus } from '../../../domain/fund.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, isoOrNull, many, one } from '../../db/sql.ts';

// Policy ---------------------------------------------------------------------------------------

export async function getMultiplierPct(ex: Executor, districtId: number): Promise<number> {
  const r = await one<{ pct: number }>(
    ex,
    sql`SELECT multiplier_pct AS pct FROM fund_policies WHERE district_id = ${districtId}`,
  );
  return r?.pct ?? DEFAULT_MULTIPLIER_PCT;
}

export async function saveMultiplierPct(ex: Executor, districtId: number, pct: number) {
  await ex.execute(sql`INSERT INTO fund_policies (district_id, multiplier_pct) VALUES (${districtId}, ${pct})
    ON CONFLICT (district_id) DO UPDATE SET multiplier_pct = excluded.multiplier_pct, updated_at = now()`);
}

// Accounts -------------------------------------------------------------------------------------

/** Net sums per kind of an account's ledger (reversals count in their own kind). */
export type LedgerSums = { deposit: number; donation: number; withdrawal: number };

export type FundAccountRow = {
  id: number;
  districtId: number;
  orgId: number;
  orgName: string;
  orgPath: string;
  year: number;
  sums: LedgerSums;
  createdAt: string;
};

const SELECT_ACCOUNTS = sql`
  SELECT a.id, a.district_id, a.org_id, o.name AS org_name, o.path AS org_path, a.year, a.created_at,
         coalesce(s.deposit, 0)::float8 AS deposit, coalesce(s.donation, 0)::float8 AS donation,
         coalesce(s.withdrawal, 0)::float8 AS withdrawal
  FROM fund_accounts a
  JOIN orgs o ON o.id = a.org_id
  LEFT JOIN LATERAL (
    SELECT sum(e.amount_fen) FILTER (WHERE e.kind = 'deposit') AS deposit,
           sum(e.amount_fen) FILTER (WHERE e.kind = 'donation') AS donation,
           sum(e.amount_fen) FILTER (WHERE e.kind = 'withdrawal') AS withdrawal
    FROM fund_entries e WHERE e.account_id = a.id) s ON TRUE`;

function toAccountRow(r: any): FundAccountRow {
  return {
    id: r.id,
    districtId: r.district_id,
    orgId: r.org_id,
    orgName: r.org_name,
    orgPath: r.org_path,
    year: r.year,
    sums: { deposit: Number(r.deposit), donation: Number(r.donation), withdrawal: Number(r.withdrawal) },
    createdAt: iso(r.created_at),
  };
}

/** An account of the district (null: any) whose org lies under `scopePath` (null: anywhere). */
export async function findAccount(
  ex: Executor,
  districtId: number | null,
  scopePath: string | null,
  id: number,
): Promise<FundAccountRow | undefined> {
  const conds: SQL[] = [sql`a.id = ${id}`];
  if (districtId !== null) conds.push(sql`a.district_id = ${districtId}`);
  if (scopePath !== null) conds.push(sql`o.path LIKE ${`${scopePath}%`}`);
  const r = await one(ex, sql`${SELECT_ACCOUNTS} WHERE ${sql.join(conds, sql` AND `)}`);
  return r ? toAccountRow(r) : undefined;
}

export async function accountExists(ex: Executor, id: number): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 FROM fund_accounts WHERE id = ${id}`));
}

export async function listAccounts(
  ex: Executor,
  districtId: number,
  scopePath: string | null,
  f: { year?: number; page: number; pageSize: number },
) {
  const conds: SQL[] = [sql`a.district_id = ${districtId}`];
  if (scopePath !== null) conds.push(sql`o.path LIKE ${`${scopePath}%`}`);
  if (f.year) conds.push(sql`a.year = ${f.year}`);
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM fund_accounts a JOIN orgs o ON o.id = a.org_id WHERE ${where}`,
  );
  const rows = await many(
    ex,
    sql`${SELECT_ACCOUNTS} WHERE ${where} ORDER BY a.year DESC, o.path
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, items: rows.map(toAccountRow) };
}

export async function insertAccount(ex: Executor, districtId: number, orgId: number, year: number): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO fund_accounts (district_id, org_id, year) VALUES (${districtId}, ${orgId}, ${year}) RETURNING id`,
  );
  return r!.id;
}

/** Locks the account for the rest of the transaction: postings to one account are serialised. */
export async function lockAccount(ex: Executor, id: number): Promise<void> {
  await ex.execute(sql`SELECT id FROM fund_accounts WHERE id = ${id} FOR UPDATE`);
}

// Entries --------------------------------------------------------------------------------------

export type FundEntryRow = {
  id: number;
  districtId: number;
  accountId: number;
  kind: FundEntryKind;
  amountFen: number;
  sourceType: 'charity_sale' | 'public_donation' | 'sponsorship' | null;
  source: string | null;
  memo: string | null;
  withdrawalId: number | null;
  reversesEntryId: number | null;
  reversedBy: number | null;
  createdBy: { id: number; name: string };
  createdAt: string;
};

const SELECT_ENTRIES = sql`
  SELECT e.id, e.district_id, e.account_id, e.kind, e.amount_fen::float8 AS amount_fen, e.source_type, e.source, e.memo,
         e.withdrawal_id, e.reverses_entry_id, (SELECT r.id FROM fund_entries r WHERE r.reverses_entry_id = e.id) AS reversed_by,
         e.created_by, ac.display_name AS created_by_name, e.created_at
  FROM fund_entries e JOIN accounts ac ON ac.id = e.created_by`;

function toEntryRow(r: any): FundEntryRow {
  return {
    id: r.id,
    districtId: r.district_id,
    accountId: r.account_id,
    kind: r.kind,
    amountFen: Number(r.amount_fen),
    sourceType: r.source_type,
    source: r.source,
    memo: r.memo,
    withdrawalId: r.withdrawal_id,
    reversesEntryId: r.reverses_entry_id,
    reversedBy: r.reversed_by,
    createdBy: { id: r.created_by, name: r.created_by_name },
    createdAt: iso(r.created_at),
  };
}

export async function listEntries(ex: Executor, accountId: number): Promise<FundEntryRow[]> {
  return (await many(ex, sql`${SELECT_ENTRIES} WHERE e.account_id = ${accountId} ORDER BY e.id`)).map(toEntryRow);
}

export async function findEntry(ex: Executor, districtId: number | null, id: number) {
  const district = districtId === null ? sql`TRUE` : sql`e.district_id = ${districtId}`;
  const r = await one(ex, sql`${SELECT_ENTRIES} WHERE e.id = ${id} AND ${district}`);
  return r ? toEntryRow(r) : undefined;
}

/** The net sums of one account, read inside the caller's transaction. */
export async function sumsOf(ex: Executor, accountId: number): Promise<LedgerSums> {
  const r = await one<any>(
    ex,
    sql`SELECT coalesce(sum(amount_fen) FILTER (WHERE kind = 'deposit'), 0)::float8 AS deposit,
               coalesce(sum(amount_fen) FILTER (WHERE kind = 'donation'), 0)::float8 AS donation,
               coalesce(sum(amount_fen) FILTER (WHERE kind = 'withdrawal'), 0)::float8 AS withdrawal
        FROM fund_entries WHERE account_id = ${accountId}`,
  );
  return { deposit: Number(r.deposit), donation: Number(r.donation), withdrawal: Number(r.withdrawal) };
}

export type EntryInsert = {
  districtId: number;
  accountId: number;
  kind: FundEntryKind;
  amountFen: number;
  sourceType?: string | null;
  source?: string | null;
  memo?: string | null;
  withdrawalId?: number | null;
  reversesEntryId?: number | null;
  createdBy: number;
};

export async function insertEntry(ex: Executor, e: EntryInsert): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO fund_entries (district_id, account_id, kind, amount_fen, source_type, source, memo, withdrawal_id,
                                  reverses_entry_id, created_by)
        VALUES (${e.districtId}, ${e.accountId}, ${e.kind}, ${e.amountFen}, ${e.sourceType ?? null}, ${e.source ?? null},
                ${e.memo ?? null}, ${e.withdrawalId ?? null}, ${e.reversesEntryId ?? null}, ${e.createdBy})
        RETURNING id`,
  );
  return r!.id;
}

// Withdrawals ----------------------------------------------------------------------------------

export type WithdrawalRow = {
  id: number;
  districtId: number;
  accountId: number;
  orgName: string;
  orgPath: string;
  year: number;
  amountFen: number;
  purpose: string;
  reference: string;
  twinNet: boolean;
  status: WithdrawalStatus;
  requestedBy: { id: number; name: string };
  decidedBy: { id: number; name: string } | null;
  decidedAt: string | null;
  decisionNote: string | null;
  entryId: number | null;
  createdAt: string;
};

const SELECT_WITHDRAWALS = sql`
  SELECT w.id, w.district_id, w.account_id, o.name AS org_name, o.path AS org_path, a.year, w.amount_fen::float8 AS amount_fen,
         w.purpose, w.reference, w.twin_net, w.status, w.requested_by, ra.display_name AS requested_by_name, w.decided_by,
         da.display_name AS decided_by_name, w.decided_at, w.decision_note, w.created_at,
         (SELECT e.id FROM fund_entries e WHERE e.withdrawal_id = w.id) AS entry_id
  FROM fund_withdrawals w
  JOIN fund_accounts a ON a.id = w.account_id
  JOIN orgs o ON o.id = a.org_id
  JOIN accounts ra ON ra.id = w.requested_by
  LEFT JOIN accounts da ON da.id = w.decided_by`;

function toWithdrawalRow(r: any): WithdrawalRow {
  return {
    id: r.id,
    districtId: r.district_id,
    accountId: r.account_id,
    orgName: r.org_name,
    orgPath: r.org_path,
    year: r.year,
    amountFen: Number(r.amount_fen),
    purpose: r.purpose,
    reference: r.reference,
    twinNet: r.twin_net,
    status: r.status,
    requestedBy: { id: r.requested_by, name: r.requested_by_name },
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.decided_by_name } : null,
    decidedAt: isoOrNull(r.decided_at),
    decisionNote: r.decision_note,
    entryId: r.entry_id,
    createdAt: iso(r.created_at),
  };
}

export async function findWithdrawal(
  ex: Executor,
  districtId: number | null,
  scopePath: string | null,
  id: number,
): Promise<WithdrawalRow | undefined> {
  const conds: SQL[] = [sql`w.id = ${id}`];
  if (districtId !== null) conds.push(sql`w.district_id = ${districtId}`);
  if (scopePath !== null) conds.push(sql`o.path LIKE ${`${scopePath}%`}`);
  const r = await one(ex, sql`${SELECT_WITHDRAWALS} WHERE ${sql.join(conds, sql` AND `)}`);
  return r ? toWithdrawalRow(r) : undefined;
}

export async function withdrawalExists(ex: Executor, id: number): Promise<boolean> {
  return !!(await one(ex, sql`SELECT 1 FROM fund_withdrawals WHERE id = ${id}`));
}

export async function listWithdrawals(
  ex: Executor,
  districtId: number,
  scopePath: string | null,
  f: { status?: WithdrawalStatus; accountId?: number; page: number; pageSize: number },
) {
  const conds: SQL[] = [sql`w.district_id = ${districtId}`];
  if (scopePath !== null) conds.push(sql`o.path LIKE ${`${scopePath}%`}`);
  if (f.status) conds.push(sql`w.status = ${f.status}`);
  if (f.accountId) conds.push(sql`w.account_id = ${f.accountId}`);
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM fund_withdrawals w JOIN fund_accounts a ON a.id = w.account_id
        JOIN orgs o ON o.id = a.org_id WHERE ${where}`,
  );
  const rows = await many(
    ex,
    sql`${SELECT_WITHDRAWALS} WHERE ${where} ORDER BY w.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, items: rows.map(toWithdrawalRow) };
}

export async function insertWithdrawal(
  ex: Executor,
  w: {
    districtId: number;
    accountId: number;
    amountFen: number;
    purpose: string;
    reference: string;
    twinNet: boolean;
    requestedBy: number;
  },
): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO fund_withdrawals (district_id, account_id, amount_fen, purpose, reference, twin_net, requested_by)
        VALUES (${w.districtId}, ${w.accountId}, ${w.amountFen}, ${w.purpose}, ${w.reference}, ${w.twinNet}, ${w.requestedBy})
        RETURNING id`,
  );
  return r!.id;
}

/** Decides a still-requested withdrawal in one conditional UPDATE; false when another decision came first. */
export async function decideWithdrawal(
  ex: Executor,
  id: number,
  status: 'approved' | 'rejected',
  accountId: number,
  note: string | null,
): Promise<boolean> {
  const r = await one(
    ex,
    sql`UPDATE fund_withdrawals SET status = ${status}, decided_by = ${accountId}, decided_at = now(), decision_note = ${note}
        WHERE id = ${id} AND status = 'requested' RETURNING id`,
  );
  return !!r;
}

// Budget rules ---------------------------------------------------------------------------------

/** Towns (town and development-zone committees) of the district under `scopePath` (null: all). */
export async function listTowns(ex: Executor, districtId: number, scopePath: string | null) {
  const scope = scopePath === null ? sql`TRUE` : sql`o.path LIKE ${`${scopePath}%`}`;
  return many<{ id: number; name: string; path: string }>(
    ex,
    sql`SELECT o.id, o.name, o.path FROM orgs o
        WHERE o.district_id = ${districtId} AND o.active AND o.kind IN ('town_committee', 'devzone_committee') AND ${scope}
        ORDER BY o.path`,
  );
}

export async function findTown(ex: Executor, districtId: number, scopePath: string | null, id: number) {
  return (await listTowns(ex, districtId, scopePath)).find((t) => t.id === id);
}

export async function budgetsOf(ex: Executor, districtId: number, year: number): Promise<Map<number, number>> {
  const rows = await many<{ org_id: number; budget_fen: number }>(
    ex,
    sql`SELECT org_id, budget_fen::float8 AS budget_fen FROM town_budgets WHERE district_id = ${districtId} AND year = ${year}`,
  );
  return new Map(rows.map((r) => [r.org_id, Number(r.budget_fen)]));
}

export async function saveBudget(
  ex: Executor,
  b: { districtId: number; orgId: number; year: number; budgetFen: number; updatedBy: number },
): Promise<number | null> {
  const before = await one<{ budget_fen: number }>(
    ex,
    sql`SELECT budget_fen::float8 AS budget_fen FROM town_budgets WHERE org_id = ${b.orgId} AND year = ${b.year}`,
  );
  await ex.execute(sql`INSERT INTO town_budgets (district_id, org_id, year, budget_fen, updated_by)
    VALUES (${b.districtId}, ${b.orgId}, ${b.year}, ${b.budgetFen}, ${b.updatedBy})
    ON CONFLICT (org_id, year) DO UPDATE SET budget_fen = excluded.budget_fen, updated_by = excluded.updated_by,
      updated_at = now()`);
  return before ? Number(before.budget_fen) : null;
}

/**
 * Posted withdrawals (net of reversals) of the year's accounts under each town, and the part on
 * twin-net activities: a reversal counts with the request of the entry it reverses.
 */
export async function withdrawalsByTown(
  ex: Executor,
  districtId: number,
  year: number,
  towns: { id: number; path: string }[],
): Promise<Map<number, { totalFen: number; twinNetFen: number }>> {
  if (!towns.length) return new Map();
  const values = sql.join(
    towns.map((t) => sql`(${t.id}::int, ${t.path}::text)`),
    sql`, `,
  );
  const rows = await many<{ town_id: number; total: number; twin: number }>(
    ex,
    sql`SELECT town.id AS town_id, coalesce(-sum(e.amount_fen), 0)::float8 AS total,
               coalesce(-sum(e.amount_fen) FILTER (WHERE w.twin_net), 0)::float8 AS twin
        FROM (VALUES ${values}) AS town(id, path)
        JOIN orgs o ON o.district_id = ${districtId} AND o.path LIKE town.path || '%'
        JOIN fund_accounts a ON a.org_id = o.id AND a.year = ${year}
        JOIN fund_entries e ON e.account_id = a.id AND e.kind = 'withdrawal'
        LEFT JOIN fund_entries orig ON orig.id = e.reverses_entry_id
        LEFT JOIN fund_withdrawals w ON w.id = coalesce(e.withdrawal_id, orig.withdrawal_id)
        GROUP BY town.id`,
  );
  return new Map(rows.map((r) => [r.town_id, { totalFen: Number(r.total), twinNetFen: Number(r.twin) }]));
}
