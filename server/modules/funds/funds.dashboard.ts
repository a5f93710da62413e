import { sql } from 'drizzle-orm';
import { roleCan } from '../../../domain/account.ts';
import { many } from '../../db/sql.ts';
import { type DashboardSectionSource, registerDashboardSection } from '../dashboard/dashboard.sections.ts';

/** 党群公积金 on the overview: this year's accounts in the subtree, their balance and withdrawals (whole yuan). */
export const fundsSection: DashboardSectionSource = {
  key: 'funds',
  visibleTo: (actor) => roleCan(actor.role, 'fund.read'),
  async compute(database, scope) {
    const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
    const values = sql.join(
      [scope.org, ...scope.children].map((p) => sql`(${p.id}::int, ${p.path}::text)`),
      sql`, `,
    );
    const rows = await many<{ id: number; accounts: number; balance: number; withdrawn: number }>(
      database.db,
      sql`SELECT x.id, count(DISTINCT a.id)::int AS accounts, coalesce(sum(e.amount_fen), 0)::float8 AS balance,
                 coalesce(-sum(e.amount_fen) FILTER (WHERE e.kind = 'withdrawal'), 0)::float8 AS withdrawn
          FROM (VALUES ${values}) AS x(id, path)
          LEFT JOIN orgs o ON o.district_id = ${scope.districtId} AND o.path LIKE x.path || '%'
          LEFT JOIN fund_accounts a ON a.org_id = o.id AND a.year = ${year}
          LEFT JOIN fund_entries e ON e.account_id = a.id
          GROUP BY x.id`,
    );
    const by = new Map(
      rows.map((r) => [
        r.id,
        {
          accounts: r.accounts,
          balanceYuan: Math.floor(Number(r.balance) / 100),
          withdrawnYuan: Math.floor(Number(r.withdrawn) / 100),
        },
      ]),
    );
    const empty = { accounts: 0, balanceYuan: 0, withdrawnYuan: 0 };
    return {
      values: by.get(scope.org.id) ?? empty,
      byChild: Object.fromEntries(scope.children.map((c) => [String(c.id), by.get(c.id) ?? empty])),
    };
  },
};

export function registerFundsSection(): void {
  registerDashboardSection(fundsSection);
}
