/** Shared by the benchmarks: a fresh database (PGlite in memory, or a new PostgreSQL database), timing, results. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Database } from '../server/db/client.ts';

export async function openBenchDatabase(kind: string): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === 'postgresql') {
    const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `jw_bench_${crypto.randomBytes(4).toString('hex')}`;
    const admin = await Database.open({ kind: 'postgresql', url, poolSize: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(url);
    u.pathname = `/${name}`;
    const database = await Database.open({ kind: 'postgresql', url: u.toString() });
    return {
      database,
      drop: async () => {
        await database.close();
        await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
        await admin.close();
      },
    };
  }
  const database = await Database.open({ kind: 'pglite' });
  return { database, drop: () => database.close() };
}

/** Runs `fn` `runs` times after `warmup` runs; returns p50/p99/mean in ms. */
export async function timeIt(fn: () => Promise<unknown>, runs = 30, warmup = 3) {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => +ms[Math.min(ms.length - 1, Math.floor(q * ms.length))].toFixed(1);
  return { p50: at(0.5), p99: at(0.99), mean: +(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(1), runs };
}

export function writeResult(name: string, db: string, report: Record<string, unknown>) {
  const full = {
    bench: name,
    db,
    ...report,
    node: process.version,
    cpus: os.cpus().length,
    at: new Date().toISOString(),
  };
  console.log(JSON.stringify(full, null, 2));
  fs.mkdirSync('bench/results', { recursive: true });
  fs.writeFileSync(`bench/results/${name}-${db}.json`, `${JSON.stringify(full, null, 2)}\n`);
}

// ── the overview against plain GROUP BY (bench/tree.ts on generated data; the same figures as bench/dashboard.ts) ──

/**
 * Every figure of a district overview (`getOverview` of the district root: people, members and grids per child,
 * and — when the module sections are registered — activities held, summarised, published, the participation
 * rate, orders by state, notice receipts and on-time share, for the district and each child) against the same
 * numbers by plain GROUP BY over the base tables. `plain` is the baseline to time; `mismatches` lists what differs.
 */
export async function overviewGroupBy(database: Database, districtId: number, rootPath: string) {
  const { sql } = await import('drizzle-orm');
  const { many } = await import('../server/db/sql.ts');
  const { shanghaiYear } = await import('../server/modules/activities/activities.dashboard.ts');
  const { shanghaiMonth } = await import('../server/modules/notices/notices.dashboard.ts');
  const townPart = rootPath.split('/').length;
  const town = (alias: string) => sql`NULLIF(split_part(${sql.raw(alias)}.path, '/', ${townPart}), '')::int`;
  const year = shanghaiYear();
  const month = shanghaiMonth();
  const plain = async () => {
    const [people, grids, acts, participation, orders, notices] = await Promise.all([
      many<{ town: number | null; youth: number; members: number }>(
        database.db,
        sql`SELECT ${town('o')} AS town, count(*)::int AS youth,
                   count(*) FILTER (WHERE p.political_status = 'league_member')::int AS members
            FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
            JOIN orgs o ON o.id = coalesce(g.org_id, p.branch_org_id)
            WHERE p.district_id = ${districtId} AND p.status = 'registered' GROUP BY 1`,
      ),
      many<{ town: number | null; grids: number }>(
        database.db,
        sql`SELECT ${town('o')} AS town, count(*)::int AS grids
            FROM grids g JOIN orgs o ON o.id = g.org_id
            WHERE g.district_id = ${districtId} AND g.active GROUP BY 1`,
      ),
      many<{ town: number | null; activities: number; summarised: number; published: number }>(
        database.db,
        sql`SELECT ${town('o')} AS town, count(*)::int AS activities,
                   count(*) FILTER (WHERE a.status IN ('summarised', 'published'))::int AS summarised,
                   count(*) FILTER (WHERE a.status = 'published')::int AS published
            FROM activities a JOIN orgs o ON o.id = a.org_id
            WHERE a.district_id = ${districtId} AND a.status <> 'cancelled'
              AND a.starts_at >= ${year.from}::timestamptz AND a.starts_at < ${year.to}::timestamptz
            GROUP BY 1`,
      ),
      many<{ town: number | null; registered: number; participants: number }>(
        database.db,
        sql`SELECT ${town('o')} AS town, count(*)::int AS registered,
                   count(*) FILTER (WHERE EXISTS (
                     SELECT 1 FROM activity_signups s JOIN activity_checkins k ON k.signup_id = s.id
                     JOIN activities a ON a.id = s.activity_id
                     WHERE s.person_id = p.id AND a.district_id = p.district_id
                       AND a.starts_at >= ${year.from}::timestamptz AND a.starts_at < ${year.to}::timestamptz))::int AS participants
            FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
            JOIN orgs o ON o.id = coalesce(g.org_id, p.branch_org_id)
            WHERE p.district_id = ${districtId} AND p.status = 'registered' AND p.withdrawn_at IS NULL GROUP BY 1`,
      ),
      many<{ town: number | null; status: string; n: number }>(
        database.db,
        sql`SELECT ${town('o')} AS town, so.status, count(*)::int AS n
            FROM service_orders so JOIN orgs o ON o.id = so.org_id
            WHERE so.district_id = ${districtId} GROUP BY 1, 2`,
      ),
      many<{ town: number | null; receipts: number; on_time: number }>(
        database.db,
        sql`SELECT ${town('o')} AS town, count(*)::int AS receipts,
                   count(*) FILTER (WHERE t.acknowledged_at <= t.deadline_at)::int AS on_time
            FROM notice_targets t JOIN notices n ON n.id = t.notice_id JOIN orgs o ON o.id = t.org_id
            WHERE t.district_id = ${districtId} AND n.superseded_by IS NULL
              AND n.sent_at >= ${month.from}::timestamptz AND n.sent_at < ${month.to}::timestamptz
              AND (t.acknowledged_at IS NOT NULL OR t.deadline_at <= now())
            GROUP BY 1`,
      ),
    ]);
    return { people, grids, acts, participation, orders, notices };
  };
  /** The overview's figures (from `getOverview`) against the GROUP BY; each figure checked is counted in `checked`. */
  const compare = async (o: {
    totals: Record<string, number>;
    grids: { grids: number };
    children: { id: number; counts: Record<string, number>; grids: { grids: number } }[];
    sections: { key: string; values?: unknown; byChild?: unknown }[];
  }) => {
    const { percent } = await import('../domain/activity.ts');
    const { percent: percentOrNull } = await import('../domain/dashboard.ts');
    const expected = await plain();
    const mismatches: string[] = [];
    let checked = 0;
    const check = (what: string, got: unknown, want: unknown) => {
      checked++;
      if (got !== want) mismatches.push(`${what}: overview ${String(got)}, GROUP BY ${String(want)}`);
    };
    const sum = <T extends { town: number | null }>(rows: T[], f: (r: T) => number, t?: number) =>
      rows.filter((r) => t === undefined || r.town === t).reduce((n, r) => n + f(r), 0);
    const section = (key: string) => o.sections.find((s) => s.key === key);
    const acts = section('activities');
    const ord = section('orders');
    const ntc = section('notices');
    const subjects: (number | undefined)[] = [undefined, ...o.children.map((c) => c.id)];
    for (const t of subjects) {
      const at = t === undefined ? 'district' : `child ${t}`;
      if (t === undefined) {
        check(
          `${at} people`,
          o.totals.people,
          sum(expected.people, (r) => r.youth),
        );
        check(
          `${at} members`,
          o.totals.members,
          sum(expected.people, (r) => r.members),
        );
        check(
          `${at} grids`,
          o.grids.grids,
          sum(expected.grids, (r) => r.grids),
        );
      } else {
        const c = o.children.find((x) => x.id === t)!;
        check(
          `${at} people`,
          c.counts.people,
          sum(expected.people, (r) => r.youth, t),
        );
        check(
          `${at} members`,
          c.counts.members,
          sum(expected.people, (r) => r.members, t),
        );
        check(
          `${at} grids`,
          c.grids.grids,
          sum(expected.grids, (r) => r.grids, t),
        );
      }
      const v = (s: { values?: unknown; byChild?: unknown }) =>
        (t === undefined ? s.values : (s.byChild as Record<string, unknown>)?.[String(t)]) as Record<string, unknown>;
      if (acts) {
        check(
          `${at} activities`,
          v(acts).activities,
          sum(expected.acts, (r) => r.activities, t),
        );
        check(
          `${at} summarised`,
          v(acts).summarised,
          sum(expected.acts, (r) => r.summarised, t),
        );
        check(
          `${at} published`,
          v(acts).published,
          sum(expected.acts, (r) => r.published, t),
        );
        check(
          `${at} participationRate`,
          v(acts).participationRate,
          percent(
            sum(expected.participation, (r) => r.participants, t),
            sum(expected.participation, (r) => r.registered, t),
          ),
        );
      }
      if (ord) {
        check(
          `${at} orders total`,
          v(ord).total,
          sum(expected.orders, (r) => r.n, t),
        );
        for (const st of new Set(expected.orders.map((r) => r.status)))
          check(
            `${at} orders ${st}`,
            v(ord)[st],
            sum(
              expected.orders.filter((r) => r.status === st),
              (r) => r.n,
              t,
            ),
          );
      }
      if (ntc) {
        const receipts = sum(expected.notices, (r) => r.receipts, t);
        check(`${at} notice receipts`, v(ntc).receipts, receipts);
        check(
          `${at} notice onTimePct`,
          v(ntc).onTimePct,
          percentOrNull(
            sum(expected.notices, (r) => r.on_time, t),
            receipts,
          ),
        );
      }
    }
    const totals = {
      activities: sum(expected.acts, (r) => r.activities),
      participants: sum(expected.participation, (r) => r.participants),
      orders: sum(expected.orders, (r) => r.n),
      noticeReceipts: sum(expected.notices, (r) => r.receipts),
    };
    return { mismatches, checked, totals };
  };
  return { plain, compare };
}
