import type { Executor } from '../db/sql.ts';
import { type DemoActivityCounts, seedDemoActivities } from './demo-activities.ts';
import { loadWorld } from './demo-bulk.ts';
import { seedDemoFunds } from './demo-funds.ts';
import { seedDemoNotices } from './demo-notices.ts';
import { type DemoOrderCounts, seedDemoOrders } from './demo-orders.ts';

/**
 * What a year of use leaves in the demo district: activities with their themes, plans, sign-ups and
 * summaries, service teams and calls (demo-activities.ts), service orders (demo-orders.ts), notices
 * (demo-notices.ts) and the year's provident-fund ledgers (demo-funds.ts), dated relative to `now`.
 *
 * Scale: at full scale Keqiao's published pipeline (1,905 activities, 1,853 teams for 1,217 grids) and
 * 600 orders; the default small demo takes a tenth of the pipeline (≈190 activities), teams in
 * proportion to its grids, and 300 orders — a first start stays within a few seconds of seeding.
 * Sign-ups and requesters need the youth's encrypted phones: without a cipher (benchmarks) the
 * people carry none, and activities get no sign-ups and orders no requester.
 */
export async function seedDemoActivityData(
  ex: Executor,
  districtId: number,
  o: { seed: number; scale: 'full' | 'small'; withPhones: boolean; now?: Date },
): Promise<{
  activities: DemoActivityCounts;
  orders: DemoOrderCounts;
  notices: Awaited<ReturnType<typeof seedDemoNotices>>;
  funds: Awaited<ReturnType<typeof seedDemoFunds>>;
}> {
  const world = await loadWorld(ex, districtId, o.withPhones);
  const full = o.scale === 'full';
  const activities = await seedDemoActivities(ex, world, {
    seed: o.seed,
    fraction: full ? 1 : 0.1,
    now: o.now,
    withPhones: o.withPhones,
  });
  const orders = await seedDemoOrders(ex, world, {
    seed: o.seed,
    count: full ? 600 : 300,
    now: o.now,
    withPhones: o.withPhones,
  });
  const notices = await seedDemoNotices(ex, world, { seed: o.seed, now: o.now });
  const funds = await seedDemoFunds(ex, world, { seed: o.seed, now: o.now, maxAccounts: full ? 60 : 30 });
  return { activities, orders, notices, funds };
}
