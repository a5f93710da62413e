/**
 * Deterministic benchmark data at three sizes, loaded with COPY:
 *
 *   district  1 district  (Keqiao scale: 20 towns, ~380 orgs, 1,217 grids, 138,723 youth of whom ~45k members)
 *   city      10 districts of that size (1.39 M youth, 12,170 grids)
 *   province  90 districts, 111,111 youth each (10.0 M youth, 109,530 grids, 34,290 orgs)
 *
 *   npm run bench -- generate --size district|city|province [--db postgresql] [--seed 2026] [--now <ISO instant>]
 *
 * On PostgreSQL it creates (replacing) the database `jw_gen_<size>` next to TEST_DATABASE_URL, migrates it and
 * streams every table with `COPY … FROM STDIN` (pg-copy-streams); the other benchmarks reuse it
 * (`bench/tree.ts --size province`). On PGlite (district size) it runs in process and COPYs from blobs.
 * Triggers are off during the load (session_replication_role = replica: no roll-up or dashboard trigger, no foreign
 * key check) and the indexes of the big tables are built after it; then everything the triggers keep is recounted
 * from the base tables: org_rollups with jw_rollup_rebuild() (migration 0013) and dashboard_counts plus
 * activity_participation with jw_dash_rebuild() (migration 0020) — the functions a restore and the migrations use.
 * No audit rows are written (the data is generated, not done by anybody), so the audit hash chain (0012/0021) is
 * empty and consistent; service_order_events and fund_entries only refuse UPDATE/DELETE, which the load never does.
 * Every sequence is set past the loaded ids. After the load the dashboard counters of district 1 are compared with a
 * plain GROUP BY over the base tables (`countersEqual` in the result; the run fails when they differ).
 *
 * Identifiers: every person has a unique, valid ID number and mobile number; their blind indexes are the real
 * HMAC-SM3 (PiiCipher.blindIndex) of those values, so de-duplication and lookups behave as in production. The
 * ciphertexts are real PiiCipher.encrypt output; at district size each is the person's own, at city and province
 * size (20 M encryptions would take longer than the load) they are drawn from 4,096 ciphertexts encrypted once,
 * i.e. synthetic ciphertext: decrypting one shows a pool number, not the person's. The key is fixed by the seed.
 *
 * Use data ("a year of use", per district, in the proportions of the full demo seed, server/seed/: Keqiao's
 * 138,723 youth and 1,217 grids; `scale` = the district's youth / 138,723, i.e. 1 at district and city size, 0.80 in
 * the province), generated with the demo's own rules (same status mix, time line, capacities, attendance and rating
 * probabilities — ported from demo-activities.ts, demo-orders.ts and demo-notices.ts, not called, because those
 * write row by row through INSERT … SELECT), dated relative to `--now` (default: the current hour):
 * - activities: 1,905 × scale a year = 13.7 per 1,000 youth (Keqiao's 89 themes, 2,018 plans, 1,826 summaries;
 *   1.2 % open for sign-up, 4 running, 1 % cancelled, 45 % of the summarised ones published), each with its plan
 *   and its plan's and activity's events. Sign-ups of registry youth near the organiser (its village, else its
 *   town, else the district): 55–100 % of capacity (20–100 seats, 60–200 at the district), 0–2 cancelled, a
 *   waiting list when full, walk-ins at 30 % of activities — 0.70 sign-ups per youth (the demo: 99,269, 0.72);
 *   check-ins for 85 % of the admitted (60 % while running), walk-ins always — 0.58 per youth (demo 82,203,
 *   0.59); ratings by 35 % of those who checked in; summaries whose attendance is the check-in count;
 *   admitted_count = the seats taken. Not generated: theme ideas,
 *   plan comments, calls, service teams, activity QR codes (nothing on the dashboard reads them).
 * - service orders: 600 × scale = 4.3 per 1,000 youth, over the ten states in the demo's weights (62 % rated,
 *   8 % done, the rest open, returned, rejected or cancelled), each walked through the workflow with its events,
 *   dispatches (declines and re-dispatches), deadline reminders where a deadline passed, the deadline jobs of the
 *   open ones, a rating per rated order and a review per dissatisfied rating; requesters are registry youth (name,
 *   ciphertext and blind index copied). Two menu items per district (the branch kinds of the demo's menu).
 * - notices: the demo's seven per district — six from the district to its 20 towns, one from the first town to
 *   its villages and grids (210 receipts per district) — with the receipts' fates of the demo: 62 % of those
 *   with a responsible cadre acknowledged on time, 15 % after the first escalation, 10 % after the second, 13 %
 *   never (villages and grids have no cadre account here: never), the escalations and their re-sends (recorded).
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { from as copyFrom } from 'pg-copy-streams';
import { DEFAULT_CATEGORIES, DEFAULT_CHECKIN_BEFORE_MINUTES } from '../domain/activity.ts';
import { idCheckChar } from '../domain/identity.ts';
import {
  ACK_CHANNELS,
  DEFAULT_NOTICE_SETTINGS,
  DEFAULT_TARGET_ORG_KINDS,
  deadlineSecondsOf,
  type NoticePriority,
} from '../domain/notice.ts';
import {
  DEFAULT_DEADLINE_HOURS,
  makeTrackingNo,
  type OrderCategory,
  type OrderClassification,
  type OrderSource,
  type OrderStatus,
} from '../domain/order.ts';
import { CONSENT_VERSION, PERSON_CATEGORIES } from '../domain/person.ts';
import { Database } from '../server/db/client.ts';
import { PiiCipher } from '../server/lib/crypto.ts';
import { pinyinKeys } from '../server/lib/pinyin.ts';
import { hashPassword } from '../server/modules/auth/password.ts';
import { DEADLINE_JOB } from '../server/modules/orders/orders-more.service.ts';
import { chineseName, seededRandom } from '../server/seed/demo.ts';
import { KEQIAO_ACTIVITY_FIGURES } from '../server/seed/demo-activities.ts';
import {
  actorOf,
  apportion,
  DAY,
  placeOf,
  poolOf,
  type Rand,
  sample,
  shanghaiClock,
  shuffle,
  type World,
  type WorldGrid,
  type WorldOrg,
  weighted,
} from '../server/seed/demo-bulk.ts';

export const SIZES = {
  district: { districts: 1, youthPerDistrict: 138_723 },
  city: { districts: 10, youthPerDistrict: 138_723 },
  province: { districts: 90, youthPerDistrict: 111_111 },
} as const;
export type Size = keyof typeof SIZES;

export const TOWNS_PER_DISTRICT = 20;
export const VILLAGES_PER_TOWN = 18;
export const GRIDS_PER_DISTRICT = 1217;
export const BENCH_PASSWORD = 'Bench2026pass';
/** The demo district's youth (full scale): the use data of a district is in proportion to its youth. */
export const DEMO_YOUTH = 138_723;
/** The demo's orders at full scale (server/seed/demo-activity-data.ts). */
export const DEMO_ORDERS = 600;

/** The cipher of the generated data: keys derived from the seed, so a run is reproducible. */
export function benchCipher(seed: number): PiiCipher {
  const k = (label: string) => crypto.createHash('sha256').update(`${label}:${seed}`).digest();
  return new PiiCipher(k('data'), k('index'));
}

export type GenerateResult = {
  size: Size;
  districts: number;
  orgs: number;
  grids: number;
  people: number;
  members: number;
  accounts: number;
  /** the instant the use data is dated from */
  now: string;
  /** rows loaded per table (use data and the counters rebuilt after the load) */
  rows: Record<string, number>;
  seconds: Record<string, number>;
  /** dashboard_counts of district 1 = a plain GROUP BY over the base tables */
  countersEqual: boolean;
  counterMismatches: string[];
};

/** Text-format COPY field. Our generated values hold no tab, newline or backslash except where escaped here. */
const f = (v: string | number | boolean | null) =>
  v === null
    ? '\\N'
    : typeof v === 'string'
      ? v.replace(/[\\\t\n]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\\\'))
      : String(v);
type Val = string | number | boolean | null;
const line = (values: Val[]) => `${values.map(f).join('\t')}\n`;
const pgArray = (ids: readonly number[]) => `{${ids.join(',')}}`;
const iso = (t: number | Date) => new Date(t).toISOString();

type Copier = (table: string, columns: string[], rows: AsyncIterable<string> | Iterable<string>) => Promise<void>;

function copierFor(database: Database, client: any): Copier {
  if (database.pglite) {
    return async (table, columns, rows) => {
      let chunk: string[] = [];
      let size = 0;
      const flush = async () => {
        if (!chunk.length) return;
        await database.pglite!.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], {
          blob: new Blob(chunk),
        });
        chunk = [];
        size = 0;
      };
      for await (const r of rows as AsyncIterable<string>) {
        chunk.push(r);
        size += r.length;
        if (size > 8_000_000) await flush();
      }
      await flush();
    };
  }
  return async (table, columns, rows) => {
    const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    // Batch lines into ~256 KB chunks so the stream is not dominated by per-line overhead.
    async function* batched() {
      let buf = '';
      for await (const r of rows as AsyncIterable<string>) {
        buf += r;
        if (buf.length > 262_144) {
          yield buf;
          buf = '';
        }
      }
      if (buf) yield buf;
    }
    await pipeline(Readable.from(batched()), stream);
  };
}

// ── use data: the tables, their COPY columns, and a district's rows ───────────────────────────────────

const USE_COLUMNS = {
  activity_categories: ['id', 'district_id', 'code', 'name', 'sort_order'],
  activity_themes: [
    'id',
    'district_id',
    'org_id',
    'title',
    'description',
    'deadline',
    'status',
    'published_at',
    'created_by',
    'created_at',
  ],
  activity_plans: [
    'id',
    'district_id',
    'theme_id',
    'org_id',
    'title',
    'purpose',
    'category_id',
    'grid_ids',
    'venue',
    'starts_at',
    'ends_at',
    'capacity',
    'budget_fen',
    'resources',
    'team',
    'brand_project',
    'grid_project',
    'status',
    'review_note',
    'created_by',
    'created_at',
    'updated_at',
  ],
  activities: [
    'id',
    'district_id',
    'plan_id',
    'org_id',
    'title',
    'category_id',
    'grid_ids',
    'venue',
    'starts_at',
    'ends_at',
    'capacity',
    'admitted_count',
    'signup_opens_at',
    'signup_closes_at',
    'checkin_before_minutes',
    'status',
    'brand_project',
    'grid_project',
    'published_at',
    'created_by',
    'created_at',
    'updated_at',
  ],
  activity_events: [
    'id',
    'district_id',
    'plan_id',
    'activity_id',
    'action',
    'from_status',
    'to_status',
    'actor_account_id',
    'note',
    'at',
  ],
  activity_signups: [
    'id',
    'district_id',
    'activity_id',
    'name',
    'phone_enc',
    'phone_idx',
    'person_id',
    'grid_id',
    'status',
    'source',
    'created_at',
    'cancelled_at',
  ],
  activity_checkins: ['id', 'district_id', 'activity_id', 'signup_id', 'method', 'by_account', 'at'],
  activity_ratings: ['id', 'district_id', 'activity_id', 'signup_id', 'stars', 'comment', 'created_at'],
  activity_summaries: [
    'activity_id',
    'district_id',
    'text',
    'attendance',
    'outcome',
    'spend_fen',
    'created_by',
    'created_at',
  ],
  service_menu_items: ['id', 'district_id', 'org_id', 'category', 'title', 'description', 'created_at', 'updated_at'],
  service_orders: [
    'id',
    'district_id',
    'tracking_no',
    'source',
    'category',
    'title',
    'description',
    'address',
    'grid_id',
    'org_id',
    'menu_item_id',
    'requester_name',
    'requester_phone_enc',
    'requester_phone_idx',
    'classification',
    'status',
    'status_reason',
    'assignee_org_id',
    'respond_due_at',
    'complete_due_at',
    'classified_at',
    'dispatched_at',
    'accepted_at',
    'started_at',
    'done_at',
    'rated_at',
    'closed_at',
    'dispatch_count',
    'completion_note',
    'created_by',
    'created_at',
    'updated_at',
    'planned_participants',
    'participants',
  ],
  service_order_dispatches: [
    'id',
    'district_id',
    'order_id',
    'org_id',
    'dispatched_by',
    'dispatched_at',
    'respond_due_at',
    'outcome',
    'responded_at',
    'reason',
  ],
  service_order_events: [
    'id',
    'district_id',
    'order_id',
    'account_id',
    'actor_kind',
    'action',
    'from_status',
    'to_status',
    'org_id',
    'note',
    'internal',
    'at',
  ],
  service_order_ratings: [
    'id',
    'district_id',
    'order_id',
    'org_id',
    'score',
    'comment',
    'by_kind',
    'account_id',
    'created_at',
  ],
  service_order_reviews: [
    'id',
    'district_id',
    'order_id',
    'org_id',
    'score',
    'comment',
    'by_kind',
    'status',
    'resolution',
    'resolved_by',
    'resolved_at',
    'created_at',
  ],
  service_order_reminders: [
    'id',
    'district_id',
    'order_id',
    'org_id',
    'kind',
    'dispatch_no',
    'due_at',
    'created_at',
    'delivered_at',
  ],
  jobs: ['id', 'kind', 'payload', 'run_at'],
  notices: [
    'id',
    'district_id',
    'sender_account_id',
    'sender_org_id',
    'title',
    'body',
    'priority',
    'deadline_seconds',
    'target_spec',
    'target_count',
    'sent_at',
  ],
  notice_targets: [
    'id',
    'district_id',
    'notice_id',
    'org_id',
    'grid_id',
    'level',
    'responsible_account_ids',
    'deadline_at',
    'acknowledged_at',
    'acknowledged_by',
    'ack_channel',
    'escalation_level',
    'escalated_at',
  ],
  notice_escalations: [
    'id',
    'district_id',
    'notice_id',
    'target_id',
    'level',
    'alerted_account_ids',
    'resend_channel',
    'created_at',
  ],
  notice_deliveries: [
    'id',
    'district_id',
    'notice_id',
    'target_id',
    'account_id',
    'channel',
    'purpose',
    'status',
    'attempts',
    'created_at',
    'sent_at',
  ],
} as const satisfies Record<string, readonly string[]>;
type UseTable = keyof typeof USE_COLUMNS;
/** Tables big enough in the province that their secondary indexes are built after the load. */
const BULK_TABLES = ['people', 'activity_signups', 'activity_checkins', 'activity_ratings', 'activity_events'];

/** The rows of one district, per table (COPYed when the district is done). */
class Rows {
  readonly lines = new Map<UseTable, string[]>();
  add(table: UseTable, values: Val[]) {
    let l = this.lines.get(table);
    if (!l) {
      l = [];
      this.lines.set(table, l);
    }
    l.push(line(values));
  }
}

/** Ids of every table, counted across districts (COPY gives explicit ids; the sequences are set after). */
class Ids {
  private readonly last = new Map<string, number>();
  next(table: string): number {
    const n = (this.last.get(table) ?? 0) + 1;
    this.last.set(table, n);
    return n;
  }
}

/** A district's registry as the use data copies it: person id → name, phone ciphertext and blind index, grid. */
type Folk = { first: number; name: string[]; enc: string[]; idx: string[]; grid: (number | null)[] };
type Clock = ReturnType<typeof shanghaiClock>;
type Ctx = { rows: Rows; ids: Ids; w: World; folk: Folk; clock: Clock; scale: number };

const CATEGORY_CODES = ['livelihood', 'industry', 'education', 'culture'] as const;
type CategoryCode = (typeof CATEGORY_CODES)[number];
const TITLES: Record<CategoryCode, string[]> = {
  livelihood: ['关爱空巢老人志愿服务', '四点半课堂', '邻里互助日', '垃圾分类宣传', '义务理发进村', '河小二巡河护水'],
  industry: ['青年创业沙龙', '电商直播技能培训', '青年招聘对接会', '助农直播带货', '青年企业家结对'],
  education: ['暑期青少年公益课堂', '青年夜校·摄影', '心理健康讲座', '安全教育进校园', '亲子阅读会'],
  culture: ['青年文化礼堂宣讲', '红色观影会', '非遗体验·绍兴黄酒', '青春诵读会', '五四主题团日'],
};
const THEME_TOPICS = ['青春助力共同富裕', '我为群众办实事', '青年之家夏日行动', '垃圾分类·青年先行', '寒冬送温暖'];
const VENUES = ['文化礼堂', '青年之家', '党群服务中心', '村委会活动室', '社区广场', '新时代文明实践站'];
const COMMENTS = ['活动很有意义，下次还来', '组织得很好', '时间安排可以再早一点', '志愿者很热情', '希望多办几场'];

/** Activities of a district: themes, plans, activities, events, sign-ups, check-ins, ratings, summaries. */
function genActivities(c: Ctx, rand: Rand, cat: Record<CategoryCode, number>) {
  const { rows, ids, w, folk, clock } = c;
  const F = KEQIAO_ACTIVITY_FIGURES;
  const d = w.districtId;
  const now = clock.now.getTime();
  const nActivities = Math.max(40, Math.round(F.activities * c.scale));
  const nOpen = Math.max(6, Math.round(nActivities * 0.012));
  const nRunning = nActivities >= 500 ? 4 : 2;
  const nCancelled = Math.max(2, Math.round(nActivities * 0.01));
  const nSummaries = Math.min(
    Math.round(F.summaries * (nActivities / F.activities)),
    nActivities - nOpen - nRunning - nCancelled - 3,
  );
  const nFinished = nActivities - nSummaries - nOpen - nRunning - nCancelled;
  const nPlans = Math.max(nActivities + 8, Math.round(F.plans * (nActivities / F.activities)));
  const nThemes = Math.max(6, Math.round(F.themes * (nActivities / F.activities)));

  // themes: published over the past ~11 months, the last few still soliciting ideas
  const nSoliciting = Math.max(2, Math.round(nThemes * 0.05));
  const themeOrgs = [w.root, ...w.towns];
  const publishedThemes: { id: number; at: number }[] = [];
  for (let i = 0; i < nThemes; i++) {
    const id = ids.next('activity_themes');
    const soliciting = i >= nThemes - nSoliciting;
    const publishedAt = soliciting ? null : clock.at(-340 + Math.floor((i * 320) / (nThemes - nSoliciting)), 10);
    const createdAt = publishedAt ? new Date(publishedAt.getTime() - 20 * DAY) : clock.at(-rand.int(3, 15), 9);
    const deadline = publishedAt ? new Date(publishedAt.getTime() - 2 * DAY) : clock.at(rand.int(5, 20), 18);
    const org = rand.next() < 0.4 ? w.root : rand.pick(themeOrgs);
    const topic = THEME_TOPICS[i % THEME_TOPICS.length];
    rows.add('activity_themes', [
      id,
      d,
      org.id,
      `“${topic}”活动金点子征集`,
      `面向辖区青年征集“${topic}”主题活动创意，优秀点子将纳入活动方案。`,
      iso(deadline),
      soliciting ? 'soliciting' : 'published',
      publishedAt ? iso(publishedAt) : null,
      actorOf(w, org),
      iso(createdAt),
    ]);
    if (publishedAt) publishedThemes.push({ id, at: publishedAt.getTime() });
  }
  const themeBefore = (t: number) => {
    const before = publishedThemes.filter((x) => x.at <= t);
    return before.length && rand.next() < 0.85 ? rand.pick(before.slice(-3)).id : null;
  };

  // plans and activities
  const hosts = { root: [w.root], towns: w.towns, villages: w.villages };
  const pickHost = (): WorldOrg => {
    const kind = weighted(rand, ['root', 'others', 'towns', 'villages'] as const, [8, 7, 40, 45]);
    return rand.pick(kind === 'others' ? w.towns : hosts[kind]);
  };
  const activityCats = shuffle(
    rand,
    CATEGORY_CODES.flatMap((code, i) =>
      Array<CategoryCode>(apportion(nActivities, Object.values(F.activitiesByCategory))[i]).fill(code),
    ),
  );
  type Kind = 'summarised' | 'finished' | 'running' | 'open' | 'cancelled';
  const kinds: Kind[] = shuffle(rand, [
    ...Array<Kind>(nSummaries).fill('summarised'),
    ...Array<Kind>(nFinished).fill('finished'),
    ...Array<Kind>(nCancelled).fill('cancelled'),
  ]);
  kinds.push(...Array<Kind>(nRunning).fill('running'), ...Array<Kind>(nOpen).fill('open'));
  type Plan = {
    id: number;
    org: WorldOrg;
    themeId: number | null;
    title: string;
    categoryId: number;
    gridIds: number[];
    venue: string;
    start: number;
    end: number;
    capacity: number;
    budgetFen: number;
    resources: string | null;
    team: string | null;
    brand: boolean;
    gridProject: boolean;
    status: string;
    reviewNote: string | null;
    createdBy: number;
    createdAt: number;
    updatedAt: number;
  };
  type Act = {
    id: number;
    kind: Kind;
    plan: Plan;
    openAt: number;
    status: string;
    admitted: number;
    publishedAt: number | null;
    updatedAt: number;
  };
  type Ev = [
    planId: number,
    activityId: number | null,
    action: string,
    from: string | null,
    to: string,
    by: number,
    at: number,
    note: string | null,
  ];
  const plans: Plan[] = [];
  const acts: Act[] = [];
  const events: Ev[] = [];
  const ev = (
    planId: number,
    activityId: number | null,
    action: string,
    from: string | null,
    to: string,
    by: number,
    at: number,
    note: string | null = null,
  ) => events.push([planId, activityId, action, from, to, by, at, note]);
  const approverOf = (org: WorldOrg) =>
    org.depth >= 2 && org.townId !== null ? (w.townAdmin.get(org.townId) ?? w.adminId) : w.adminId;
  const planOf = (org: WorldOrg, code: CategoryCode, start: number, end: number, createdAt: number): Plan => {
    const title = `${placeOf(org)}${rand.pick(TITLES[code])}`.slice(0, 100);
    const own = w.gridsByOrg.get(org.id) ?? [];
    const gridIds = own.length ? sample(rand, own, rand.int(1, Math.min(2, own.length))).map((g) => g.id) : [];
    const budgetFen = rand.int(0, 10) * 500 * 100;
    return {
      id: ids.next('activity_plans'),
      org,
      themeId: themeBefore(createdAt),
      title,
      categoryId: cat[code],
      gridIds,
      venue: `${placeOf(org)}${rand.pick(VENUES)}`.slice(0, 200),
      start,
      end,
      capacity: org.depth === 0 ? rand.int(6, 20) * 10 : rand.int(2, 10) * 10,
      budgetFen,
      resources: rand.next() < 0.5 ? '场地、音响、志愿者马甲' : null,
      team: rand.next() < 0.6 ? `${placeOf(org)}青年志愿服务队` : null,
      brand: rand.next() < 0.08,
      gridProject: gridIds.length > 0 && rand.next() < 0.6,
      status: 'approved',
      reviewNote: null,
      createdBy: actorOf(w, org),
      createdAt,
      updatedAt: createdAt,
    };
  };
  const hoursLater = (t: number, h: number) => t + h * 3600_000;
  for (let i = 0; i < nActivities; i++) {
    const kind = kinds[i];
    const org = pickHost();
    const hour = rand.pick([9, 14, 19]);
    let start: number;
    if (kind === 'open') start = clock.at(rand.int(2, 8), hour).getTime();
    else if (kind === 'running') start = now - rand.int(30, 90) * 60_000;
    else if (kind === 'finished') start = clock.at(-rand.int(1, 6), hour).getTime();
    else if (kind === 'cancelled') start = clock.at(rand.int(-200, 10), hour).getTime();
    else start = clock.at(-rand.int(8, 330), hour).getTime();
    const end = hoursLater(start, kind === 'running' ? rand.int(2, 4) : rand.pick([2, 2.5, 3, 4]));
    let openAt = kind === 'open' ? hoursLater(now, -rand.int(24, 120)) : start - rand.int(8, 20) * DAY;
    if (kind === 'cancelled' && openAt > now - 3 * DAY) openAt = now - 3 * DAY;
    const approveAt = openAt - rand.int(1, 3) * DAY - 3600_000;
    const returned = rand.next() < 0.05;
    const submitAt = approveAt - (returned ? 3 : rand.int(1, 2)) * DAY;
    const createdAt = submitAt - rand.int(0, 4) * DAY - 2 * 3600_000;
    const plan = planOf(org, activityCats[i], start, end, createdAt);
    plan.updatedAt = approveAt;
    plans.push(plan);
    const owner = plan.createdBy;
    const approver = approverOf(org);
    ev(plan.id, null, 'create', null, 'draft', owner, createdAt);
    ev(plan.id, null, 'submit', 'draft', 'submitted', owner, submitAt);
    if (returned) {
      ev(plan.id, null, 'return', 'submitted', 'returned', approver, submitAt + DAY, '请补充安全预案和经费明细');
      ev(plan.id, null, 'resubmit', 'returned', 'submitted', owner, submitAt + 2 * DAY);
    }
    ev(plan.id, null, 'approve', 'submitted', 'approved', approver, approveAt);
    const a: Act = {
      id: ids.next('activities'),
      kind,
      plan,
      openAt,
      status: kind,
      admitted: 0,
      publishedAt: null,
      updatedAt: openAt,
    };
    acts.push(a);
    ev(plan.id, a.id, 'open', 'approved', 'open', owner, openAt);
    if (kind === 'cancelled') {
      const at = Math.min(openAt + 2 * DAY, now - 60_000);
      ev(plan.id, a.id, 'cancel', 'open', 'cancelled', owner, at, '因天气原因取消');
      a.updatedAt = at;
      continue;
    }
    if (kind === 'open') continue;
    ev(plan.id, a.id, 'start', 'open', 'running', owner, start);
    a.updatedAt = start;
    if (kind === 'running') continue;
    ev(plan.id, a.id, 'finish', 'running', 'finished', owner, end);
    a.updatedAt = end;
  }
  // plans that did not (yet) become activities
  for (let i = nActivities; i < nPlans; i++) {
    const status = weighted(rand, ['submitted', 'draft', 'returned', 'cancelled', 'approved'], [30, 20, 20, 15, 15]);
    const org = pickHost();
    const code = rand.pick(CATEGORY_CODES);
    const createdAt = clock.at(-rand.int(2, 30), 10).getTime();
    const start = clock.at(rand.int(10, 40), rand.pick([9, 14, 19])).getTime();
    const plan = planOf(org, code, start, hoursLater(start, 3), createdAt);
    plan.status = status;
    plans.push(plan);
    const owner = plan.createdBy;
    const t = (h: number) => Math.min(createdAt + h * 3600_000, now - 60_000);
    ev(plan.id, null, 'create', null, 'draft', owner, createdAt);
    if (status === 'draft') continue;
    ev(plan.id, null, 'submit', 'draft', 'submitted', owner, t(20));
    if (status === 'returned') {
      plan.reviewNote = '活动经费预算偏高，请调整后再报';
      ev(plan.id, null, 'return', 'submitted', 'returned', approverOf(org), t(44), plan.reviewNote);
    } else if (status === 'cancelled')
      ev(plan.id, null, 'cancel', 'submitted', 'cancelled', owner, t(30), '与其他活动时间冲突');
    else if (status === 'approved') ev(plan.id, null, 'approve', 'submitted', 'approved', approverOf(org), t(44));
    plan.updatedAt = events[events.length - 1][6];
  }

  // sign-ups, check-ins, ratings
  type Pending = { a: Act; person: number; status: string; source: string; at: number; cancelledAt: number | null };
  const pending: Pending[] = [];
  for (const a of acts) {
    if (a.kind === 'cancelled') continue;
    const pool = poolOf(w, a.plan.org);
    const closes = a.plan.start - DAY;
    const windowEnd = Math.min(closes, now - 60_000);
    const share = a.kind === 'open' ? 0.2 + rand.next() * 0.6 : 0.55 + rand.next() * 0.45;
    const admitted = Math.min(pool.length, Math.round(a.plan.capacity * share));
    const waitlisted = admitted === a.plan.capacity && rand.next() < 0.5 ? rand.int(1, 5) : 0;
    const cancelled = rand.int(0, 2);
    const walkIns = a.kind !== 'open' && rand.next() < 0.3 ? rand.int(1, 3) : 0;
    const picked = sample(rand, pool, admitted + waitlisted + cancelled + walkIns);
    const atOf = () => a.openAt + rand.next() * (windowEnd - a.openAt);
    let seats = 0;
    picked.forEach((person, k) => {
      if (k < admitted + cancelled && k >= admitted) {
        const at = atOf();
        pending.push({
          a,
          person,
          status: 'cancelled',
          source: 'online',
          at,
          cancelledAt: Math.min(at + DAY, now - 60_000),
        });
      } else if (k < admitted) {
        seats++;
        pending.push({
          a,
          person,
          status: 'admitted',
          source: rand.next() < 0.5 ? 'qr' : 'online',
          at: atOf(),
          cancelledAt: null,
        });
      } else if (k < admitted + cancelled + waitlisted) {
        pending.push({ a, person, status: 'waitlisted', source: 'online', at: atOf(), cancelledAt: null });
      } else {
        const at = a.plan.start + rand.int(0, 20) * 60_000;
        pending.push({ a, person, status: 'admitted', source: 'walk_in', at, cancelledAt: null });
      }
    });
    a.admitted = seats;
  }
  pending.sort((x, y) => x.a.id - y.a.id || x.at - y.at);
  const attendance = new Map<number, number>();
  for (const s of pending) {
    const a = s.a;
    const id = ids.next('activity_signups');
    const p = s.person - folk.first;
    rows.add('activity_signups', [
      id,
      d,
      a.id,
      folk.name[p],
      folk.enc[p],
      folk.idx[p],
      s.person,
      folk.grid[p],
      s.status,
      s.source,
      iso(Math.floor(s.at)),
      s.cancelledAt === null ? null : iso(Math.floor(s.cancelledAt)),
    ]);
    if (s.status !== 'admitted' || a.kind === 'open') continue;
    const walkIn = s.source === 'walk_in';
    const attends = walkIn || rand.next() < (a.kind === 'running' ? 0.6 : 0.85);
    if (!attends) continue;
    const at = walkIn ? s.at : a.plan.start + rand.int(-DEFAULT_CHECKIN_BEFORE_MINUTES + 5, 20) * 60_000;
    if (at > now) continue;
    const method = walkIn ? 'walk_in' : rand.next() < 0.75 ? 'qr' : 'staff';
    rows.add('activity_checkins', [
      ids.next('activity_checkins'),
      d,
      a.id,
      id,
      method,
      method === 'qr' ? null : a.plan.createdBy,
      iso(Math.floor(at)),
    ]);
    attendance.set(a.id, (attendance.get(a.id) ?? 0) + 1);
    if (a.kind !== 'running' && rand.next() < 0.35) {
      const stars = weighted(rand, [5, 4, 3, 2, 1], [50, 35, 10, 3, 2]);
      rows.add('activity_ratings', [
        ids.next('activity_ratings'),
        d,
        a.id,
        id,
        stars,
        rand.next() < 0.4 ? rand.pick(COMMENTS) : null,
        iso(Math.min(a.plan.end + rand.int(1, 48) * 3600_000, now - 60_000)),
      ]);
    }
  }
  // summaries (attendance = the check-ins) and publication
  for (const a of acts) {
    if (a.kind !== 'summarised') continue;
    const summarisedAt = Math.min(a.plan.end + rand.int(1, 6) * DAY, now - 60_000);
    const n = attendance.get(a.id) ?? 0;
    rows.add('activity_summaries', [
      a.id,
      d,
      `${a.plan.title}顺利开展，${n}名青年签到参加，活动现场秩序良好，群众反响热烈。`,
      n,
      rand.next() < 0.6 ? '形成服务清单一份，结对帮扶对象若干户' : null,
      Math.floor(a.plan.budgetFen * (0.6 + rand.next() * 0.4)),
      a.plan.createdBy,
      iso(summarisedAt),
    ]);
    ev(a.plan.id, a.id, 'summarise', 'finished', 'summarised', a.plan.createdBy, summarisedAt);
    a.updatedAt = summarisedAt;
    const publishAt = summarisedAt + rand.int(1, 3) * DAY;
    if (rand.next() < 0.45 && publishAt < now) {
      a.status = 'published';
      a.publishedAt = publishAt;
      a.updatedAt = publishAt;
      ev(a.plan.id, a.id, 'publish', 'summarised', 'published', a.plan.createdBy, publishAt);
    }
  }
  for (const p of plans) {
    rows.add('activity_plans', [
      p.id,
      d,
      p.themeId,
      p.org.id,
      p.title,
      `围绕${p.title}，组织辖区青年参与志愿服务，服务群众、凝聚青年。`,
      p.categoryId,
      pgArray(p.gridIds),
      p.venue,
      iso(p.start),
      iso(p.end),
      p.capacity,
      p.budgetFen,
      p.resources,
      p.team,
      p.brand,
      p.gridProject,
      p.status,
      p.reviewNote,
      p.createdBy,
      iso(p.createdAt),
      iso(p.updatedAt),
    ]);
  }
  for (const a of acts) {
    const p = a.plan;
    rows.add('activities', [
      a.id,
      d,
      p.id,
      p.org.id,
      p.title,
      p.categoryId,
      pgArray(p.gridIds),
      p.venue,
      iso(p.start),
      iso(p.end),
      p.capacity,
      a.admitted,
      iso(a.openAt),
      iso(p.start - DAY),
      DEFAULT_CHECKIN_BEFORE_MINUTES,
      a.status,
      p.brand,
      p.gridProject,
      a.publishedAt === null ? null : iso(a.publishedAt),
      p.createdBy,
      iso(a.openAt),
      iso(a.updatedAt),
    ]);
  }
  events.sort((x, y) => x[6] - y[6] || x[0] - y[0]);
  for (const e of events)
    rows.add('activity_events', [ids.next('activity_events'), d, e[0], e[1], e[2], e[3], e[4], e[5], e[7], iso(e[6])]);
}

type MenuSpec = { kinds: string[]; category: OrderCategory; title: string; group: boolean };
const MENU: MenuSpec[] = [
  { kinds: ['youth_social_org'], category: 'livelihood', title: '上门陪伴空巢老人', group: false },
  { kinds: ['partner_unit'], category: 'care', title: '青年医生进村义诊', group: true },
  { kinds: ['industry_committee'], category: 'employment', title: '快递小哥就业咨询', group: false },
  { kinds: ['community_branch', 'village_branch'], category: 'education', title: '四点半课堂', group: true },
  { kinds: ['community_branch', 'village_branch'], category: 'environment', title: '河小二护河行动', group: true },
];
const NEEDS: Record<OrderCategory, string[]> = {
  livelihood: ['独居老人家中水管漏水需维修', '帮助行动不便老人代购生活用品', '小区楼道堆物需清理'],
  education: ['暑期孩子无人看护希望开设课堂', '希望有大学生志愿者辅导作业'],
  care: ['留守儿童需要心理陪伴', '新市民子女融入困难需关爱'],
  legal: ['劳动合同纠纷需法律咨询', '租房押金纠纷咨询'],
  employment: ['希望获得电商直播培训', '返乡青年创业政策咨询'],
  culture: ['村里希望组织青年篮球赛', '文化礼堂需要青年志愿讲解员'],
  environment: ['村口河道有垃圾漂浮', '垃圾分类点需要志愿督导'],
  safety: ['夜间路段照明不足需巡查', '防诈骗宣传进企业'],
  other: ['希望开通青年之家周末开放'],
};
const CLASS_OF_SOURCE: Record<OrderSource, OrderClassification[]> = {
  party_gov: ['hard', 'non_immediate', 'non_immediate'],
  resident: ['immediate', 'immediate', 'non_immediate', 'hard'],
  menu: ['immediate', 'non_immediate'],
  youth_voice: ['immediate', 'non_immediate', 'hard'],
  visit: ['immediate', 'non_immediate'],
};
const ASSIGNEE_KINDS: Record<OrderClassification, string[]> = {
  immediate: ['youth_social_org', 'youth_club', 'village_branch', 'community_branch'],
  non_immediate: ['partner_unit', 'two_new_committee', 'industry_committee', 'business_district_committee'],
  hard: ['town_committee', 'devzone_committee', 'district_committee'],
};
const ORDER_TARGETS: OrderStatus[] = [
  'rated',
  'done',
  'in_progress',
  'accepted',
  'dispatched',
  'classified',
  'submitted',
  'returned',
  'rejected',
  'cancelled',
];
const ORDER_TARGET_WEIGHTS = [62, 8, 5, 4, 6, 3, 3, 2, 4, 3];

/** Service orders of a district, each walked through the workflow as demo-orders.ts does. */
function genOrders(c: Ctx, rand: Rand, tracking: Set<string>) {
  const { rows, ids, w, folk, clock } = c;
  const d = w.districtId;
  const now = clock.now.getTime();
  const orgsOfKind = (kinds: readonly string[]) => w.orgs.filter((g) => kinds.includes(g.kind));
  const menu: { id: number; org: WorldOrg; spec: MenuSpec }[] = [];
  for (const spec of MENU) {
    const orgs = orgsOfKind(spec.kinds).filter((g) => (g.kind.endsWith('branch') ? w.gridsByOrg.has(g.id) : true));
    if (!orgs.length) continue;
    const item = { id: ids.next('service_menu_items'), org: orgs[0], spec };
    menu.push(item);
    const at = iso(now - rand.int(200, 360) * DAY);
    rows.add('service_menu_items', [
      item.id,
      d,
      item.org.id,
      spec.category,
      spec.title,
      `${placeOf(item.org)}提供的${spec.title}服务，群众可在线点单。`,
      at,
      at,
    ]);
  }
  const quality = new Map<number, number>();
  const qualityOf = (orgId: number) => {
    if (!quality.has(orgId)) quality.set(orgId, 0.55 + rand.next() * 0.45);
    return quality.get(orgId)!;
  };
  const nOrders = Math.round(DEMO_ORDERS * c.scale);
  type Dispatch = {
    id: number;
    org: number;
    by: number;
    at: number;
    due: number;
    outcome: string;
    respondedAt: number | null;
    reason: string | null;
  };
  for (let n = 0; n < nOrders; n++) {
    const id = ids.next('service_orders');
    const target = weighted(rand, ORDER_TARGETS, ORDER_TARGET_WEIGHTS);
    const open = ['dispatched', 'accepted', 'in_progress', 'classified', 'submitted', 'returned'].includes(target);
    const source = weighted(
      rand,
      ['party_gov', 'resident', 'menu', 'youth_voice', 'visit'] as const,
      [20, 35, 20, 15, 10],
    );
    const item = source === 'menu' && menu.length ? rand.pick(menu) : null;
    const category: OrderCategory = item?.spec.category ?? rand.pick(Object.keys(NEEDS) as OrderCategory[]);
    const village = rand.pick(w.villages);
    const ownGrids = w.gridsByOrg.get(village.id) ?? [];
    const grid = ownGrids.length && rand.next() < 0.7 ? rand.pick(ownGrids) : null;
    const town = village.townId !== null ? w.orgById.get(village.townId)! : w.root;
    const dispatcher = actorOf(w, village);
    const byCadre = source === 'party_gov' || source === 'visit' || source === 'youth_voice';
    const pool = poolOf(w, village);
    const requester = source !== 'party_gov' && pool.length ? rand.pick(pool) : null;
    const classification = rand.pick(CLASS_OF_SOURCE[source]);
    const hours = DEFAULT_DEADLINE_HOURS[classification];
    let t = open
      ? now - (0.15 + rand.next() * (classification === 'hard' ? 40 : 12)) * DAY
      : now - rand.int(4, 300) * DAY;
    let trackingNo: string;
    do trackingNo = makeTrackingNo(new Date(t), rand.next);
    while (tracking.has(trackingNo));
    tracking.add(trackingNo);
    const createdAt = t;
    const r = {
      classification: null as string | null,
      status: 'submitted' as OrderStatus,
      statusReason: null as string | null,
      assignee: null as number | null,
      respondDue: null as number | null,
      completeDue: null as number | null,
      classifiedAt: null as number | null,
      dispatchedAt: null as number | null,
      acceptedAt: null as number | null,
      startedAt: null as number | null,
      doneAt: null as number | null,
      ratedAt: null as number | null,
      closedAt: null as number | null,
      dispatchCount: 0,
      completionNote: null as string | null,
      updatedAt: t,
      planned: item?.spec.group ? rand.int(2, 8) * 5 : null,
      participants: null as number | null,
    };
    const orgId = grid ? grid.orgId : village.id;
    const dispatches: Dispatch[] = [];
    const orderEvents: Val[][] = [];
    const push = (
      action: string,
      to: OrderStatus | null,
      at: number,
      e: { account?: number | null; kind?: string; org?: number | null; note?: string | null; internal?: boolean } = {},
    ) => {
      orderEvents.push([
        d,
        id,
        e.account === undefined ? dispatcher : e.account,
        e.kind ?? 'cadre',
        action,
        action === 'create' || to === null ? null : r.status,
        to,
        e.org === undefined ? r.assignee : e.org,
        e.note ?? null,
        e.internal ?? false,
        iso(Math.floor(at)),
      ]);
      if (to) r.status = to;
      r.updatedAt = at;
    };
    const step = (h: number) => {
      const at = t + h * 3600_000;
      if (at >= now - 60_000) return false;
      t = at;
      return true;
    };
    const reminder = (kind: 'respond' | 'complete', due: number) => {
      rows.add('service_order_reminders', [
        ids.next('service_order_reminders'),
        d,
        id,
        r.assignee,
        kind,
        r.dispatchCount,
        iso(due),
        iso(due + 1000),
        iso(due + 2000),
      ]);
      push(kind === 'respond' ? 'remind_respond' : 'remind_complete', r.status, due + 1000, {
        account: null,
        kind: 'system',
        note: kind === 'respond' ? '已超过响应时限，请尽快接单或退回' : '已超过办结时限，请尽快办结',
        internal: true,
      });
    };
    const job = (kind: 'respond' | 'complete', due: number) =>
      rows.add('jobs', [
        ids.next('jobs'),
        DEADLINE_JOB,
        JSON.stringify({ orderId: id, kind, dispatchNo: r.dispatchCount }),
        iso(due),
      ]);
    const waitFor = (kind: 'respond' | 'complete') => {
      const due = (kind === 'respond' ? r.respondDue : r.completeDue)!;
      if (due < now) reminder(kind, due);
      else job(kind, due);
      if (kind === 'respond') job('complete', r.completeDue!);
    };
    const walk = () => {
      const requesterAct = byCadre || requester === null;
      push('create', 'submitted', t, {
        kind: requesterAct ? 'cadre' : 'requester',
        account: requesterAct ? dispatcher : null,
        org: orgId,
      });
      if (target === 'submitted') return;
      if (target === 'rejected' || (target === 'cancelled' && rand.next() < 0.5)) {
        if (!step(rand.int(1, 20))) return;
        const reason = target === 'rejected' ? '不属于共青团服务范围，已建议联系相关部门' : '群众已自行解决，撤销工单';
        r.statusReason = reason;
        r.closedAt = t;
        push(target === 'rejected' ? 'reject' : 'cancel', target, t, { note: reason, org: null });
        return;
      }
      if (!step(0.5 + rand.next() * 5)) return;
      r.classification = classification;
      r.classifiedAt = t;
      push('classify', 'classified', t, { internal: true, org: null });
      if (target === 'classified') return;
      const kindsOf = ASSIGNEE_KINDS[classification];
      const all = orgsOfKind(kindsOf);
      const near = all.filter((g) => g.townId === village.townId || g.depth === 0 || g.townId === null);
      const list = classification === 'hard' ? [town, w.root] : near.length ? near : all;
      const candidates = item?.spec.kinds.some((k) => kindsOf.includes(k)) ? [item.org, item.org, ...list] : list;
      const declinedBy = new Set<number>();
      const dispatch = (): boolean => {
        if (!step(0.2 + rand.next() * 4)) return false;
        const choices = candidates.filter((g) => !declinedBy.has(g.id));
        const assignee = rand.pick(choices.length ? choices : [w.root]);
        r.assignee = assignee.id;
        r.dispatchedAt = t;
        r.respondDue = t + hours.respond * 3600_000;
        r.completeDue = t + hours.complete * 3600_000;
        r.dispatchCount++;
        r.acceptedAt = null;
        r.startedAt = null;
        r.statusReason = null;
        dispatches.push({
          id: ids.next('service_order_dispatches'),
          org: assignee.id,
          by: dispatcher,
          at: t,
          due: r.respondDue,
          outcome: 'pending',
          respondedAt: null,
          reason: null,
        });
        push(r.dispatchCount > 1 ? 'redispatch' : 'dispatch', 'dispatched', t, { org: assignee.id });
        return true;
      };
      const last = () => dispatches[dispatches.length - 1];
      const assigneeActor = () => actorOf(w, w.orgById.get(r.assignee!)!);
      if (!dispatch()) return;
      if (target === 'returned' || rand.next() < 0.08) {
        if (!step(hours.respond * (0.2 + rand.next() * 0.6))) return waitFor('respond');
        const reason = '本单位暂无相应服务力量，申请改派';
        Object.assign(last(), { outcome: 'declined', respondedAt: t, reason });
        declinedBy.add(r.assignee!);
        push('decline', 'returned', t, { account: assigneeActor(), note: reason, internal: true });
        r.assignee = null;
        r.statusReason = reason;
        r.respondDue = null;
        r.completeDue = null;
        if (target === 'returned') return;
        if (!dispatch()) return;
      }
      if (target === 'cancelled') {
        if (!step(rand.int(1, 10))) return waitFor('respond');
        const reason = '需求已由属地部门解决';
        Object.assign(last(), { outcome: 'withdrawn', reason });
        push('cancel', 'cancelled', t, { note: reason });
        r.statusReason = reason;
        r.closedAt = t;
        r.assignee = null;
        return;
      }
      const respondDue = r.respondDue!;
      const late = rand.next() < 0.12;
      const acceptAfter = hours.respond * (late ? 1.1 + rand.next() : 0.05 + rand.next() * 0.85);
      if (target === 'dispatched' || !step(acceptAfter)) return waitFor('respond');
      if (t > respondDue) reminder('respond', respondDue);
      Object.assign(last(), { outcome: 'accepted', respondedAt: t });
      r.acceptedAt = t;
      push('accept', 'accepted', t, { account: assigneeActor() });
      const completeDue = r.completeDue!;
      if (target === 'in_progress' || rand.next() < 0.6) {
        if (!step(0.2 + rand.next() * 3)) return waitFor('complete');
        r.startedAt = t;
        push('start', 'in_progress', t, { account: assigneeActor() });
      }
      const jobDone = () => {
        const lateDone = rand.next() < 0.1;
        const left = (completeDue - t) / 3600_000;
        const h = lateDone ? left + hours.complete * (0.05 + rand.next() * 0.3) : left * (0.1 + rand.next() * 0.8);
        return step(Math.max(0.2, h));
      };
      if (target === 'accepted' || target === 'in_progress' || !jobDone()) return waitFor('complete');
      if (t > completeDue) reminder('complete', completeDue);
      const note = item ? `已完成${item.spec.title}服务` : '已上门处理完毕，群众认可';
      r.doneAt = t;
      r.completionNote = note;
      if (r.planned) r.participants = Math.round(r.planned * (0.6 + rand.next() * 0.55));
      push('complete', 'done', t, { account: assigneeActor(), note });
      if (target === 'done' || !step(2 + rand.next() * 70)) return;
      const q = qualityOf(r.assignee!);
      const score = weighted(rand, [5, 4, 3, 2, 1], [60 * q, 25, 10 / q, 3 / q, 2 / q]);
      const byRequester = requester !== null;
      const comment = score >= 5 ? '非常满意，感谢青年志愿者' : score === 4 ? '基本满意' : '处理不够及时，不满意';
      rows.add('service_order_ratings', [
        ids.next('service_order_ratings'),
        d,
        id,
        r.assignee,
        score,
        comment,
        byRequester ? 'requester' : 'cadre',
        byRequester ? null : dispatcher,
        iso(Math.floor(t)),
      ]);
      r.ratedAt = t;
      push('rate', 'rated', t, {
        kind: byRequester ? 'requester' : 'cadre',
        account: byRequester ? null : dispatcher,
        note: `${score}★`,
      });
      if (score <= 3) {
        const closed = now - t > 20 * DAY;
        const resolvedAt = t + 2 * DAY;
        const resolution = '已电话回访群众并督促承接方整改';
        rows.add('service_order_reviews', [
          ids.next('service_order_reviews'),
          d,
          id,
          r.assignee,
          score,
          '处理不够及时，不满意',
          byRequester ? 'requester' : 'cadre',
          closed ? 'closed' : 'open',
          closed ? resolution : null,
          closed ? w.adminId : null,
          closed ? iso(Math.floor(resolvedAt)) : null,
          iso(Math.floor(t)),
        ]);
        push('review_open', null, t + 1000, {
          account: null,
          kind: 'system',
          note: `不满意评价（${score}★），已转区级复核`,
          internal: true,
        });
        if (closed) push('review_close', null, resolvedAt, { account: w.adminId, note: resolution, internal: true });
      }
    };
    walk();
    const p = requester === null ? -1 : requester - folk.first;
    const at = (v: number | null) => (v === null ? null : iso(Math.floor(v)));
    rows.add('service_orders', [
      id,
      d,
      trackingNo,
      source,
      category,
      item ? `点单：${item.spec.title}` : rand.pick(NEEDS[category]),
      item ? `申请${placeOf(item.org)}的${item.spec.title}` : '请尽快安排青年志愿者上门服务。',
      `${placeOf(village)}${rand.int(1, 200)}号`,
      grid?.id ?? null,
      orgId,
      item?.id ?? null,
      p < 0 ? null : folk.name[p],
      p < 0 ? null : folk.enc[p],
      p < 0 ? null : folk.idx[p],
      r.classification,
      r.status,
      r.statusReason,
      r.assignee,
      at(r.respondDue),
      at(r.completeDue),
      at(r.classifiedAt),
      at(r.dispatchedAt),
      at(r.acceptedAt),
      at(r.startedAt),
      at(r.doneAt),
      at(r.ratedAt),
      at(r.closedAt),
      r.dispatchCount,
      r.completionNote,
      byCadre || requester === null ? dispatcher : null,
      iso(Math.floor(createdAt)),
      iso(Math.floor(r.updatedAt)),
      r.planned,
      r.participants,
    ]);
    for (const x of dispatches)
      rows.add('service_order_dispatches', [
        x.id,
        d,
        id,
        x.org,
        x.by,
        iso(Math.floor(x.at)),
        iso(Math.floor(x.due)),
        x.outcome,
        at(x.respondedAt),
        x.reason,
      ]);
    // the timeline in time order (it is read in id order)
    orderEvents.sort((x, y) => (x[10] as string).localeCompare(y[10] as string));
    for (const e of orderEvents) rows.add('service_order_events', [ids.next('service_order_events'), ...e]);
  }
}

const NOTICE_SPECS: {
  title: string;
  body: string;
  priority: NoticePriority;
  hoursAgo: number;
  to: 'towns' | 'town';
}[] = [
  {
    title: '关于做好台风防御青年突击队集结的紧急通知',
    body: '请各镇街团委立即集结青年突击队，收到请回复。',
    priority: 'urgent',
    hoursAgo: 2,
    to: 'towns',
  },
  {
    title: '关于报送本月网格青年摸排情况的通知',
    body: '请各村（社区）团组织于本周五前完成网格青年信息核对。',
    priority: 'general',
    hoursAgo: 26,
    to: 'town',
  },
  {
    title: '关于开展“青年大学习”督学的通知',
    body: '请各镇街团委组织团员按时完成本期学习。',
    priority: 'general',
    hoursAgo: 75,
    to: 'towns',
  },
  {
    title: '关于推荐好青年候选人的通知',
    body: '请各镇街于下周三前推荐候选人 1–2 名。',
    priority: 'general',
    hoursAgo: 240,
    to: 'towns',
  },
  {
    title: '关于暑期青少年防溺水安全提醒的紧急通知',
    body: '请各镇街团委立即转发防溺水提醒至各网格青年群。',
    priority: 'urgent',
    hoursAgo: 480,
    to: 'towns',
  },
  {
    title: '关于做好年度团费收缴工作的通知',
    body: '请各镇街团委督促所属团组织按时足额收缴团费。',
    priority: 'general',
    hoursAgo: 1080,
    to: 'towns',
  },
  {
    title: '关于组织青年志愿者参加护河行动的通知',
    body: '请各镇街团委各组织不少于 20 名青年志愿者参加。',
    priority: 'general',
    hoursAgo: 1440,
    to: 'towns',
  },
];

/** The demo's notices of a district, with every receipt's fate replayed on the clock (demo-notices.ts). */
function genNotices(c: Ctx, rand: Rand) {
  const { rows, ids, w, clock } = c;
  const d = w.districtId;
  const now = clock.now.getTime();
  const town = w.towns[0];
  const accountsOf = (orgId: number | null) => {
    if (orgId === null) return [];
    if (orgId === w.root.id) return [w.adminId];
    const a = w.townAdmin.get(orgId);
    return a === undefined ? [] : [a];
  };
  for (const spec of NOTICE_SPECS) {
    const sender = spec.to === 'towns' ? w.root : town;
    const senderAccount = spec.to === 'towns' ? w.adminId : (w.townAdmin.get(town.id) ?? w.adminId);
    const sentAt = now - spec.hoursAgo * 3600_000;
    const seconds = deadlineSecondsOf(spec.priority, DEFAULT_NOTICE_SETTINGS);
    const ms = seconds * 1000;
    const orgKinds =
      spec.to === 'towns'
        ? ['town_committee', 'devzone_committee']
        : DEFAULT_TARGET_ORG_KINDS.filter((k) => k === 'village_branch' || k === 'community_branch');
    // receivers as insertTargets resolves them: the orgs of those kinds under the sender, then (town) its grids
    type Target = {
      id: number;
      org: WorldOrg;
      grid: WorldGrid | null;
      responsible: number[];
      ack: number | null;
      by: number | null;
      channel: string | null;
      level: number;
      escalatedAt: number | null;
    };
    const targets: Target[] = [];
    const orgsUnder = w.orgs.filter(
      (o) => o.path.startsWith(sender.path) && o.id !== sender.id && orgKinds.includes(o.kind as never),
    );
    for (const o of orgsUnder)
      targets.push({
        id: 0,
        org: o,
        grid: null,
        responsible: accountsOf(o.id),
        ack: null,
        by: null,
        channel: null,
        level: 0,
        escalatedAt: null,
      });
    if (spec.to === 'town')
      for (const g of w.grids) {
        const o = w.orgById.get(g.orgId)!;
        if (o.path.startsWith(sender.path))
          targets.push({
            id: 0,
            org: o,
            grid: g,
            responsible: g.leaderAccountId ? [g.leaderAccountId] : [],
            ack: null,
            by: null,
            channel: null,
            level: 0,
            escalatedAt: null,
          });
      }
    const noticeId = ids.next('notices');
    rows.add('notices', [
      noticeId,
      d,
      senderAccount,
      sender.id,
      spec.title,
      spec.body,
      spec.priority,
      seconds,
      JSON.stringify({ mode: 'subtree', orgKinds, includeGrids: spec.to === 'town' }),
      targets.length,
      iso(sentAt),
    ]);
    const fates = targets.map((tg) => {
      tg.id = ids.next('notice_targets');
      const fate = tg.responsible.length
        ? weighted(rand, ['on_time', 'late1', 'late2', 'never'] as const, [62, 15, 10, 13])
        : 'never';
      const offset =
        fate === 'on_time'
          ? ms * (0.1 + rand.next() * 0.85)
          : fate === 'late1'
            ? ms * (1.05 + rand.next() * 0.9)
            : fate === 'late2'
              ? ms * (2.1 + rand.next() * 6)
              : null;
      const at = offset === null ? null : sentAt + offset;
      return { tg, fate, at: at !== null && at < now ? at : null };
    });
    const ack = (fate: string) => {
      for (const x of fates) {
        if (x.fate !== fate || x.at === null) continue;
        x.tg.ack = x.at;
        x.tg.by = x.tg.responsible[0];
        x.tg.channel = weighted(rand, ACK_CHANNELS, [60, 15, 15, 10]);
      }
    };
    ack('on_time');
    for (const level of [1, 2]) {
      const due = sentAt + level * ms;
      if (due >= now) break;
      const channel = level <= 1 ? 'sms' : 'wecom';
      for (const tg of targets) {
        if (tg.ack !== null || tg.level !== level - 1) continue;
        tg.level = level;
        tg.escalatedAt = due;
        // level 1: the org above the target (a grid: its org); level 2: one step further up
        const p1 = tg.org.parentId;
        const p2 = p1 === null ? null : (w.orgById.get(p1)?.parentId ?? null);
        const boss = level === 1 ? (tg.grid ? tg.org.id : p1) : tg.grid ? p1 : p2;
        const alerted = accountsOf(boss);
        const escalationId = ids.next('notice_escalations');
        rows.add('notice_escalations', [escalationId, d, noticeId, tg.id, level, pgArray(alerted), channel, iso(due)]);
        const delivery = (account: number, ch: string, purpose: string) =>
          rows.add('notice_deliveries', [
            ids.next('notice_deliveries'),
            d,
            noticeId,
            tg.id,
            account,
            ch,
            purpose,
            'recorded',
            1,
            iso(due),
            iso(due),
          ]);
        for (const a of tg.responsible) delivery(a, channel, 'resend');
        for (const a of alerted) delivery(a, 'sms', 'alert');
      }
      ack(level === 1 ? 'late1' : 'late2');
    }
    for (const tg of targets)
      rows.add('notice_targets', [
        tg.id,
        d,
        noticeId,
        tg.org.id,
        tg.grid?.id ?? null,
        tg.grid ? 'grid' : tg.org.kind === 'town_committee' || tg.org.kind === 'devzone_committee' ? 'town' : 'village',
        pgArray(tg.responsible),
        iso(sentAt + ms),
        tg.ack === null ? null : iso(Math.floor(tg.ack)),
        tg.by,
        tg.channel,
        tg.level,
        tg.escalatedAt === null ? null : iso(tg.escalatedAt),
      ]);
  }
}

/**
 * The dashboard counters of a district against a plain GROUP BY over the base tables (people, sign-ups, check-ins,
 * activities): every (source, period, place) must hold the same number. Returns the differing keys.
 */
export async function checkDashboardCounts(database: Database, districtId: number): Promise<string[]> {
  const rows = await database.query<{
    source: string;
    period: number;
    grid_id: number;
    org_id: number;
    counted: number | null;
    plain: number | null;
  }>(
    `WITH counted AS (
       SELECT source, period::int AS period, grid_id, org_id, sum(n)::int AS n FROM dashboard_counts
       WHERE district_id = $1 GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0),
     youth AS (
       SELECT p.id, p.political_status, coalesce(p.home_grid_id, 0) AS grid_id,
              CASE WHEN p.home_grid_id IS NULL THEN p.branch_org_id ELSE 0 END AS org_id
       FROM people p WHERE p.district_id = $1 AND p.status = 'registered' AND p.withdrawn_at IS NULL),
     plain AS (
       SELECT 'youth' AS source, 0 AS period, grid_id, org_id, count(*)::int AS n FROM youth GROUP BY 3, 4
       UNION ALL
       SELECT 'members', 0, grid_id, org_id, count(*)::int FROM youth WHERE political_status = 'league_member' GROUP BY 3, 4
       UNION ALL
       SELECT 'participants', x.year, x.grid_id, x.org_id, count(*)::int FROM (
         SELECT DISTINCT y.id, y.grid_id, y.org_id,
                extract(year FROM (a.starts_at AT TIME ZONE 'UTC') + interval '8 hours')::int AS year
         FROM youth y JOIN activity_signups s ON s.person_id = y.id JOIN activity_checkins k ON k.signup_id = s.id
         JOIN activities a ON a.id = s.activity_id AND a.district_id = $1) x
       GROUP BY 2, 3, 4
       UNION ALL
       SELECT s.source, extract(year FROM (a.starts_at AT TIME ZONE 'UTC') + interval '8 hours')::int, 0, a.org_id,
              count(*)::int
       FROM activities a CROSS JOIN LATERAL (VALUES ('activities', true),
              ('activities_summarised', a.status IN ('summarised', 'published')),
              ('activities_published', a.status = 'published')) AS s(source, counts)
       WHERE a.district_id = $1 AND a.status <> 'cancelled' AND s.counts GROUP BY 1, 2, 4)
     SELECT coalesce(c.source, p.source) AS source, coalesce(c.period, p.period) AS period,
            coalesce(c.grid_id, p.grid_id) AS grid_id, coalesce(c.org_id, p.org_id) AS org_id,
            c.n AS counted, p.n AS plain
     FROM counted c FULL JOIN plain p
       ON p.source = c.source AND p.period = c.period AND p.grid_id = c.grid_id AND p.org_id = c.org_id
     WHERE c.n IS DISTINCT FROM p.n`,
    [districtId],
  );
  return rows.map(
    (r) => `${r.source} ${r.period} grid ${r.grid_id} org ${r.org_id}: counted ${r.counted}, GROUP BY ${r.plain}`,
  );
}

/** Loads the data set into an empty, migrated database. */
export async function generate(
  database: Database,
  size: Size,
  seed = 2026,
  log = console.log,
  nowArg?: Date,
): Promise<GenerateResult> {
  const spec = SIZES[size];
  const rand = seededRandom(seed);
  const pii = benchCipher(seed);
  // The use data is dated from the start of the current hour unless told (same seed and hour: the same data).
  const now = nowArg ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const clock = shanghaiClock(now);
  const scale = spec.youthPerDistrict / DEMO_YOUTH;
  const seconds: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    seconds[name] = +((performance.now() - t0) / 1000).toFixed(1);
    t0 = performance.now();
    log(`  ${name}: ${seconds[name]} s`);
  };
  const [{ n: existing }] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM districts');
  if (existing > 0) throw new Error('generate needs an empty database');

  const run = async (client: any, useClient: any) => {
    const q = (text: string) => (client ? client.query(text) : database.query(text));
    const copy = copierFor(database, client);
    await q('SET session_replication_role = replica');
    if (useClient) await useClient.query('SET session_replication_role = replica');
    // Build the big tables' indexes after the load (faster than maintaining them row by row); constraints stay.
    const bulkIndexes = await database.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
       WHERE i.schemaname = 'public' AND i.tablename IN (${BULK_TABLES.map((t) => `'${t}'`).join(', ')})
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    );
    for (const i of bulkIndexes) await q(`DROP INDEX ${i.name}`);

    // ── districts, orgs, grids, accounts (small: built in memory) ──────────────────────────────────────
    const districtLines: string[] = [];
    const orgLines: string[] = [];
    const gridLines: string[] = [];
    const accountLines: string[] = [];
    type Place = { districtId: number; gridId: number | null; orgId: number };
    const places: Place[][] = []; // per district
    const worlds: World[] = [];
    let orgId = 0;
    let gridId = 0;
    let accountId = 0;
    const pinyinCache = new Map<string, { full: string; initials: string }>();
    const keys = (name: string) => {
      const base = name.replace(/\d+/g, '');
      const k = pinyinCache.get(base) ?? pinyinKeys(base);
      pinyinCache.set(base, k);
      return k;
    };
    const addOrg = (districtId: number, parent: WorldOrg | null, kind: string, name: string): WorldOrg => {
      orgId++;
      const path = `${parent?.path ?? '/'}${orgId}/`;
      const k = keys(name);
      const depth = parent ? parent.depth + 1 : 0;
      orgLines.push(line([orgId, districtId, parent?.id ?? null, kind, name, true, path, depth, k.full, k.initials]));
      return {
        id: orgId,
        parentId: parent?.id ?? null,
        depth,
        kind,
        path,
        name,
        townId: depth === 0 ? null : depth === 1 ? orgId : parent!.townId,
      };
    };
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const addAccount = (districtId: number, org: number, username: string, role: string) => {
      accountId++;
      accountLines.push(line([accountId, districtId, org, username, chineseName(rand), role, passwordHash, false]));
      return accountId;
    };
    for (let d = 1; d <= spec.districts; d++) {
      districtLines.push(line([d, String(340000 + d), spec.districts === 1 ? '柯桥区' : `基准区${d}`]));
      const root = addOrg(d, null, 'district_committee', `共青团基准区${d}委员会`);
      const adminId = addAccount(d, root.id, `d${d}_admin`, 'district_admin');
      const towns: WorldOrg[] = [];
      const townAdmin = new Map<number, number>();
      const villageOrgs: WorldOrg[] = [];
      const villages: { id: number; grids: number }[] = [];
      for (let t = 1; t <= TOWNS_PER_DISTRICT; t++) {
        const town = addOrg(
          d,
          root,
          t === TOWNS_PER_DISTRICT ? 'devzone_committee' : 'town_committee',
          `基准${t}镇团委`,
        );
        towns.push(town);
        townAdmin.set(town.id, addAccount(d, town.id, `d${d}_t${t}`, 'org_admin'));
        for (let v = 1; v <= VILLAGES_PER_TOWN; v++) {
          const community = v % 3 === 0;
          const village = addOrg(
            d,
            town,
            community ? 'community_branch' : 'village_branch',
            `${v}${community ? '社区团总支' : '村团总支'}`,
          );
          villageOrgs.push(village);
          villages.push({ id: village.id, grids: 0 });
        }
      }
      // 1,217 grids over the villages (round robin), a few villages left without grids (people on their branch).
      const withGrids = villages.slice(0, villages.length - 20);
      for (let g = 0; g < GRIDS_PER_DISTRICT; g++) withGrids[g % withGrids.length].grids++;
      const ps: Place[] = [];
      const grids: WorldGrid[] = [];
      for (const v of villages) {
        if (!v.grids) ps.push({ districtId: d, gridId: null, orgId: v.id });
        for (let i = 0; i < v.grids; i++) {
          gridId++;
          gridLines.push(line([gridId, d, `G${d}-${gridId}`, `第${gridId}网格`, 'village', v.id, '["wechat"]']));
          ps.push({ districtId: d, gridId, orgId: v.id });
          grids.push({ id: gridId, orgId: v.id, name: `第${gridId}网格`, leaderAccountId: null });
        }
      }
      places.push(ps);
      const orgs = [root, ...towns, ...villageOrgs].sort((a, b) => a.id - b.id);
      const gridsByOrg = new Map<number, WorldGrid[]>();
      for (const g of grids) gridsByOrg.set(g.orgId, [...(gridsByOrg.get(g.orgId) ?? []), g]);
      worlds.push({
        districtId: d,
        root,
        orgs,
        orgById: new Map(orgs.map((o) => [o.id, o])),
        towns,
        villages: villageOrgs,
        grids,
        gridsByOrg,
        adminId,
        townAdmin,
        people: [],
        allPeople: [],
        peopleByOrg: new Map(),
        peopleByTown: new Map(),
        peopleByGrid: new Map(),
      });
    }
    await copy('districts', ['id', 'code', 'name'], districtLines);
    await copy(
      'orgs',
      [
        'id',
        'district_id',
        'parent_id',
        'kind',
        'name',
        'hierarchical',
        'path',
        'depth',
        'name_pinyin',
        'name_initials',
      ],
      orgLines,
    );
    await copy(
      'accounts',
      ['id', 'district_id', 'org_id', 'username', 'display_name', 'role', 'password_hash', 'must_change_password'],
      accountLines,
    );
    await copy('grids', ['id', 'district_id', 'code', 'name', 'kind', 'org_id', 'channels'], gridLines);
    // The four default activity categories of every district (what ensureDefaultCategories writes).
    const categoryLines: string[] = [];
    for (let d = 1; d <= spec.districts; d++)
      for (const [i, c] of DEFAULT_CATEGORIES.entries())
        categoryLines.push(line([(d - 1) * DEFAULT_CATEGORIES.length + i + 1, d, c.code, c.name, (i + 1) * 10]));
    await copy('activity_categories', [...USE_COLUMNS.activity_categories], categoryLines);
    lap('orgs, grids, accounts');

    // ── per district: people, then its activities, orders and notices ──────────────────────────────────
    const pool = size === 'district' ? null : Array.from({ length: 4096 }, (_, i) => pii.encrypt(`pool-${i}`));
    const consentAt = '2026-01-01T08:00:00+08:00';
    let people = 0;
    let members = 0;
    const gridCounts = new Map<number, { youth: number; members: number }>();
    const categories = PERSON_CATEGORIES.slice(0, -1);
    const ids = new Ids();
    const tracking = new Set<string>();
    const rowCounts: Record<string, number> = {};
    let serial = 0;
    let peopleMs = 0;
    let useGenMs = 0;
    let useWaitMs = 0;
    const loadStart = performance.now();
    const copyUseData = useClient ? copierFor(database, useClient) : copy;
    let pendingUse: Promise<void> = Promise.resolve();
    const peopleColumns = [
      'id',
      'district_id',
      'name',
      'gender',
      'birth_date',
      'phone_enc',
      'phone_idx',
      'id_enc',
      'id_idx',
      'political_status',
      'category',
      'home_grid_id',
      'branch_org_id',
      'source',
      'status',
      'consent_version',
      'consent_at',
      'consent_channel',
    ];
    for (const [di, ps] of places.entries()) {
      const w = worlds[di];
      const folk: Folk = { first: serial + 1, name: [], enc: [], idx: [], grid: [] };
      const tp = performance.now();
      function* peopleLines() {
        for (let i = 0; i < spec.youthPerDistrict; i++) {
          serial++;
          // Weighted to grids: 97 % in grids, the rest on a village branch without grids.
          const place = ps[Math.floor(rand.next() * ps.length)];
          // A unique (birth day, sequence) per person in the district: day spread over 1992–2009, sequence 0–999.
          const day = (i * 7919) % (18 * 365);
          const seqPart = Math.floor(i / (18 * 365)) % 1000;
          const birth = new Date(Date.UTC(1992, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
          const first17 =
            `${330000 + place.districtId}`.slice(0, 6) + birth.replaceAll('-', '') + String(seqPart).padStart(3, '0');
          const idNumber = first17 + idCheckChar(first17);
          const phone = `1${String(3_000_000_000 + serial * 7).slice(-10)}`;
          const age = 2026 - Number(birth.slice(0, 4));
          const member = age <= 28 && rand.next() < 0.45;
          people++;
          if (member) members++;
          if (place.gridId) {
            const c = gridCounts.get(place.gridId) ?? { youth: 0, members: 0 };
            c.youth++;
            if (member) c.members++;
            gridCounts.set(place.gridId, c);
          }
          const enc = (v: string) => (pool ? pool[serial % pool.length] : pii.encrypt(v));
          const name = chineseName(rand);
          const phoneEnc = enc(phone);
          const phoneIdx = pii.blindIndex('phone', phone);
          folk.name.push(name);
          folk.enc.push(phoneEnc);
          folk.idx.push(phoneIdx);
          folk.grid.push(place.gridId);
          // the demo's World: registered youth by placing org, town and grid (poolOf, for sign-ups and requesters)
          w.people.push({ id: serial, orgId: place.orgId, gridId: place.gridId });
          yield line([
            serial,
            place.districtId,
            name,
            Number(first17[16]) % 2 === 1 ? 'male' : 'female',
            birth,
            phoneEnc,
            phoneIdx,
            enc(idNumber),
            pii.blindIndex('idNumber', idNumber),
            member ? 'league_member' : rand.next() < 0.06 ? 'party_member' : 'masses',
            categories[Math.floor(rand.next() * categories.length)],
            place.gridId,
            place.gridId ? null : place.orgId,
            'import',
            'registered',
            CONSENT_VERSION,
            consentAt,
            'paper',
          ]);
          if (people % 1_000_000 === 0) log(`  … ${people.toLocaleString('en')} people`);
        }
      }
      await copy(
        'people',
        peopleColumns,
        (async function* () {
          yield* peopleLines();
        })(),
      );
      peopleMs += performance.now() - tp;

      // The use data of the district, each part from its own seeded stream (the people above are the same rows
      // as before use data existed).
      const tu = performance.now();
      for (const p of w.people) {
        const push = (m: Map<number, number[]>, k: number, v: number) => {
          const list = m.get(k);
          if (list) list.push(v);
          else m.set(k, [v]);
        };
        push(w.peopleByOrg, p.orgId, p.id);
        const town = w.orgById.get(p.orgId)?.townId;
        if (town) push(w.peopleByTown, town, p.id);
        if (p.gridId) push(w.peopleByGrid, p.gridId, p.id);
        w.allPeople.push(p.id);
      }
      const rows = new Rows();
      const ctx: Ctx = { rows, ids, w, folk, clock, scale };
      const d = w.districtId;
      const cat = Object.fromEntries(
        DEFAULT_CATEGORIES.map((c, i) => [c.code, (d - 1) * DEFAULT_CATEGORIES.length + i + 1]),
      ) as Record<CategoryCode, number>;
      genActivities(ctx, seededRandom(seed * 31 + 7 + d * 1009), cat);
      genOrders(ctx, seededRandom(seed * 37 + 11 + d * 1009), tracking);
      genNotices(ctx, seededRandom(seed * 41 + 13 + d * 1009));
      worlds[di] = undefined as never; // free the district's registry
      useGenMs += performance.now() - tu;
      // On PostgreSQL the district's use data is COPYed on a second connection while the next district's people are
      // generated (JavaScript and the server each keep a core busy); one district's rows in flight at a time.
      const tw = performance.now();
      await pendingUse;
      useWaitMs += performance.now() - tw;
      const p = (async () => {
        for (const [table, lines] of rows.lines) {
          rowCounts[table] = (rowCounts[table] ?? 0) + lines.length;
          await copyUseData(table, [...USE_COLUMNS[table]], lines);
        }
      })();
      p.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
      pendingUse = p;
      if (!useClient) {
        const ti = performance.now();
        await p;
        useWaitMs += performance.now() - ti;
      }
    }
    const tw = performance.now();
    await pendingUse;
    useWaitMs += performance.now() - tw;
    rowCounts.activity_categories = spec.districts * DEFAULT_CATEGORIES.length;
    seconds['people (generate + COPY)'] = +(peopleMs / 1000).toFixed(1);
    seconds['activities, orders, notices (generate)'] = +(useGenMs / 1000).toFixed(1);
    seconds['activities, orders, notices (COPY, waited for)'] = +(useWaitMs / 1000).toFixed(1);
    seconds['load (people and use data)'] = +((performance.now() - loadStart) / 1000).toFixed(1);
    log(`  ${JSON.stringify(seconds)}`);
    t0 = performance.now();
    if (!database.pglite) await q(`SET maintenance_work_mem = '512MB'`);
    for (const i of bulkIndexes) await q(i.def);
    lap('indexes');
    // Grid figures as a ledger would have them (capacity and the dashboard read them).
    const updates = [...gridCounts.entries()];
    for (let i = 0; i < updates.length; i += 20_000) {
      const part = updates.slice(i, i + 20_000);
      await q(
        `UPDATE grids g SET youth_count = v.y, member_count = v.m FROM (VALUES ${part.map(([id, c]) => `(${id}, ${c.youth}, ${c.members})`).join(',')}) AS v(id, y, m) WHERE g.id = v.id`,
      );
    }
    const sequenced = ['districts', 'orgs', 'grids', 'accounts', 'people', ...Object.keys(USE_COLUMNS)].filter(
      (t) => t !== 'activity_summaries',
    );
    for (const table of sequenced) {
      await q(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
    }
    await q('SET session_replication_role = origin');
    // Everything the triggers keep, recounted from the base tables (the load ran without them).
    await q('SELECT jw_rollup_rebuild()');
    lap('roll-up rebuild (jw_rollup_rebuild)');
    if (!database.pglite) await q(`SET work_mem = '256MB'`);
    await q('SELECT jw_dash_rebuild()');
    lap('dashboard rebuild (jw_dash_rebuild)');
    await q('ANALYZE');
    lap('analyze');
    for (const table of ['org_rollups', 'dashboard_counts', 'activity_participation']) {
      const [{ n }] = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      rowCounts[table] = n;
    }
    return { people, members, orgs: orgId, grids: gridId, accounts: accountId, rows: rowCounts };
  };

  let counts: Awaited<ReturnType<typeof run>>;
  if (database.pool) {
    const client = await database.pool.connect();
    const useClient = await database.pool.connect();
    try {
      counts = await run(client, useClient);
    } finally {
      client.release();
      useClient.release(true); // not back into the pool with session_replication_role = replica
    }
  } else {
    counts = await run(null, null);
  }
  const counterMismatches = await checkDashboardCounts(database, 1);
  lap('counter check (district 1 vs GROUP BY)');
  log(`  dashboard counters of district 1 = GROUP BY: ${counterMismatches.length === 0}`);
  return {
    size,
    districts: spec.districts,
    ...counts,
    now: now.toISOString(),
    seconds,
    countersEqual: counterMismatches.length === 0,
    counterMismatches: counterMismatches.slice(0, 10),
  };
}

/** The PostgreSQL database holding a generated size (created by `generate --db postgresql`). */
export function generatedUrl(size: Size): string {
  const u = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  u.pathname = `/jw_gen_${size}`;
  return u.toString();
}

/** Opens the generated database of a size, generating it first when it does not exist (PostgreSQL). */
export async function openGenerated(size: Size, seed = 2026): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = await Database.open({ kind: 'postgresql', url: adminUrl, poolSize: 1 });
  try {
    const [{ n }] = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [
      `jw_gen_${size}`,
    ]);
    if (n === 0) {
      await admin.query(`CREATE DATABASE jw_gen_${size}`);
      const database = await Database.open({ kind: 'postgresql', url: generatedUrl(size) });
      await database.migrate();
      await generate(database, size, seed);
      return database;
    }
  } finally {
    await admin.close();
  }
  const database = await Database.open({ kind: 'postgresql', url: generatedUrl(size) });
  await database.migrate();
  return database;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'pglite' },
      size: { type: 'string', default: 'district' },
      seed: { type: 'string', default: '2026' },
      /** the instant the activities, orders and notices are dated from (default: the current hour) */
      now: { type: 'string' },
    },
  });
  const size = values.size as Size;
  if (!SIZES[size]) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const { writeResult } = await import('./_lib.ts');
  const started = performance.now();
  let database: Database;
  if (values.db === 'postgresql') {
    const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const admin = await Database.open({ kind: 'postgresql', url: adminUrl, poolSize: 1 });
    await admin.query(`DROP DATABASE IF EXISTS jw_gen_${size} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE jw_gen_${size}`);
    await admin.close();
    database = await Database.open({ kind: 'postgresql', url: generatedUrl(size) });
  } else {
    if (size !== 'district')
      throw new Error('PGlite takes the district size; use --db postgresql for city and province');
    database = await Database.open({ kind: 'pglite' });
  }
  await database.migrate();
  console.log(`generating ${size} (seed ${values.seed}) on ${values.db}…`);
  const result = await generate(
    database,
    size,
    Number(values.seed),
    console.log,
    values.now ? new Date(values.now) : undefined,
  );
  const [{ bytes }] = await database.query<{ bytes: string }>(
    'SELECT pg_database_size(current_database())::text AS bytes',
  );
  await database.close();
  writeResult(`generate-${size}`, values.db!, {
    ...result,
    totalSeconds: +((performance.now() - started) / 1000).toFixed(1),
    databaseMB: Math.round(Number(bytes) / 1e6),
    loadAverage: (await import('node:os')).loadavg().map((l) => +l.toFixed(2)),
  });
  if (!result.countersEqual) process.exitCode = 1;
}
