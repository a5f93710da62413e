import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKING_RE } from '../../domain/order.ts';
import { many, one } from '../db/sql.ts';
import { piiCipherFor } from '../lib/crypto.ts';
import { Client, createTestApp, type TestContext } from '../test/harness.ts';
import { seedDemo } from './demo.ts';

/**
 * The demo's activity, team, order and notice data (demo-activity-data.ts) at the default small scale:
 * non-empty, consistent with the state machines and the services' rules, and the figures the API
 * computes from it agree with the rows.
 */

const PASSWORD = 'Demo2026pass';
let ctx: TestContext;
let admin: Client;
let districtId: number;
const db = () => ctx.database.db;
const count = async (query: ReturnType<typeof sql>) => (await one<{ n: number }>(db(), query))!.n;

const DAY = 86_400_000;
const now = Date.now();
const from = new Date(now - 3 * 365 * DAY).toISOString();
const to = new Date(now + DAY).toISOString();
const range = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

beforeAll(async () => {
  const previous = process.env.JINGWEI_DEMO_SCALE;
  delete process.env.JINGWEI_DEMO_SCALE;
  ctx = await createTestApp();
  try {
    const summary = await seedDemo(ctx.database, PASSWORD, 2013, piiCipherFor(ctx.app.config.dataDir));
    districtId = summary.districtId;
  } finally {
    if (previous !== undefined) process.env.JINGWEI_DEMO_SCALE = previous;
  }
  admin = new Client(ctx.app);
  expect((await admin.login('admin', PASSWORD)).statusCode).toBe(200);
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

describe('demo activities', () => {
  it('the funnel counts the rows, the lists agree, and the stages narrow', async () => {
    const res = await admin.get(`/api/activity-figures/funnel?${range}`);
    expect(res.statusCode).toBe(200);
    const f = res.json();
    const rows = await one<any>(
      db(),
      sql`SELECT (SELECT count(*)::int FROM activity_themes WHERE published_at IS NOT NULL) AS themes,
                 (SELECT count(*)::int FROM activity_plans WHERE status <> 'draft') AS plans,
                 (SELECT count(*)::int FROM activities) AS activities,
                 (SELECT count(*)::int FROM activity_summaries) AS summaries,
                 (SELECT count(*)::int FROM activities WHERE status = 'published') AS published`,
    );
    expect(f).toEqual(rows);
    expect(f.themes).toBeGreaterThan(0);
    expect(f.published).toBeGreaterThan(0);
    expect(f.plans).toBeGreaterThan(f.activities);
    expect(f.activities).toBeGreaterThan(f.summaries);
    expect(f.summaries).toBeGreaterThan(f.published);
    // about a tenth of Keqiao's 1,905 activities and 1,826 summaries at the default scale
    expect(f.activities).toBeGreaterThanOrEqual(150);
    expect(f.activities).toBeLessThan(500);
    const list = (await admin.get('/api/activities')).json().items;
    expect(list).toHaveLength(f.activities);
    expect((await admin.get('/api/activities?status=published')).json().items).toHaveLength(f.published);
    expect((await admin.get('/api/activity-themes?status=published')).json().items).toHaveLength(f.themes);
    const summarised = list.filter((a: any) => a.status === 'summarised' || a.status === 'published').length;
    expect(summarised).toBe(f.summaries);
  });

  it('every activity follows the state machine: its events end in its status, in time order', async () => {
    const bad = await many<any>(
      db(),
      sql`WITH last AS (
            SELECT DISTINCT ON (e.activity_id) e.activity_id, e.to_status FROM activity_events e
            WHERE e.activity_id IS NOT NULL ORDER BY e.activity_id, e.at DESC, e.id DESC)
          SELECT a.id, a.status, l.to_status FROM activities a LEFT JOIN last l ON l.activity_id = a.id
          WHERE l.to_status IS DISTINCT FROM a.status`,
    );
    expect(bad).toEqual([]);
    // each step starts where the previous one ended (plan events, then the activity's)
    const broken = await count(sql`
      WITH seq AS (
        SELECT e.plan_id, e.activity_id, e.from_status, e.to_status,
               lag(e.to_status) OVER (PARTITION BY e.plan_id, COALESCE(e.activity_id, 0) ORDER BY e.at, e.id) AS prev
        FROM activity_events e)
      SELECT count(*)::int AS n FROM seq
      WHERE (prev IS NULL AND activity_id IS NULL AND from_status IS NOT NULL)
         OR (prev IS NULL AND activity_id IS NOT NULL AND from_status <> 'approved')
         OR (prev IS NOT NULL AND from_status IS DISTINCT FROM prev)`);
    expect(broken).toBe(0);
    const planStatusMismatch = await count(sql`
      SELECT count(*)::int AS n FROM activity_plans p
      WHERE p.status <> (SELECT e.to_status FROM activity_events e WHERE e.plan_id = p.id AND e.activity_id IS NULL
                          ORDER BY e.at DESC, e.id DESC LIMIT 1)`);
    expect(planStatusMismatch).toBe(0);
    expect(await count(sql`SELECT count(*)::int AS n FROM activity_events WHERE at > now()`)).toBe(0);
  });

  it('seats, check-ins, ratings and summaries obey the rules', async () => {
    // the seat counter is the admitted sign-ups that took a seat (walk-ins take none), never above capacity
    expect(
      await count(sql`SELECT count(*)::int AS n FROM activities a
        WHERE a.admitted_count > a.capacity OR a.admitted_count <> (SELECT count(*) FROM activity_signups s
          WHERE s.activity_id = a.id AND s.status = 'admitted' AND s.source <> 'walk_in')`),
    ).toBe(0);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM activity_checkins k JOIN activity_signups s ON s.id = k.signup_id
        JOIN activities a ON a.id = k.activity_id
        WHERE s.status <> 'admitted' OR s.activity_id <> k.activity_id OR a.status = 'open'
           OR k.at < a.starts_at - make_interval(mins => a.checkin_before_minutes) OR k.at > a.ends_at`),
    ).toBe(0);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM activity_ratings r
        WHERE NOT EXISTS (SELECT 1 FROM activity_checkins k WHERE k.signup_id = r.signup_id)`),
    ).toBe(0);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM activity_summaries m
        WHERE m.attendance <> (SELECT count(*) FROM activity_checkins k WHERE k.activity_id = m.activity_id)`),
    ).toBe(0);
    expect(await count(sql`SELECT count(*)::int AS n FROM activity_checkins`)).toBeGreaterThan(1000);
    expect(await count(sql`SELECT count(*)::int AS n FROM activity_ratings`)).toBeGreaterThan(100);
  });

  it('sign-ups carry the registry youth’s encrypted phone, never a plaintext number', async () => {
    const r = await one<any>(
      db(),
      sql`SELECT count(*)::int AS n,
                 count(*) FILTER (WHERE s.phone_enc LIKE 'v1.%' AND s.phone_idx = p.phone_idx AND s.phone_enc = p.phone_enc)::int AS sealed,
                 count(*) FILTER (WHERE s.phone_enc ~ '1[3-9][0-9]{9}' OR s.name ~ '[0-9]')::int AS plain
          FROM activity_signups s JOIN people p ON p.id = s.person_id`,
    );
    expect(r.n).toBe(await count(sql`SELECT count(*)::int AS n FROM activity_signups`));
    expect(r.sealed).toBe(r.n);
    expect(r.plain).toBe(0);
    const pii = piiCipherFor(ctx.app.config.dataDir);
    const s = await one<any>(db(), sql`SELECT phone_enc, phone_idx FROM activity_signups ORDER BY id LIMIT 1`);
    expect(pii.blindIndex('phone', pii.decrypt(s.phone_enc))).toBe(s.phone_idx);
  });

  it('a handful are open for sign-up now, with a live QR code; two are running', async () => {
    const open = (await admin.get('/api/activities?status=open')).json().items;
    const upcoming = open.filter(
      (a: any) =>
        Date.parse(a.signupOpensAt) <= now && Date.parse(a.signupClosesAt) > now && Date.parse(a.startsAt) > now,
    );
    expect(upcoming.length).toBeGreaterThanOrEqual(5);
    expect(upcoming.every((a: any) => a.admitted <= a.capacity)).toBe(true);
    const detail = (await admin.get(`/api/activities/${upcoming[0].id}`)).json();
    expect(detail.qrUrl).toMatch(/\/a\/.+/);
    const token = detail.qrUrl.split('/a/')[1];
    const pub = await ctx.app.inject({ method: 'GET', url: `/api/public/activity-qr/${token}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ id: upcoming[0].id, status: 'open' });
    expect((await admin.get('/api/activities?status=running')).json().items).toHaveLength(2);
  });

  it('participation has data over the last months; categories follow Keqiao’s order', async () => {
    const yearRange = `from=${encodeURIComponent(new Date(now - 365 * DAY).toISOString())}&to=${encodeURIComponent(to)}`;
    const p = (await admin.get(`/api/activity-figures/participation?${yearRange}`)).json();
    expect(p.total.participants).toBeGreaterThan(0);
    expect(p.total.participants).toBeLessThan(p.total.registered);
    expect(p.months.filter((m: any) => m.participants > 0).length).toBeGreaterThanOrEqual(6);
    expect(p.towns.length).toBeGreaterThan(1);
    const c = (await admin.get(`/api/activity-figures/by-category?${range}`)).json().items;
    const byName = Object.fromEntries(c.map((x: any) => [x.name, x]));
    const notCancelled = await count(
      sql`SELECT count(*)::int AS n FROM activities WHERE status <> 'cancelled' AND starts_at < ${to}::timestamptz`,
    );
    expect(c.reduce((s: number, x: any) => s + x.activities, 0)).toBe(notCancelled);
    expect(byName.社会民生.activities).toBeGreaterThan(byName.产业服务.activities);
    expect(byName.产业服务.activities).toBeGreaterThan(byName.教育培训.activities);
    expect(byName.教育培训.activities).toBeGreaterThan(byName.人文宣传.activities);
    expect(byName.社会民生.teams).toBeGreaterThan(byName.人文宣传.teams);
  });
});

describe('demo service teams and calls', () => {
  it('most grids have a volunteer team with 2 backbones; a few grids have none', async () => {
    const teams = (await admin.get('/api/service-teams')).json().items;
    const grids = await count(sql`SELECT count(*)::int AS n FROM grids WHERE active`);
    const gridTeams = teams.filter((t: any) => t.kind === 'grid_volunteer');
    expect(gridTeams.length).toBeGreaterThan(grids * 0.8);
    expect(teams.length).toBe(await count(sql`SELECT count(*)::int AS n FROM service_teams`));
    expect(teams.every((t: any) => t.backbones === 2 && t.members >= t.backbones + t.reserves)).toBe(true);
    const complete = teams.filter((t: any) => t.warnings.length === 0).length;
    expect(complete).toBeGreaterThan(teams.length * 0.7);
    expect(teams.some((t: any) => t.warnings.includes('reserves_missing'))).toBe(true);
    const gaps = (await admin.get('/api/service-teams/grid-gaps')).json().items;
    expect(gaps.length).toBeGreaterThan(0);
    expect(gaps.length + new Set(gridTeams.flatMap((t: any) => t.grids.map((g: any) => g.id))).size).toBe(grids);
    // members are youth of the team's own grid
    expect(
      await count(sql`SELECT count(*)::int AS n FROM service_team_members m JOIN service_teams t ON t.id = m.team_id
        JOIN people p ON p.id = m.person_id WHERE t.kind = 'grid_volunteer' AND NOT (p.home_grid_id = ANY(t.grid_ids))`),
    ).toBe(0);
  });

  it('calls reach youth and brought sign-ups', async () => {
    const calls = (await admin.get('/api/activity-calls')).json().items;
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.every((c: any) => c.recipients > 0)).toBe(true);
    expect(calls.some((c: any) => c.signups > 0)).toBe(true);
  });
});

describe('demo service orders', () => {
  it('lists, overdue lists and the two rates show data that matches the rows', async () => {
    const total = await count(sql`SELECT count(*)::int AS n FROM service_orders`);
    expect(total).toBe(300);
    expect((await admin.get('/api/orders?pageSize=1')).json().total).toBe(total);
    const overdue = (await admin.get('/api/orders?overdue=true&pageSize=200')).json();
    expect(overdue.total).toBeGreaterThan(0);
    expect(overdue.items.every((o: any) => o.overdue)).toBe(true);
    for (const c of ['immediate', 'non_immediate', 'hard'])
      expect((await admin.get(`/api/orders?classification=${c}&pageSize=1`)).json().total).toBeGreaterThan(0);
    for (const s of ['party_gov', 'resident', 'menu', 'youth_voice', 'visit'])
      expect((await admin.get(`/api/orders?source=${s}&pageSize=1`)).json().total).toBeGreaterThan(0);

    const rates = (await admin.get(`/api/orders/rates?${range}`)).json();
    const rated = await one<any>(
      db(),
      sql`SELECT count(*)::int AS n, count(*) FILTER (WHERE r.score >= 4)::int AS satisfied,
                 count(*) FILTER (WHERE r.score = 4)::int AS basically, count(*) FILTER (WHERE r.score <= 3)::int AS dissatisfied
          FROM service_orders o JOIN service_order_ratings r ON r.order_id = o.id WHERE o.status = 'rated'`,
    );
    expect(rated.n).toBe(await count(sql`SELECT count(*)::int AS n FROM service_order_ratings`));
    expect(rated.n).toBe(await count(sql`SELECT count(*)::int AS n FROM service_orders WHERE status = 'rated'`));
    expect(rated.n).toBeGreaterThan(total * 0.4);
    expect(rated.basically).toBeGreaterThan(0);
    expect(rated.dissatisfied).toBeGreaterThan(0);
    // every rating counted once: in the total and in exactly one org's row
    expect(rates.total.satisfaction).toMatchObject({ denominator: rated.n, numerator: rated.satisfied });
    const perOrg = rates.items.reduce((s: number, i: any) => s + i.satisfaction.denominator, 0);
    expect(perOrg).toBe(rated.n);
    expect(rates.items.length).toBeGreaterThan(3);
    expect(rates.total.response.denominator).toBeGreaterThan(0);
    expect(rates.total.response.rate).toBeGreaterThan(0.6);
    expect(rates.total.response.rate).toBeLessThan(1);
    expect(rates.total.attraction.denominator).toBeGreaterThan(0);
    // each dissatisfied rating opened a district review
    expect(await count(sql`SELECT count(*)::int AS n FROM service_order_reviews`)).toBe(rated.dissatisfied);
  });

  it('every order’s timeline follows the workflow and ends in its status', async () => {
    const rows = await many<any>(
      db(),
      sql`SELECT o.id, o.status, o.tracking_no, o.dispatch_count,
                 (SELECT count(*)::int FROM service_order_dispatches d WHERE d.order_id = o.id) AS dispatches,
                 (SELECT count(*)::int FROM service_order_dispatches d WHERE d.order_id = o.id AND d.outcome = 'pending') AS pending,
                 (SELECT json_agg(json_build_object('a', e.action, 'f', e.from_status, 't', e.to_status) ORDER BY e.id)
                    FROM service_order_events e WHERE e.order_id = o.id) AS events
          FROM service_orders o ORDER BY o.id`,
    );
    for (const r of rows) {
      expect(r.tracking_no).toMatch(TRACKING_RE);
      expect(r.dispatches).toBe(r.dispatch_count);
      expect(r.pending).toBe(r.status === 'dispatched' ? 1 : 0);
      const events = typeof r.events === 'string' ? JSON.parse(r.events) : r.events;
      expect(events[0]).toMatchObject({ a: 'create', f: null, t: 'submitted' });
      let status = 'submitted';
      for (const e of events.slice(1)) {
        if (e.t === null) continue; // review tasks
        expect(e.f).toBe(status);
        status = e.t;
      }
      expect(status).toBe(r.status);
    }
    expect(await count(sql`SELECT count(*)::int AS n FROM service_order_events WHERE at > now()`)).toBe(0);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM service_orders
        WHERE requester_phone_enc IS NOT NULL AND requester_phone_enc NOT LIKE 'v1.%'`),
    ).toBe(0);
  });
});

describe('demo notices', () => {
  it('sent to towns and villages, receipts partly acknowledged, some late', async () => {
    const list = (await admin.get('/api/notices?pageSize=50')).json();
    expect(list.total).toBeGreaterThanOrEqual(6);
    let acknowledged = 0;
    let late = 0;
    let targets = 0;
    for (const n of list.items) {
      const report = (await admin.get(`/api/notices/${n.id}/report`)).json();
      expect(report.total.targets).toBe(n.targetCount);
      expect(report.total.acknowledged).toBe(n.acknowledgedCount);
      targets += n.targetCount;
      acknowledged += report.total.acknowledged;
      late += report.total.late;
    }
    expect(acknowledged).toBeGreaterThan(targets * 0.5);
    expect(acknowledged).toBeLessThan(targets);
    expect(late).toBeGreaterThan(0);
    // escalations only for receipts unacknowledged at their deadline
    expect(
      await count(sql`SELECT count(*)::int AS n FROM notice_escalations e JOIN notice_targets t ON t.id = e.target_id
        JOIN notices n ON n.id = e.notice_id
        WHERE t.acknowledged_at IS NOT NULL AND t.acknowledged_at < n.sent_at + make_interval(secs => e.level * n.deadline_seconds)`),
    ).toBe(0);
    const newest = Math.max(...list.items.map((n: any) => Date.parse(n.sentAt)));
    const month = new Date(newest + 8 * 3600_000).toISOString().slice(0, 7);
    const onTime = (await admin.get(`/api/notices/on-time?month=${month}`)).json();
    expect(onTime.towns.some((t: any) => t.targets > 0)).toBe(true);
    expect(districtId).toBeGreaterThan(0);
  });
});

describe('demo provident funds', () => {
  it('this year’s accounts have deposits and withdrawals within the limit; requests wait and are refused', async () => {
    const year = new Date(now + 8 * 3600_000).getUTCFullYear();
    const list = (await admin.get(`/api/funds/accounts?year=${year}&pageSize=500`)).json();
    expect(list.total).toBeGreaterThan(5);
    expect(list.items.every((a: any) => a.summary.depositsFen > 0 && a.summary.remainingFen >= 0)).toBe(true);
    expect(list.items.some((a: any) => a.summary.withdrawnFen > 0)).toBe(true);
    const w = (await admin.get('/api/funds/withdrawals?pageSize=200')).json();
    const statuses = new Set(w.items.map((x: any) => x.status));
    expect(statuses).toEqual(new Set(['requested', 'approved', 'rejected']));
    // one ledger entry per approved withdrawal, none for the others
    expect(
      await count(sql`SELECT count(*)::int AS n FROM fund_withdrawals w
        WHERE (w.status = 'approved') <> EXISTS (SELECT 1 FROM fund_entries e WHERE e.withdrawal_id = w.id AND e.amount_fen = -w.amount_fen)`),
    ).toBe(0);
  });
});
