import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { RunStatus } from '../../domain/activity.ts';
import { DEFAULT_CHECKIN_BEFORE_MINUTES } from '../../domain/activity.ts';
import type { Executor } from '../db/sql.ts';
import { many } from '../db/sql.ts';
import { ensureDefaultCategories, listCategories } from '../modules/activities/activities.repository.ts';
import { callRecipientRuleOfCall } from '../modules/activities/teams.repository.ts';
import { seededRandom } from './demo.ts';
import {
  actorOf,
  allocIds,
  apportion,
  bulkInsert,
  DAY,
  iso,
  placeOf,
  poolOf,
  type Rand,
  sample,
  shanghaiClock,
  shuffle,
  type World,
  type WorldOrg,
  weighted,
} from './demo-bulk.ts';

/**
 * Demo activities (活动) after Keqiao's report: 89 themes → 2,018 plans → 1,905 activities → 1,826
 * summaries, activities per category 社会民生 839 / 产业服务 448 / 教育培训 311 / 人文宣传 208, service
 * teams per category 825 / 487 / 325 / 216. `fraction` scales the pipeline (1 at full scale, 0.1 for the
 * default small demo); teams follow the grids (Keqiao: 1,853 teams for 1,217 grids).
 *
 * Every row is what the services would have written: each plan's and activity's transitions as
 * events (create → submit → approve → open → start → finish → summarise → publish, some plans returned
 * and resubmitted, some activities cancelled), sign-ups of registry youth (their encrypted phone and
 * blind index copied, never a plaintext number) within capacity (admitted_count = admitted sign-ups
 * that took a seat; walk-ins take none), check-ins only for admitted sign-ups inside the check-in
 * window, ratings only by youth who checked in, summaries whose attendance is the check-in count, a
 * live QR code for activities whose code has not expired. A handful of activities are open for sign-up
 * now, two are running. No audit rows: the demo is seeded, not done by anybody.
 */

/** Keqiao's figures (柯桥 report). */
export const KEQIAO_ACTIVITY_FIGURES = {
  themes: 89,
  plans: 2018,
  activities: 1905,
  summaries: 1826,
  activitiesByCategory: { livelihood: 839, industry: 448, education: 311, culture: 208 },
  teamsByCategory: { livelihood: 825, industry: 487, education: 325, culture: 216 },
  grids: 1217,
} as const;

const CATEGORY_CODES = ['livelihood', 'industry', 'education', 'culture'] as const;
type CategoryCode = (typeof CATEGORY_CODES)[number];

const TITLES: Record<CategoryCode, string[]> = {
  livelihood: [
    '关爱空巢老人志愿服务',
    '四点半课堂',
    '邻里互助日',
    '垃圾分类宣传',
    '义务理发进村',
    '河小二巡河护水',
    '防诈骗宣传',
    '爱心义诊',
    '文明交通劝导',
    '清洁家园行动',
  ],
  industry: [
    '青年创业沙龙',
    '电商直播技能培训',
    '青年招聘对接会',
    '轻纺产业青年人才座谈',
    '助农直播带货',
    '青年企业家结对',
  ],
  education: ['暑期青少年公益课堂', '青年夜校·摄影', '心理健康讲座', '安全教育进校园', '亲子阅读会', '青年夜校·英语角'],
  culture: ['青年文化礼堂宣讲', '红色观影会', '非遗体验·绍兴黄酒', '青春诵读会', '五四主题团日', '越剧进社区'],
};
const THEME_TOPICS = [
  '青春助力共同富裕',
  '我为群众办实事',
  '青年之家夏日行动',
  '清凉一夏·关爱留守儿童',
  '青春建功轻纺城',
  '垃圾分类·青年先行',
  '五水共治·河小二在行动',
  '寒冬送温暖',
  '青年创业创新',
  '文明城市共建',
  '网格青年微心愿',
  '非遗传承青年说',
];
const VENUES = ['文化礼堂', '青年之家', '党群服务中心', '村委会活动室', '社区广场', '新时代文明实践站'];
const COMMENTS = ['活动很有意义，下次还来', '组织得很好', '时间安排可以再早一点', '志愿者很热情', '希望多办几场'];

type Cat = { id: number; code: CategoryCode };
type Plan = Record<string, unknown> & { id: number; org: WorldOrg; status: string };
type Ev = {
  plan_id: number;
  activity_id: number | null;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_account_id: number | null;
  note: string | null;
  at: string;
};

export type DemoActivityCounts = {
  themes: number;
  plans: number;
  activities: number;
  summaries: number;
  published: number;
  signups: number;
  checkins: number;
  teams: number;
  calls: number;
};

export async function seedDemoActivities(
  ex: Executor,
  world: World,
  o: { seed: number; fraction: number; now?: Date; withPhones: boolean },
): Promise<DemoActivityCounts> {
  const rand = seededRandom(o.seed * 31 + 7);
  const clock = shanghaiClock(o.now ?? new Date());
  const { districtId } = world;
  const F = KEQIAO_ACTIVITY_FIGURES;
  await ensureDefaultCategories(ex, districtId);
  const cats: Cat[] = (await listCategories(ex, districtId))
    .filter((c) => (CATEGORY_CODES as readonly string[]).includes(c.code ?? ''))
    .map((c) => ({ id: c.id, code: c.code as CategoryCode }));
  const catOf = (code: CategoryCode) => cats.find((c) => c.code === code)!;

  // ── sizes ────────────────────────────────────────────────────────────────────────────────
  const nActivities = Math.max(40, Math.round(F.activities * o.fraction));
  const nOpen = Math.max(6, Math.round(nActivities * 0.012));
  const nRunning = nActivities >= 500 ? 4 : 2;
  const nCancelled = Math.max(2, Math.round(nActivities * 0.01));
  const nSummaries = Math.min(
    Math.round(F.summaries * (nActivities / F.activities)),
    nActivities - nOpen - nRunning - nCancelled - 3,
  );
  /** finished, not yet summarised: the rest */
  const nFinished = nActivities - nSummaries - nOpen - nRunning - nCancelled;
  const nPlans = Math.max(nActivities + 8, Math.round(F.plans * (nActivities / F.activities)));
  const nThemes = Math.max(6, Math.round(F.themes * (nActivities / F.activities)));

  // ── themes and ideas ────────────────────────────────────────────────────────────────────
  const themeIds = await allocIds(ex, 'activity_themes', nThemes);
  const nSoliciting = Math.max(2, Math.round(nThemes * 0.05));
  const themeOrgs = [world.root, ...world.towns];
  const themes = themeIds.map((id, i) => {
    const soliciting = i >= nThemes - nSoliciting;
    // published themes spread over the past ~11 months; the soliciting ones started in the last weeks
    const publishedAt = soliciting ? null : clock.at(-340 + Math.floor((i * 320) / (nThemes - nSoliciting)), 10);
    const createdAt = publishedAt ? new Date(publishedAt.getTime() - 20 * DAY) : clock.at(-rand.int(3, 15), 9);
    const deadline = publishedAt ? new Date(publishedAt.getTime() - 2 * DAY) : clock.at(rand.int(5, 20), 18);
    const org = rand.next() < 0.4 ? world.root : rand.pick(themeOrgs);
    const topic = THEME_TOPICS[i % THEME_TOPICS.length];
    return {
      id,
      district_id: districtId,
      org_id: org.id,
      title: `“${topic}”活动金点子征集`,
      description: `面向辖区青年征集“${topic}”主题活动创意，优秀点子将纳入活动方案。`,
      deadline: iso(deadline),
      status: soliciting ? 'soliciting' : 'published',
      published_at: publishedAt ? iso(publishedAt) : null,
      created_by: actorOf(world, org),
      created_at: iso(createdAt),
      _org: org,
    };
  });
  const ideas: Record<string, unknown>[] = [];
  for (const t of themes) {
    const n = rand.int(2, 5);
    for (let k = 0; k < n; k++) {
      const at = new Date(Date.parse(t.created_at) + rand.int(1, 15) * DAY);
      const person = o.withPhones && rand.next() < 0.5 ? rand.pick(poolOf(world, t._org)) : undefined;
      ideas.push({
        district_id: districtId,
        theme_id: t.id,
        text: `${rand.pick(TITLES[rand.pick(CATEGORY_CODES)])}：建议在周末举办，邀请网格青年参与`,
        source: person ? 'public' : 'staff',
        account_id: person ? null : t.created_by,
        person_id: person ?? null,
        shortlisted: t.status === 'published' && rand.next() < 0.5,
        created_at: iso(clock.past(at)),
      });
    }
  }
  await bulkInsert(
    ex,
    'activity_themes',
    [
      ['id', 'int'],
      ['district_id', 'int'],
      ['org_id', 'int'],
      ['title', 'text'],
      ['description', 'text'],
      ['deadline', 'timestamptz'],
      ['status', 'text'],
      ['published_at', 'timestamptz'],
      ['created_by', 'int'],
      ['created_at', 'timestamptz'],
    ],
    themes,
  );
  // Public ideas carry the youth's own name and encrypted phone (copied from the registry).
  await ex.execute(sql`
    INSERT INTO activity_theme_ideas (district_id, theme_id, text, author_name, source, account_id, phone_enc, phone_idx,
                                      person_id, shortlisted, created_at)
    SELECT x.district_id, x.theme_id, x.text, COALESCE(p.name, a.display_name), x.source, x.account_id, p.phone_enc,
           p.phone_idx, x.person_id, x.shortlisted, x.created_at
    FROM jsonb_to_recordset(${JSON.stringify(ideas)}::jsonb)
         AS x(district_id int, theme_id int, text text, source text, account_id int, person_id int, shortlisted boolean,
              created_at timestamptz)
    LEFT JOIN people p ON p.id = x.person_id LEFT JOIN accounts a ON a.id = x.account_id`);

  // ── plans and activities ────────────────────────────────────────────────────────────────
  const hosts = {
    root: [world.root],
    others: world.orgs
      .filter((g) => g.depth >= 1 && !['town_committee', 'devzone_committee'].includes(g.kind))
      .filter((g) => !['village_branch', 'community_branch', 'alliance'].includes(g.kind)),
    towns: world.towns,
    villages: world.villages,
  };
  const pickHost = (): WorldOrg => {
    const kind = weighted(rand, ['root', 'others', 'towns', 'villages'] as const, [8, 7, 40, 45]);
    const list = hosts[kind].length ? hosts[kind] : world.towns;
    return rand.pick(list);
  };
  const activityCats = shuffle(
    rand,
    CATEGORY_CODES.flatMap((code, i) =>
      Array<CategoryCode>(apportion(nActivities, Object.values(F.activitiesByCategory))[i]).fill(code),
    ),
  );
  // Status of each activity (index order: the order of their start times below).
  type Kind = 'summarised' | 'finished' | 'running' | 'open' | 'cancelled';
  const kinds: Kind[] = shuffle(rand, [
    ...Array<Kind>(nSummaries).fill('summarised'),
    ...Array<Kind>(nFinished).fill('finished'),
    ...Array<Kind>(nCancelled).fill('cancelled'),
  ]);
  kinds.push(...Array<Kind>(nRunning).fill('running'), ...Array<Kind>(nOpen).fill('open'));
  const fill = nActivities - kinds.length;
  for (let k = 0; k < fill; k++) kinds.unshift('summarised');

  const planIds = await allocIds(ex, 'activity_plans', nPlans);
  const activityIds = await allocIds(ex, 'activities', nActivities);
  const plans: Plan[] = [];
  const activities: (Record<string, unknown> & {
    id: number;
    kind: Kind;
    org: WorldOrg;
    start: Date;
    end: Date;
    openAt: Date;
    capacity: number;
    creator: number;
  })[] = [];
  const events: Ev[] = [];
  const publishedThemes = themes.filter((t) => t.published_at);
  const themeBefore = (d: Date) => {
    const before = publishedThemes.filter((t) => Date.parse(t.published_at!) <= d.getTime());
    return before.length && rand.next() < 0.85 ? rand.pick(before.slice(-3)).id : null;
  };
  const capacityOf = (org: WorldOrg) =>
    org.depth === 0 ? rand.int(6, 20) * 10 : o.fraction >= 1 ? rand.int(2, 10) * 10 : rand.int(3, 10) * 5;

  const planRow = (id: number, org: WorldOrg, cat: CategoryCode, start: Date, end: Date, createdAt: Date) => {
    const title = `${placeOf(org)}${rand.pick(TITLES[cat])}`.slice(0, 100);
    const own = world.gridsByOrg.get(org.id) ?? [];
    const gridIds = own.length ? sample(rand, own, rand.int(1, Math.min(2, own.length))).map((g) => g.id) : [];
    const budgetYuan = rand.int(0, 10) * 500;
    return {
      id,
      district_id: districtId,
      theme_id: themeBefore(createdAt),
      org_id: org.id,
      title,
      purpose: `围绕${title}，组织辖区青年参与志愿服务，服务群众、凝聚青年。`,
      category_id: catOf(cat).id,
      grid_ids: gridIds,
      venue: `${placeOf(org)}${rand.pick(VENUES)}`.slice(0, 200),
      starts_at: iso(start),
      ends_at: iso(end),
      capacity: capacityOf(org),
      budget_fen: budgetYuan * 100,
      resources: rand.next() < 0.5 ? '场地、音响、志愿者马甲' : null,
      team: rand.next() < 0.6 ? `${placeOf(org)}青年志愿服务队` : null,
      brand_project: rand.next() < 0.08,
      grid_project: gridIds.length > 0 && rand.next() < 0.6,
      status: 'approved',
      review_note: null as string | null,
      created_by: actorOf(world, org),
      created_at: iso(createdAt),
      updated_at: iso(createdAt),
      org,
    };
  };
  const approverOf = (org: WorldOrg) =>
    org.depth >= 2 && org.townId !== null ? (world.townAdmin.get(org.townId) ?? world.adminId) : world.adminId;
  const ev = (
    planId: number,
    activityId: number | null,
    action: string,
    from: string | null,
    to: string,
    by: number,
    at: Date,
    note: string | null = null,
  ) =>
    events.push({
      plan_id: planId,
      activity_id: activityId,
      action,
      from_status: from,
      to_status: to,
      actor_account_id: by,
      note,
      at: iso(at),
    });

  for (let i = 0; i < nActivities; i++) {
    const kind = kinds[i];
    const org = pickHost();
    const cat = activityCats[i];
    const hour = rand.pick([9, 14, 19]);
    let start: Date;
    if (kind === 'open') start = clock.at(rand.int(2, 8), hour);
    else if (kind === 'running') start = new Date(clock.now.getTime() - rand.int(30, 90) * 60_000);
    else if (kind === 'finished') start = clock.at(-rand.int(1, 6), hour);
    else if (kind === 'cancelled') start = clock.at(rand.int(-200, 10), hour);
    else start = clock.at(-rand.int(8, 330), hour);
    const end = clock.plusHours(start, kind === 'running' ? rand.int(2, 4) : rand.pick([2, 2.5, 3, 4]));
    let openAt =
      kind === 'open'
        ? clock.plusHours(clock.now, -rand.int(24, 120))
        : new Date(start.getTime() - rand.int(8, 20) * DAY);
    if (kind === 'cancelled' && openAt.getTime() > clock.now.getTime() - 3 * DAY)
      openAt = new Date(clock.now.getTime() - 3 * DAY);
    const approveAt = new Date(openAt.getTime() - rand.int(1, 3) * DAY - 3600_000);
    const returned = rand.next() < 0.05;
    const submitAt = new Date(approveAt.getTime() - (returned ? 3 : rand.int(1, 2)) * DAY);
    const createdAt = new Date(submitAt.getTime() - rand.int(0, 4) * DAY - 2 * 3600_000);
    const planId = planIds[i];
    const plan = planRow(planId, org, cat, start, end, createdAt);
    plan.updated_at = iso(approveAt);
    plans.push(plan);
    const owner = plan.created_by;
    const approver = approverOf(org);
    ev(planId, null, 'create', null, 'draft', owner, createdAt);
    ev(planId, null, 'submit', 'draft', 'submitted', owner, submitAt);
    if (returned) {
      ev(
        planId,
        null,
        'return',
        'submitted',
        'returned',
        approver,
        new Date(submitAt.getTime() + DAY),
        '请补充安全预案和经费明细',
      );
      ev(planId, null, 'resubmit', 'returned', 'submitted', owner, new Date(submitAt.getTime() + 2 * DAY));
    }
    ev(planId, null, 'approve', 'submitted', 'approved', approver, approveAt);
    const id = activityIds[i];
    const status: RunStatus =
      kind === 'summarised' ? 'summarised' : kind === 'finished' ? 'finished' : kind === 'running' ? 'running' : kind;
    activities.push({
      id,
      kind,
      org,
      start,
      end,
      openAt,
      capacity: plan.capacity,
      creator: owner,
      district_id: districtId,
      plan_id: planId,
      org_id: org.id,
      title: plan.title,
      category_id: plan.category_id,
      grid_ids: plan.grid_ids,
      venue: plan.venue,
      starts_at: iso(start),
      ends_at: iso(end),
      signup_opens_at: iso(openAt),
      signup_closes_at: iso(new Date(start.getTime() - DAY)),
      checkin_before_minutes: DEFAULT_CHECKIN_BEFORE_MINUTES,
      status,
      brand_project: plan.brand_project,
      grid_project: plan.grid_project,
      published_at: null as string | null,
      created_by: owner,
      created_at: iso(openAt),
      updated_at: iso(openAt),
    });
    ev(planId, id, 'open', 'approved', 'open', owner, openAt);
    if (kind === 'cancelled') {
      const at = clock.past(new Date(openAt.getTime() + 2 * DAY));
      ev(planId, id, 'cancel', 'open', 'cancelled', owner, at, '因天气原因取消');
      activities[i].updated_at = iso(at);
      continue;
    }
    if (kind === 'open') continue;
    ev(planId, id, 'start', 'open', 'running', owner, start);
    activities[i].updated_at = iso(start);
    if (kind === 'running') continue;
    ev(planId, id, 'finish', 'running', 'finished', owner, end);
    activities[i].updated_at = iso(end);
  }
  // Plans that did not (yet) become activities: awaiting approval, drafts, returned, cancelled, approved.
  for (let i = nActivities; i < nPlans; i++) {
    const status = weighted(rand, ['submitted', 'draft', 'returned', 'cancelled', 'approved'], [30, 20, 20, 15, 15]);
    const org = pickHost();
    const cat = rand.pick(CATEGORY_CODES);
    const createdAt = clock.at(-rand.int(2, 30), 10);
    const start = clock.at(rand.int(10, 40), rand.pick([9, 14, 19]));
    const plan = planRow(planIds[i], org, cat, start, clock.plusHours(start, 3), createdAt);
    plan.status = status;
    plans.push(plan);
    const owner = plan.created_by;
    const approver = approverOf(org);
    const t = (h: number) => clock.past(new Date(createdAt.getTime() + h * 3600_000));
    ev(plan.id, null, 'create', null, 'draft', owner, createdAt);
    if (status === 'draft') continue;
    ev(plan.id, null, 'submit', 'draft', 'submitted', owner, t(20));
    if (status === 'returned') {
      plan.review_note = '活动经费预算偏高，请调整后再报';
      ev(plan.id, null, 'return', 'submitted', 'returned', approver, t(44), plan.review_note);
    } else if (status === 'cancelled')
      ev(plan.id, null, 'cancel', 'submitted', 'cancelled', owner, t(30), '与其他活动时间冲突');
    else if (status === 'approved') ev(plan.id, null, 'approve', 'submitted', 'approved', approver, t(44));
    plan.updated_at = events[events.length - 1].at;
  }

  // ── sign-ups, check-ins, ratings, summaries ───────────────────────────────────────────────
  const signups: Record<string, unknown>[] = [];
  const checkins: Record<string, unknown>[] = [];
  const ratings: Record<string, unknown>[] = [];
  const summaries: Record<string, unknown>[] = [];
  type Pending = {
    activity: (typeof activities)[number];
    person: number;
    status: string;
    source: string;
    at: Date;
    cancelledAt: Date | null;
  };
  const pending: Pending[] = [];
  for (const a of activities) {
    if (a.kind === 'cancelled' || !o.withPhones) continue;
    const pool = poolOf(world, a.org);
    const closes = Date.parse(a.signup_closes_at as string);
    const windowEnd = Math.min(closes, clock.now.getTime() - 60_000);
    const share = a.kind === 'open' ? 0.2 + rand.next() * 0.6 : 0.55 + rand.next() * 0.45;
    const admitted = Math.min(pool.length, Math.round(a.capacity * share));
    const waitlisted = admitted === a.capacity && rand.next() < 0.5 ? rand.int(1, 5) : 0;
    const cancelled = rand.int(0, 2);
    const walkIns = a.kind !== 'open' && rand.next() < 0.3 ? rand.int(1, 3) : 0;
    const picked = sample(rand, pool, admitted + waitlisted + cancelled + walkIns);
    const atOf = () => new Date(a.openAt.getTime() + rand.next() * (windowEnd - a.openAt.getTime()));
    let seats = 0;
    picked.forEach((person, k) => {
      if (k < admitted + cancelled && k >= admitted) {
        // cancelled while sign-up was open: released the seat
        const at = atOf();
        pending.push({
          activity: a,
          person,
          status: 'cancelled',
          source: 'online',
          at,
          cancelledAt: clock.past(new Date(at.getTime() + DAY)),
        });
      } else if (k < admitted) {
        seats++;
        pending.push({
          activity: a,
          person,
          status: 'admitted',
          source: rand.next() < 0.5 ? 'qr' : 'online',
          at: atOf(),
          cancelledAt: null,
        });
      } else if (k < admitted + cancelled + waitlisted) {
        pending.push({ activity: a, person, status: 'waitlisted', source: 'online', at: atOf(), cancelledAt: null });
      } else {
        pending.push({
          activity: a,
          person,
          status: 'admitted',
          source: 'walk_in',
          at: new Date(a.start.getTime() + rand.int(0, 20) * 60_000),
          cancelledAt: null,
        });
      }
    });
    a.admitted_count = seats;
  }
  // Sign-ups in time order per activity (a waiting-list position is the order of ids).
  pending.sort((x, y) => x.activity.id - y.activity.id || x.at.getTime() - y.at.getTime());
  const signupIds = await allocIds(ex, 'activity_signups', pending.length);
  const attendance = new Map<number, number>();
  pending.forEach((s, k) => {
    const a = s.activity;
    const id = signupIds[k];
    signups.push({
      id,
      district_id: districtId,
      activity_id: a.id,
      person_id: s.person,
      status: s.status,
      source: s.source,
      created_at: iso(s.at),
      cancelled_at: s.cancelledAt ? iso(s.cancelledAt) : null,
    });
    if (s.status !== 'admitted' || a.kind === 'open') return;
    const walkIn = s.source === 'walk_in';
    const attends = walkIn || rand.next() < (a.kind === 'running' ? 0.6 : 0.85);
    if (!attends) return;
    const at = walkIn ? s.at : new Date(a.start.getTime() + rand.int(-DEFAULT_CHECKIN_BEFORE_MINUTES + 5, 20) * 60_000);
    if (at.getTime() > clock.now.getTime()) return;
    const method = walkIn ? 'walk_in' : rand.next() < 0.75 ? 'qr' : 'staff';
    checkins.push({
      district_id: districtId,
      activity_id: a.id,
      signup_id: id,
      method,
      by_account: method === 'qr' ? null : a.creator,
      at: iso(at),
    });
    attendance.set(a.id, (attendance.get(a.id) ?? 0) + 1);
    if (a.kind !== 'running' && rand.next() < 0.35) {
      const stars = weighted(rand, [5, 4, 3, 2, 1], [50, 35, 10, 3, 2]);
      ratings.push({
        district_id: districtId,
        activity_id: a.id,
        signup_id: id,
        stars,
        comment: rand.next() < 0.4 ? rand.pick(COMMENTS) : null,
        created_at: iso(clock.past(new Date(a.end.getTime() + rand.int(1, 48) * 3600_000))),
      });
    }
  });
  let published = 0;
  const planById = new Map(plans.map((p) => [p.id, p]));
  for (const a of activities) {
    if (a.kind !== 'summarised') continue;
    const summarisedAt = clock.past(new Date(a.end.getTime() + rand.int(1, 6) * DAY));
    const n = attendance.get(a.id) ?? 0;
    const plan = planById.get(a.plan_id as number)!;
    summaries.push({
      activity_id: a.id,
      district_id: districtId,
      text: `${a.title}顺利开展，${n}名青年签到参加，活动现场秩序良好，群众反响热烈。`,
      attendance: n,
      outcome: rand.next() < 0.6 ? '形成服务清单一份，结对帮扶对象若干户' : null,
      spend_fen: Math.floor((plan.budget_fen as number) * (0.6 + rand.next() * 0.4)),
      created_by: a.creator,
      created_at: iso(summarisedAt),
    });
    ev(a.plan_id as number, a.id, 'summarise', 'finished', 'summarised', a.creator, summarisedAt);
    a.updated_at = iso(summarisedAt);
    const publishAt = new Date(summarisedAt.getTime() + rand.int(1, 3) * DAY);
    if (rand.next() < 0.45 && publishAt.getTime() < clock.now.getTime()) {
      a.status = 'published';
      a.published_at = iso(publishAt);
      a.updated_at = iso(publishAt);
      ev(a.plan_id as number, a.id, 'publish', 'summarised', 'published', a.creator, publishAt);
      published++;
    }
  }

  await bulkInsert(
    ex,
    'activity_plans',
    [
      ['id', 'int'],
      ['district_id', 'int'],
      ['theme_id', 'int'],
      ['org_id', 'int'],
      ['title', 'text'],
      ['purpose', 'text'],
      ['category_id', 'int'],
      ['grid_ids', 'int[]'],
      ['venue', 'text'],
      ['starts_at', 'timestamptz'],
      ['ends_at', 'timestamptz'],
      ['capacity', 'int'],
      ['budget_fen', 'bigint'],
      ['resources', 'text'],
      ['team', 'text'],
      ['brand_project', 'boolean'],
      ['grid_project', 'boolean'],
      ['status', 'text'],
      ['review_note', 'text'],
      ['created_by', 'int'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    plans.map(({ org: _o, ...p }) => p),
  );
  await bulkInsert(
    ex,
    'activities',
    [
      ['id', 'int'],
      ['district_id', 'int'],
      ['plan_id', 'int'],
      ['org_id', 'int'],
      ['title', 'text'],
      ['category_id', 'int'],
      ['grid_ids', 'int[]'],
      ['venue', 'text'],
      ['starts_at', 'timestamptz'],
      ['ends_at', 'timestamptz'],
      ['capacity', 'int'],
      ['admitted_count', 'int'],
      ['signup_opens_at', 'timestamptz'],
      ['signup_closes_at', 'timestamptz'],
      ['checkin_before_minutes', 'int'],
      ['status', 'text'],
      ['brand_project', 'boolean'],
      ['grid_project', 'boolean'],
      ['published_at', 'timestamptz'],
      ['created_by', 'int'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    activities.map(({ kind: _k, org: _o, start: _s, end: _e, openAt: _a, creator: _c, ...a }) => ({
      admitted_count: 0,
      ...a,
    })),
  );
  events.sort((x, y) => x.at.localeCompare(y.at) || x.plan_id - y.plan_id);
  await bulkInsert(
    ex,
    'activity_events',
    [
      ['district_id', 'int'],
      ['plan_id', 'int'],
      ['activity_id', 'int'],
      ['action', 'text'],
      ['from_status', 'text'],
      ['to_status', 'text'],
      ['actor_account_id', 'int'],
      ['note', 'text'],
      ['at', 'timestamptz'],
    ],
    events.map((e) => ({ district_id: districtId, ...e })),
  );

  // ── calls 召集令: on two open activities and one past one; part of their sign-ups came by the call ──
  const callTargets = [
    ...activities.filter((a) => a.kind === 'open').slice(0, 2),
    ...activities.filter((a) => a.kind === 'summarised' && (a.grid_ids as number[]).length > 0).slice(0, 1),
  ];
  const callIds = await allocIds(ex, 'activity_calls', callTargets.length);
  const calls = callTargets.map((a, k) => ({
    id: callIds[k],
    district_id: districtId,
    activity_id: a.id,
    org_id: a.org_id,
    title: `${a.title}·青年召集令`.slice(0, 100),
    message: `${a.title}需要志愿者${a.capacity}名，欢迎网格青年扫码报名！`,
    category_ids: [a.category_id],
    skills: [],
    grid_ids: (a.grid_ids as number[]).length ? a.grid_ids : [],
    created_by: a.creator,
    created_at: iso(new Date(a.openAt.getTime() + 3600_000)),
  }));
  const callOf = new Map(calls.map((c) => [c.activity_id, c]));
  for (const s of signups) {
    const c = callOf.get(s.activity_id as number);
    if (c && s.source !== 'walk_in' && (s.created_at as string) >= c.created_at && rand.next() < 0.5) {
      s.source = 'call';
      s.call_id = c.id;
    }
  }
  await bulkInsert(
    ex,
    'activity_calls',
    [
      ['id', 'int'],
      ['district_id', 'int'],
      ['activity_id', 'int'],
      ['org_id', 'int'],
      ['title', 'text'],
      ['message', 'text'],
      ['category_ids', 'int[]'],
      ['skills', 'jsonb'],
      ['grid_ids', 'int[]'],
      ['created_by', 'int'],
      ['created_at', 'timestamptz'],
    ],
    calls,
  );
  // recipients: the call's rule over the registry, as when it was published
  await ex.execute(sql`UPDATE activity_calls c SET recipients = (SELECT count(*) FROM people p WHERE ${callRecipientRuleOfCall('p', 'c')})
    WHERE c.district_id = ${districtId}`);

  // Sign-ups copy the youth's name, encrypted phone and blind index, and home grid, from the registry.
  for (let i = 0; i < signups.length; i += 5000) {
    await ex.execute(sql`
      INSERT INTO activity_signups (id, district_id, activity_id, name, phone_enc, phone_idx, person_id, grid_id, call_id,
                                    status, source, created_at, cancelled_at)
      SELECT x.id, x.district_id, x.activity_id, p.name, p.phone_enc, p.phone_idx, p.id, p.home_grid_id, x.call_id,
             x.status, x.source, x.created_at, x.cancelled_at
      FROM jsonb_to_recordset(${JSON.stringify(signups.slice(i, i + 5000))}::jsonb)
           AS x(id int, district_id int, activity_id int, person_id int, call_id int, status text, source text,
                created_at timestamptz, cancelled_at timestamptz)
      JOIN people p ON p.id = x.person_id`);
  }
  const checkinColumns = [
    ['district_id', 'int'],
    ['activity_id', 'int'],
    ['signup_id', 'int'],
    ['method', 'text'],
    ['by_account', 'int'],
    ['at', 'timestamptz'],
  ] as const;
  await bulkInsert(ex, 'activity_checkins', checkinColumns, checkins);
  await bulkInsert(
    ex,
    'activity_ratings',
    [
      ['district_id', 'int'],
      ['activity_id', 'int'],
      ['signup_id', 'int'],
      ['stars', 'int'],
      ['comment', 'text'],
      ['created_at', 'timestamptz'],
    ],
    ratings,
  );
  await bulkInsert(
    ex,
    'activity_summaries',
    [
      ['activity_id', 'int'],
      ['district_id', 'int'],
      ['text', 'text'],
      ['attendance', 'int'],
      ['outcome', 'text'],
      ['spend_fen', 'bigint'],
      ['created_by', 'int'],
      ['created_at', 'timestamptz'],
    ],
    summaries,
  );

  // ── QR codes: the one the activity got when it opened, while it has not expired ────────────
  const tokens = activities
    .filter((a) => a.kind !== 'cancelled')
    .map((a) => {
      const days = Math.max(1, Math.ceil((a.end.getTime() - a.openAt.getTime()) / DAY) + 30);
      return { a, expires: new Date(a.openAt.getTime() + days * DAY) };
    })
    .filter((t) => t.expires.getTime() > clock.now.getTime())
    .map(({ a, expires }) => ({
      id: crypto.randomBytes(16).toString('base64url'),
      district_id: districtId,
      grid_id: null,
      org_id: a.org_id,
      expires_at: iso(expires),
      created_by: a.creator,
      created_at: iso(a.openAt),
      activity_id: a.id,
    }));
  await bulkInsert(
    ex,
    'registration_tokens',
    [
      ['id', 'text'],
      ['district_id', 'int'],
      ['grid_id', 'int'],
      ['org_id', 'int'],
      ['expires_at', 'timestamptz'],
      ['created_by', 'int'],
      ['created_at', 'timestamptz'],
      ['activity_id', 'int'],
    ],
    tokens,
  );

  const teams = await seedTeams(ex, world, rand, cats, clock.now);
  return {
    themes: publishedThemes.length,
    plans: plans.filter((p) => p.status !== 'draft').length,
    activities: activities.length,
    summaries: summaries.length,
    published,
    signups: signups.length,
    checkins: checkins.length,
    teams,
    calls: calls.length,
  };
}

/**
 * Service teams (服务团队): a grid volunteer team (网格志愿服务队) for most grids — a few grids are left
 * without one — and caring, professional and other teams of towns, villages and the district, as many
 * in all as Keqiao's ratio of teams to grids gives, categories in Keqiao's proportions. Each team has
 * members of the registry near it, 2 backbones and (mostly) 2 reserve backbones.
 */
async function seedTeams(ex: Executor, world: World, rand: Rand, cats: Cat[], now: Date): Promise<number> {
  const F = KEQIAO_ACTIVITY_FIGURES;
  const { districtId } = world;
  const grids = world.grids;
  const totalTeams = Math.max(
    12,
    Math.round((grids.length * Object.values(F.teamsByCategory).reduce((s, n) => s + n, 0)) / F.grids),
  );
  const uncovered = new Set(sample(rand, grids, Math.max(2, Math.round(grids.length * 0.08))).map((g) => g.id));
  const gridTeams = grids.filter((g) => !uncovered.has(g.id) && (world.peopleByGrid.get(g.id)?.length ?? 0) >= 4);
  const nOther = Math.max(6, totalTeams - gridTeams.length);
  const categories = shuffle(
    rand,
    CATEGORY_CODES.flatMap((code, i) =>
      Array<CategoryCode>(apportion(gridTeams.length + nOther, Object.values(F.teamsByCategory))[i]).fill(code),
    ),
  );
  const partner = world.orgs.find((g) => g.kind === 'partner_unit') ?? null;
  const ids = await allocIds(ex, 'service_teams', gridTeams.length + nOther);
  const teams: Record<string, unknown>[] = [];
  const members: Record<string, unknown>[] = [];
  const addMembers = (teamId: number, pool: number[], reserves: number) => {
    const picked = sample(rand, pool, Math.min(pool.length, rand.int(6, 14)));
    picked.forEach((personId, k) => {
      const role = k < 2 ? 'backbone' : k < 2 + reserves ? 'reserve' : 'member';
      members.push({ team_id: teamId, person_id: personId, district_id: districtId, role });
    });
  };
  const createdAt = () => iso(new Date(now.getTime() - rand.int(20, 400) * DAY));
  gridTeams.forEach((g, k) => {
    const org = world.orgById.get(g.orgId)!;
    teams.push({
      id: ids[k],
      district_id: districtId,
      org_id: g.orgId,
      name: `${g.name}志愿服务队`.slice(0, 100),
      kind: 'grid_volunteer',
      category_id: cats.find((c) => c.code === categories[k])!.id,
      lead_org_id: null,
      lead_unit: null,
      grid_ids: [g.id],
      active: true,
      created_by: actorOf(world, org),
      created_at: createdAt(),
    });
    addMembers(ids[k], world.peopleByGrid.get(g.id) ?? [], rand.next() < 0.9 ? 2 : 1);
  });
  const hostsOfOthers = [world.root, ...world.towns, ...world.towns, ...world.villages];
  for (let k = gridTeams.length; k < ids.length; k++) {
    const org = rand.pick(hostsOfOthers);
    const kind = weighted(rand, ['caring_mentoring', 'professional', 'other'] as const, [45, 35, 20]);
    const suffix = { caring_mentoring: '关爱帮扶服务队', professional: '青年专业志愿服务队', other: '青年突击队' }[
      kind
    ];
    const pool = poolOf(world, org);
    teams.push({
      id: ids[k],
      district_id: districtId,
      org_id: org.id,
      name: `${placeOf(org)}${suffix}${k % 3 === 0 ? '' : `（${k}）`}`.slice(0, 100),
      kind,
      category_id: cats.find((c) => c.code === categories[k])!.id,
      lead_org_id: kind === 'professional' && partner && rand.next() < 0.5 ? partner.id : null,
      lead_unit: kind === 'professional' ? rand.pick(['卫生院', '司法所', '律师事务所', '职业技术学校']) : null,
      grid_ids: [],
      active: rand.next() > 0.03,
      created_by: actorOf(world, org),
      created_at: createdAt(),
    });
    addMembers(ids[k], pool, rand.next() < 0.8 ? 2 : 1);
  }
  await bulkInsert(
    ex,
    'service_teams',
    [
      ['id', 'int'],
      ['district_id', 'int'],
      ['org_id', 'int'],
      ['name', 'text'],
      ['kind', 'text'],
      ['category_id', 'int'],
      ['lead_org_id', 'int'],
      ['lead_unit', 'text'],
      ['grid_ids', 'int[]'],
      ['active', 'boolean'],
      ['created_by', 'int'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    teams.map((t) => ({ ...t, updated_at: t.created_at })),
  );
  await bulkInsert(
    ex,
    'service_team_members',
    [
      ['team_id', 'int'],
      ['person_id', 'int'],
      ['district_id', 'int'],
      ['role', 'text'],
    ],
    members,
  );
  return teams.length;
}

/** Ids of the demo's live activity QR codes (for tests). */
export async function liveActivityTokenCount(ex: Executor, districtId: number): Promise<number> {
  const r = await many<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM registration_tokens WHERE district_id = ${districtId} AND activity_id IS NOT NULL
          AND revoked_at IS NULL AND expires_at > now()`,
  );
  return r[0]?.n ?? 0;
}
