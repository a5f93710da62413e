/**
 * Authorization rows of the provident-fund module (党群公积金). District and platform admins manage
 * (policy, accounts, deposits, donations, reversals, decisions); org admins read and request
 * withdrawals for accounts of their subtree. Targets: an account held by the scope org (created
 * directly in the database), with a deposit so that a small withdrawal fits the limit.
 */
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

/** A fresh account of the scope org with a ¥1,000 deposit; returns the account and the entry. */
async function accountOf(t: Target): Promise<{ accountId: number; entryId: number }> {
  const [account] = await t.database.query<{ id: number }>(
    'INSERT INTO fund_accounts (district_id, org_id, year) VALUES ($1, $2, $3) RETURNING id',
    [t.districtId, t.orgId, Number(t.uniqueDigits)],
  );
  const [entry] = await t.database.query<{ id: number }>(
    `INSERT INTO fund_entries (district_id, account_id, kind, amount_fen, created_by)
     VALUES ($1, $2, 'deposit', 100000, $3) RETURNING id`,
    [t.districtId, account.id, t.accountId],
  );
  return { accountId: account.id, entryId: entry.id };
}

/** A requested withdrawal of ¥1 from a fresh account of the scope org. */
async function withdrawalOf(t: Target): Promise<number> {
  const { accountId } = await accountOf(t);
  const [row] = await t.database.query<{ id: number }>(
    `INSERT INTO fund_withdrawals (district_id, account_id, amount_fen, purpose, reference, requested_by)
     VALUES ($1, $2, 100, '矩阵测试', '活动', $3) RETURNING id`,
    [t.districtId, accountId, t.accountId],
  );
  return row.id;
}

const READ_DISTRICT = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

const READ_SUBTREE = { ...READ_DISTRICT, org_admin: SUBTREE };
const REQUEST = READ_SUBTREE;

const MANAGE = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: ALL('403'),
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

export const fundRules: Record<string, RouteRule> = {
  'GET /api/funds/policy': {
    request: (t) => ({ url: `/api/funds/policy?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'PUT /api/funds/policy': {
    request: (t) => ({ url: '/api/funds/policy', payload: { districtId: t.districtId, multiplierPct: 130 } }),
    expect: MANAGE,
  },
  'GET /api/funds/accounts': {
    request: (t) => ({ url: `/api/funds/accounts?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'POST /api/funds/accounts': {
    // A fresh village under the scope org (accounts belong to villages, communities, two-new orgs).
    request: async (t) => {
      const id = await t.freshLeafOrg();
      await t.database.query(`UPDATE orgs SET kind = 'village_branch' WHERE id = $1`, [id]);
      return { url: '/api/funds/accounts', payload: { orgId: id, year: 2026 } };
    },
    expect: MANAGE,
  },
  'GET /api/funds/accounts/:id': {
    request: async (t) => ({ url: `/api/funds/accounts/${(await accountOf(t)).accountId}` }),
    expect: READ_SUBTREE,
  },
  'GET /api/funds/accounts/:id/statement.xlsx': {
    request: async (t) => ({ url: `/api/funds/accounts/${(await accountOf(t)).accountId}/statement.xlsx` }),
    expect: READ_SUBTREE,
  },
  'POST /api/funds/accounts/:id/deposits': {
    request: async (t) => ({
      url: `/api/funds/accounts/${(await accountOf(t)).accountId}/deposits`,
      payload: { amountFen: 5000 },
    }),
    expect: MANAGE,
  },
  'POST /api/funds/accounts/:id/donations': {
    request: async (t) => ({
      url: `/api/funds/accounts/${(await accountOf(t)).accountId}/donations`,
      payload: { amountFen: 5000, sourceType: 'public_donation', source: '社会捐赠' },
    }),
    expect: MANAGE,
  },
  'POST /api/funds/accounts/:id/withdrawals': {
    request: async (t) => ({
      url: `/api/funds/accounts/${(await accountOf(t)).accountId}/withdrawals`,
      payload: { amountFen: 100, purpose: '矩阵测试', reference: '活动' },
    }),
    expect: REQUEST,
  },
  'POST /api/funds/entries/:id/reverse': {
    request: async (t) => ({
      url: `/api/funds/entries/${(await accountOf(t)).entryId}/reverse`,
      payload: { memo: '更正' },
    }),
    expect: MANAGE,
  },
  'GET /api/funds/withdrawals': {
    request: (t) => ({ url: `/api/funds/withdrawals?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'POST /api/funds/withdrawals/:id/approve': {
    request: async (t) => ({ url: `/api/funds/withdrawals/${await withdrawalOf(t)}/approve`, payload: {} }),
    expect: MANAGE,
  },
  'POST /api/funds/withdrawals/:id/reject': {
    request: async (t) => ({ url: `/api/funds/withdrawals/${await withdrawalOf(t)}/reject`, payload: {} }),
    expect: MANAGE,
  },
};

/** 预算规则: every role with fund.read lists the towns of its scope; district admins declare budgets. */
Object.assign(fundRules, {
  'GET /api/funds/budgets': {
    request: (t: Target) => ({ url: `/api/funds/budgets?districtId=${t.districtId}&year=2026` }),
    expect: READ_DISTRICT,
  },
  'PUT /api/funds/budgets': {
    // A fresh town under the scope org (budgets belong to towns).
    request: async (t: Target) => {
      const id = await t.freshLeafOrg();
      await t.database.query(`UPDATE orgs SET kind = 'town_committee' WHERE id = $1`, [id]);
      return {
        url: '/api/funds/budgets',
        payload: { districtId: t.districtId, orgId: id, year: 2026, budgetFen: 2_000_000 },
      };
    },
    expect: MANAGE,
  },
} satisfies Record<string, RouteRule>);
