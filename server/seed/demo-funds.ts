import { DEFAULT_MULTIPLIER_PCT, DONATION_SOURCES } from '../../domain/fund.ts';
import type { Executor } from '../db/sql.ts';
import { seededRandom } from './demo.ts';
import { actorOf, allocIds, bulkInsert, iso, placeOf, type World } from './demo-bulk.ts';

/**
 * Demo provident funds (党群公积金) of the current Shanghai year: an account for the villages and
 * communities with grids (at most `maxAccounts`) and the two-new committees, each with the year's
 * deposits, some donations, approved withdrawals within the district multiplier (deposits × 120%,
 * each approval writing its ledger entry), one request waiting and one rejected. The ledger is only
 * appended to, as the service does.
 */
export async function seedDemoFunds(
  ex: Executor,
  world: World,
  o: { seed: number; now?: Date; maxAccounts: number },
): Promise<{ accounts: number; entries: number; withdrawals: number }> {
  const rand = seededRandom(o.seed * 43 + 17);
  const now = (o.now ?? new Date()).getTime();
  const year = new Date(now + 8 * 3600_000).getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1) - 8 * 3600_000;
  const { districtId } = world;
  const owners = [
    ...world.villages.filter((v) => world.gridsByOrg.has(v.id)).slice(0, o.maxAccounts),
    ...world.orgs.filter((g) => g.kind === 'two_new_committee'),
  ];
  const ids = await allocIds(ex, 'fund_accounts', owners.length);
  const when = (from: number, to = now - 60_000) => iso(new Date(from + rand.next() * (to - from)));
  const accounts: Record<string, unknown>[] = [];
  const entries: Record<string, unknown>[] = [];
  const withdrawals: Record<string, unknown>[] = [];
  const pendingEntries: { withdrawalIndex: number; row: Record<string, unknown> }[] = [];
  owners.forEach((org, k) => {
    const accountId = ids[k];
    const by = actorOf(world, org);
    const opened = Math.min(yearStart + rand.int(0, 20) * 86_400_000, now - 3 * 3600_000);
    // deposits in the first third of the year so far, withdrawals after them (the limit is checked on approval)
    const depositsUntil = opened + (now - opened) / 3;
    accounts.push({ id: accountId, district_id: districtId, org_id: org.id, year, created_at: iso(new Date(opened)) });
    const entry = (kind: string, amountFen: number, at: string, extra: Record<string, unknown> = {}) =>
      entries.push({
        district_id: districtId,
        account_id: accountId,
        kind,
        amount_fen: amountFen,
        created_by: by,
        created_at: at,
        ...extra,
      });
    let deposits = 0;
    for (let i = 0; i < rand.int(1, 3); i++) {
      const fen = rand.int(10, 100) * 50_000; // ¥5,000 – ¥50,000
      deposits += fen;
      entry('deposit', fen, when(opened, depositsUntil), { memo: '村集体年度公积金存入' });
    }
    if (rand.next() < 0.5)
      entry('donation', rand.int(2, 40) * 10_000, when(opened), {
        source_type: rand.pick(DONATION_SOURCES),
        source: rand.pick(['爱心义卖', '乡贤捐赠', '企业冠名']),
        memo: '用于青年志愿服务',
      });
    // withdrawals: approved ones stay within the limit (deposits × multiplier)
    let left = Math.floor((deposits * DEFAULT_MULTIPLIER_PCT) / 100);
    const n = k < 2 ? rand.int(1, 3) : rand.int(0, 3);
    for (let i = 0; i < n; i++) {
      const fen = Math.min(left, rand.int(5, 60) * 10_000);
      if (fen <= 0) break;
      const status = i === 0 && k === 0 ? 'requested' : i === 0 && k === 1 ? 'rejected' : 'approved';
      const requestedAt = when(depositsUntil);
      const decidedAt =
        status === 'requested' ? null : iso(new Date(Math.min(Date.parse(requestedAt) + 2 * 86_400_000, now - 60_000)));
      withdrawals.push({
        district_id: districtId,
        account_id: accountId,
        amount_fen: fen,
        purpose: rand.pick(['四点半课堂运营经费', '青年志愿服务物资', '网格青年活动场地布置', '关爱帮扶慰问']),
        reference: `${placeOf(org)}〔${year}〕${i + 1}号`,
        status,
        requested_by: by,
        decided_by: status === 'requested' ? null : world.adminId,
        decided_at: decidedAt,
        decision_note: status === 'rejected' ? '用途不符合公积金使用范围' : null,
        created_at: requestedAt,
      });
      if (status === 'approved') {
        left -= fen;
        pendingEntries.push({
          withdrawalIndex: withdrawals.length - 1,
          row: {
            district_id: districtId,
            account_id: accountId,
            kind: 'withdrawal',
            amount_fen: -fen,
            created_by: world.adminId,
            created_at: decidedAt,
          },
        });
      }
    }
  });
  const withdrawalIds = await allocIds(ex, 'fund_withdrawals', withdrawals.length);
  withdrawals.forEach((w, k) => {
    w.id = withdrawalIds[k];
  });
  for (const p of pendingEntries) {
    const w = withdrawals[p.withdrawalIndex];
    entries.push({ ...p.row, withdrawal_id: w.id, memo: w.purpose });
  }
  entries.sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
  await bulkInsert(
    ex,
    'fund_accounts',
    [
      ['id', 'int'],
      ['district_id', 'int'],
      ['org_id', 'int'],
      ['year', 'int'],
      ['created_at', 'timestamptz'],
    ],
    accounts,
  );
  await bulkInsert(
    ex,
    'fund_withdrawals',
    [
      ['id', 'int'],
      ['district_id', 'int'],
      ['account_id', 'int'],
      ['amount_fen', 'bigint'],
      ['purpose', 'text'],
      ['reference', 'text'],
      ['status', 'text'],
      ['requested_by', 'int'],
      ['decided_by', 'int'],
      ['decided_at', 'timestamptz'],
      ['decision_note', 'text'],
      ['created_at', 'timestamptz'],
    ],
    withdrawals,
  );
  await bulkInsert(
    ex,
    'fund_entries',
    [
      ['district_id', 'int'],
      ['account_id', 'int'],
      ['kind', 'text'],
      ['amount_fen', 'bigint'],
      ['source_type', 'text'],
      ['source', 'text'],
      ['memo', 'text'],
      ['withdrawal_id', 'int'],
      ['created_by', 'int'],
      ['created_at', 'timestamptz'],
    ],
    entries,
  );
  return { accounts: accounts.length, entries: entries.length, withdrawals: withdrawals.length };
}
