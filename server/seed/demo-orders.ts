import { sql } from 'drizzle-orm';
import {
  DEFAULT_DEADLINE_HOURS,
  makeTrackingNo,
  type OrderCategory,
  type OrderClassification,
  type OrderSource,
  type OrderStatus,
} from '../../domain/order.ts';
import type { Executor } from '../db/sql.ts';
import { DEADLINE_JOB } from '../modules/orders/orders-more.service.ts';
import { seededRandom } from './demo.ts';
import {
  actorOf,
  allocIds,
  bulkInsert,
  DAY,
  iso,
  placeOf,
  poolOf,
  type Rand,
  shanghaiClock,
  type World,
  type WorldOrg,
  weighted,
} from './demo-bulk.ts';

/**
 * Demo service orders (点单派单, after Ouhai's 三张清单): a service menu (共青团所能) and a few hundred
 * orders across the five sources and the three classes (即办件 / 非即办件 / 疑难), each walked through
 * the workflow as the service does it — create → classify → dispatch (→ decline → re-dispatch) →
 * accept → start → complete → rate — with a timeline event per step, a dispatch row per dispatch
 * (outcome and answer time, so the response rate counts them), the class's deadlines, a reminder and
 * system event where a deadline passed while the step was waiting (what the deadline job records; jobs
 * are queued for deadlines still ahead), one rating per completed-and-rated order (satisfied /
 * basically / dissatisfied), and a district review task for every dissatisfied rating. Most orders
 * are done and rated; the recent ones are still moving, some past their deadlines. Requesters are
 * registry youth: name, encrypted phone and blind index copied from the registry. Tracking numbers
 * are the service's (JW + Shanghai date + 6 characters).
 */

type MenuSpec = { kinds: string[]; category: OrderCategory; title: string; group: boolean };
const MENU: MenuSpec[] = [
  { kinds: ['youth_social_org'], category: 'livelihood', title: '上门陪伴空巢老人', group: false },
  { kinds: ['youth_social_org'], category: 'care', title: '青少年心理疏导', group: false },
  { kinds: ['youth_club'], category: 'culture', title: '青年户外拓展', group: true },
  { kinds: ['partner_unit'], category: 'care', title: '青年医生进村义诊', group: true },
  { kinds: ['industry_committee'], category: 'employment', title: '快递小哥就业咨询', group: false },
  { kinds: ['two_new_committee'], category: 'employment', title: '青年创业指导', group: false },
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

const TARGETS: OrderStatus[] = [
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
const TARGET_WEIGHTS = [62, 8, 5, 4, 6, 3, 3, 2, 4, 3];

type OrderEvent = {
  order_id: number;
  account_id: number | null;
  actor_kind: 'cadre' | 'requester' | 'system';
  action: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus | null;
  org_id: number | null;
  note: string | null;
  internal: boolean;
  at: string;
};

export type DemoOrderCounts = { menuItems: number; orders: number; rated: number; overdue: number; reviews: number };

export async function seedDemoOrders(
  ex: Executor,
  world: World,
  o: { seed: number; count: number; now?: Date; withPhones: boolean },
): Promise<DemoOrderCounts> {
  const rand = seededRandom(o.seed * 37 + 11);
  const clock = shanghaiClock(o.now ?? new Date());
  const now = clock.now.getTime();
  const { districtId } = world;
  const orgsOfKind = (kinds: readonly string[]) => world.orgs.filter((g) => kinds.includes(g.kind));

  // ── the service menu ─────────────────────────────────────────────────────────────────────
  const menu: { id: number; org: WorldOrg; spec: MenuSpec }[] = [];
  const menuRows: Record<string, unknown>[] = [];
  const menuSpecs = MENU.flatMap((spec) => {
    const orgs = orgsOfKind(spec.kinds).filter((g) => (g.kind.endsWith('branch') ? world.gridsByOrg.has(g.id) : true));
    return orgs.length ? [{ spec, org: orgs[0] }] : [];
  });
  const menuIds = await allocIds(ex, 'service_menu_items', menuSpecs.length);
  menuSpecs.forEach(({ spec, org }, k) => {
    menu.push({ id: menuIds[k], org, spec });
    const at = iso(new Date(now - rand.int(200, 360) * DAY));
    menuRows.push({
      id: menuIds[k],
      district_id: districtId,
      org_id: org.id,
      category: spec.category,
      title: spec.title,
      description: `${placeOf(org)}提供的${spec.title}服务，群众可在线点单。`,
      created_at: at,
      updated_at: at,
    });
  });
  await bulkInsert(
    ex,
    'service_menu_items',
    [
      ['id', 'int'],
      ['district_id', 'int'],
      ['org_id', 'int'],
      ['category', 'text'],
      ['title', 'text'],
      ['description', 'text'],
      ['created_at', 'timestamptz'],
      ['updated_at', 'timestamptz'],
    ],
    menuRows,
  );

  // Each assignee's quality: how often its work pleases (varies the leaderboard).
  const quality = new Map<number, number>();
  const qualityOf = (orgId: number) => {
    if (!quality.has(orgId)) quality.set(orgId, 0.55 + rand.next() * 0.45);
    return quality.get(orgId)!;
  };
  const scoreFor = (r: Rand, orgId: number) => {
    const q = qualityOf(orgId);
    return weighted(r, [5, 4, 3, 2, 1], [60 * q, 25, 10 / q, 3 / q, 2 / q]);
  };

  const ids = await allocIds(ex, 'service_orders', o.count);
  const orders: Record<string, unknown>[] = [];
  const events: OrderEvent[] = [];
  const dispatches: Record<string, unknown>[] = [];
  const ratings: Record<string, unknown>[] = [];
  const reviews: Record<string, unknown>[] = [];
  const reminders: Record<string, unknown>[] = [];
  const jobs: Record<string, unknown>[] = [];
  const tracking = new Set<string>();
  let overdue = 0;

  for (const id of ids) {
    const target = weighted(rand, TARGETS, TARGET_WEIGHTS);
    const open = ['dispatched', 'accepted', 'in_progress', 'classified', 'submitted', 'returned'].includes(target);
    const source = weighted(
      rand,
      ['party_gov', 'resident', 'menu', 'youth_voice', 'visit'] as const,
      [20, 35, 20, 15, 10],
    );
    const item = source === 'menu' && menu.length ? rand.pick(menu) : null;
    const category: OrderCategory = item?.spec.category ?? rand.pick(Object.keys(NEEDS) as OrderCategory[]);
    const village = rand.pick(world.villages);
    const grid =
      (world.gridsByOrg.get(village.id) ?? []).length && rand.next() < 0.7
        ? rand.pick(world.gridsByOrg.get(village.id)!)
        : null;
    const town = village.townId !== null ? world.orgById.get(village.townId)! : world.root;
    const dispatcher = actorOf(world, village);
    const byCadre = source === 'party_gov' || source === 'visit' || source === 'youth_voice';
    const pool = poolOf(world, village);
    const requester = source !== 'party_gov' && o.withPhones && pool.length ? rand.pick(pool) : null;
    const classification = rand.pick(CLASS_OF_SOURCE[source]);
    const hours = DEFAULT_DEADLINE_HOURS[classification];
    // open orders came in over the last weeks, the others over the past ten months
    let t = open
      ? now - (0.15 + rand.next() * (classification === 'hard' ? 40 : 12)) * DAY
      : now - rand.int(4, 300) * DAY;
    let trackingNo: string;
    do trackingNo = makeTrackingNo(new Date(t), rand.next);
    while (tracking.has(trackingNo));
    tracking.add(trackingNo);
    const row: Record<string, unknown> = {
      id,
      district_id: districtId,
      tracking_no: trackingNo,
      source,
      category,
      title: item ? `点单：${item.spec.title}` : rand.pick(NEEDS[category]),
      description: item ? `申请${placeOf(item.org)}的${item.spec.title}` : '请尽快安排青年志愿者上门服务。',
      address: `${placeOf(village)}${rand.int(1, 200)}号`,
      grid_id: grid?.id ?? null,
      org_id: grid ? grid.orgId : village.id,
      menu_item_id: item?.id ?? null,
      requester_name: null,
      person_id: requester,
      classification: null,
      status: 'submitted',
      status_reason: null,
      assignee_org_id: null,
      respond_due_at: null,
      complete_due_at: null,
      classified_at: null,
      dispatched_at: null,
      accepted_at: null,
      started_at: null,
      done_at: null,
      rated_at: null,
      closed_at: null,
      dispatch_count: 0,
      completion_note: null,
      created_by: byCadre || !requester ? dispatcher : null,
      created_at: iso(new Date(t)),
      planned_participants: item?.spec.group ? rand.int(2, 8) * 5 : null,
      participants: null,
    };
    orders.push(row);
    let status: OrderStatus = 'submitted';
    const push = (
      action: string,
      to: OrderStatus | null,
      at: number,
      e: Partial<Pick<OrderEvent, 'account_id' | 'actor_kind' | 'org_id' | 'note' | 'internal'>> = {},
    ) => {
      events.push({
        order_id: id,
        account_id: e.account_id === undefined ? dispatcher : e.account_id,
        actor_kind: e.actor_kind ?? 'cadre',
        action,
        from_status: action === 'create' || to === null ? null : status,
        to_status: to,
        org_id: e.org_id === undefined ? ((row.assignee_org_id as number | null) ?? null) : e.org_id,
        note: e.note ?? null,
        internal: e.internal ?? false,
        at: iso(new Date(at)),
      });
      if (to) {
        status = to;
        row.status = to;
      }
      row.updated_at = iso(new Date(at));
    };
    const later = (h: number) => t + h * 3600_000;
    // What happens next only happens if "next" is already in the past.
    const step = (h: number) => {
      const at = later(h);
      if (at >= now - 60_000) return false;
      t = at;
      return true;
    };

    push('create', 'submitted', t, {
      actor_kind: byCadre || !requester ? 'cadre' : 'requester',
      account_id: byCadre || !requester ? dispatcher : null,
      org_id: row.org_id as number,
    });
    if (target === 'submitted') continue;
    if (target === 'rejected' || (target === 'cancelled' && rand.next() < 0.5)) {
      if (!step(rand.int(1, 20))) continue;
      const reason = target === 'rejected' ? '不属于共青团服务范围，已建议联系相关部门' : '群众已自行解决，撤销工单';
      row.status_reason = reason;
      row.closed_at = iso(new Date(t));
      push(target === 'rejected' ? 'reject' : 'cancel', target, t, { note: reason, org_id: null });
      continue;
    }
    if (!step(0.5 + rand.next() * 5)) continue;
    row.classification = classification;
    row.classified_at = iso(new Date(t));
    push('classify', 'classified', t, { internal: true, org_id: null });
    if (target === 'classified') continue;

    const candidates = (() => {
      const kinds = ASSIGNEE_KINDS[classification];
      const all = orgsOfKind(kinds);
      const near = all.filter((g) => g.townId === village.townId || g.depth === 0 || g.townId === null);
      const list = classification === 'hard' ? [town, world.root] : near.length ? near : all;
      return item?.spec.kinds.some((k) => kinds.includes(k)) ? [item.org, item.org, ...list] : list;
    })();
    const declinedBy = new Set<number>();
    const dispatch = (): boolean => {
      if (!step(0.2 + rand.next() * 4)) return false;
      const choices = candidates.filter((g) => !declinedBy.has(g.id));
      const assignee = rand.pick(choices.length ? choices : [world.root]);
      const respondDue = t + hours.respond * 3600_000;
      const completeDue = t + hours.complete * 3600_000;
      const no = (row.dispatch_count as number) + 1;
      row.assignee_org_id = assignee.id;
      row.dispatched_at = iso(new Date(t));
      row.respond_due_at = iso(new Date(respondDue));
      row.complete_due_at = iso(new Date(completeDue));
      row.dispatch_count = no;
      row.accepted_at = null;
      row.started_at = null;
      row.status_reason = null;
      dispatches.push({
        district_id: districtId,
        order_id: id,
        org_id: assignee.id,
        dispatched_by: dispatcher,
        dispatched_at: iso(new Date(t)),
        respond_due_at: iso(new Date(respondDue)),
        outcome: 'pending',
        responded_at: null,
        reason: null,
      });
      push(no > 1 ? 'redispatch' : 'dispatch', 'dispatched', t, { org_id: assignee.id });
      return true;
    };
    const pendingDispatch = () => dispatches[dispatches.length - 1];
    /** The deadline job's reminder, when the deadline passed while the step was waiting. */
    const remind = (kind: 'respond' | 'complete', due: number) => {
      reminders.push({
        district_id: districtId,
        order_id: id,
        org_id: row.assignee_org_id,
        kind,
        dispatch_no: row.dispatch_count,
        due_at: iso(new Date(due)),
        created_at: iso(new Date(due + 1000)),
        delivered_at: iso(new Date(due + 2000)),
      });
      push(kind === 'respond' ? 'remind_respond' : 'remind_complete', status, due + 1000, {
        account_id: null,
        actor_kind: 'system',
        note: kind === 'respond' ? '已超过响应时限，请尽快接单或退回' : '已超过办结时限，请尽快办结',
        internal: true,
      });
    };
    /** Deadlines still ahead get their job; passed ones their reminder (as the job would have done). */
    const waitFor = (kind: 'respond' | 'complete') => {
      const due = Date.parse((kind === 'respond' ? row.respond_due_at : row.complete_due_at) as string);
      if (due < now) {
        remind(kind, due);
        overdue++;
      } else
        jobs.push({
          kind: DEADLINE_JOB,
          payload: { orderId: id, kind, dispatchNo: row.dispatch_count },
          run_at: iso(new Date(due)),
        });
      if (kind === 'respond') {
        const completeDue = Date.parse(row.complete_due_at as string);
        jobs.push({
          kind: DEADLINE_JOB,
          payload: { orderId: id, kind: 'complete', dispatchNo: row.dispatch_count },
          run_at: iso(new Date(completeDue)),
        });
      }
    };

    if (!dispatch()) continue;
    const assigneeActor = () => actorOf(world, world.orgById.get(row.assignee_org_id as number)!);
    if (target === 'returned' || rand.next() < 0.08) {
      if (!step(hours.respond * (0.2 + rand.next() * 0.6))) {
        waitFor('respond');
        continue;
      }
      const reason = '本单位暂无相应服务力量，申请改派';
      const d = pendingDispatch();
      d.outcome = 'declined';
      d.responded_at = iso(new Date(t));
      d.reason = reason;
      declinedBy.add(row.assignee_org_id as number);
      push('decline', 'returned', t, { account_id: assigneeActor(), note: reason, internal: true });
      row.assignee_org_id = null;
      row.status_reason = reason;
      row.respond_due_at = null;
      row.complete_due_at = null;
      if (target === 'returned') continue;
      if (!dispatch()) continue;
    }
    if (target === 'cancelled') {
      if (!step(rand.int(1, 10))) {
        waitFor('respond');
        continue;
      }
      const reason = '需求已由属地部门解决';
      pendingDispatch().outcome = 'withdrawn';
      pendingDispatch().reason = reason;
      push('cancel', 'cancelled', t, { note: reason });
      row.status_reason = reason;
      row.closed_at = iso(new Date(t));
      row.assignee_org_id = null;
      continue;
    }
    // 接单: mostly within the response deadline, some late
    const respondDue = Date.parse(row.respond_due_at as string);
    const late = rand.next() < 0.12;
    const acceptAfter = hours.respond * (late ? 1.1 + rand.next() : 0.05 + rand.next() * 0.85);
    if (target === 'dispatched' || !step(acceptAfter)) {
      waitFor('respond');
      continue;
    }
    if (t > respondDue) remind('respond', respondDue);
    const d = pendingDispatch();
    d.outcome = 'accepted';
    d.responded_at = iso(new Date(t));
    row.accepted_at = iso(new Date(t));
    push('accept', 'accepted', t, { account_id: assigneeActor() });
    const completeDue = Date.parse(row.complete_due_at as string);
    const jobDone = (): boolean => {
      const lateDone = rand.next() < 0.1;
      const left = (completeDue - t) / 3600_000;
      const h = lateDone ? left + hours.complete * (0.05 + rand.next() * 0.3) : left * (0.1 + rand.next() * 0.8);
      return step(Math.max(0.2, h));
    };
    if (target === 'in_progress' || rand.next() < 0.6) {
      if (!step(0.2 + rand.next() * 3)) {
        waitFor('complete');
        continue;
      }
      row.started_at = iso(new Date(t));
      push('start', 'in_progress', t, { account_id: assigneeActor() });
    }
    if (target === 'accepted' || target === 'in_progress' || !jobDone()) {
      waitFor('complete');
      continue;
    }
    if (t > completeDue) remind('complete', completeDue);
    const note = item ? `已完成${item.spec.title}服务` : '已上门处理完毕，群众认可';
    row.done_at = iso(new Date(t));
    row.completion_note = note;
    if (row.planned_participants)
      row.participants = Math.round((row.planned_participants as number) * (0.6 + rand.next() * 0.55));
    push('complete', 'done', t, { account_id: assigneeActor(), note });
    if (target === 'done' || !step(2 + rand.next() * 70)) continue;
    const score = scoreFor(rand, row.assignee_org_id as number);
    const byRequester = requester !== null;
    ratings.push({
      district_id: districtId,
      order_id: id,
      org_id: row.assignee_org_id,
      score,
      comment: score >= 5 ? '非常满意，感谢青年志愿者' : score === 4 ? '基本满意' : '处理不够及时，不满意',
      by_kind: byRequester ? 'requester' : 'cadre',
      account_id: byRequester ? null : dispatcher,
      created_at: iso(new Date(t)),
    });
    row.rated_at = iso(new Date(t));
    push('rate', 'rated', t, {
      actor_kind: byRequester ? 'requester' : 'cadre',
      account_id: byRequester ? null : dispatcher,
      note: `${score}★`,
    });
    if (score <= 3) {
      const closed = now - t > 20 * DAY;
      const resolvedAt = t + 2 * DAY;
      const resolution = '已电话回访群众并督促承接方整改';
      reviews.push({
        district_id: districtId,
        order_id: id,
        org_id: row.assignee_org_id,
        score,
        comment: '处理不够及时，不满意',
        by_kind: byRequester ? 'requester' : 'cadre',
        status: closed ? 'closed' : 'open',
        resolution: closed ? resolution : null,
        resolved_by: closed ? world.adminId : null,
        resolved_at: closed ? iso(new Date(resolvedAt)) : null,
        created_at: iso(new Date(t)),
      });
      push('review_open', null, t + 1000, {
        account_id: null,
        actor_kind: 'system',
        note: `不满意评价（${score}★），已转区级复核`,
        internal: true,
      });
      if (closed)
        push('review_close', null, resolvedAt, { account_id: world.adminId, note: resolution, internal: true });
    }
  }

  // Orders: requesters' name and encrypted phone from the registry; the grid's point as location.
  for (let i = 0; i < orders.length; i += 2000) {
    await ex.execute(sql`
      INSERT INTO service_orders (id, district_id, tracking_no, source, category, title, description, location, address,
        grid_id, org_id, menu_item_id, requester_name, requester_phone_enc, requester_phone_idx, classification, status,
        status_reason, assignee_org_id, respond_due_at, complete_due_at, classified_at, dispatched_at, accepted_at,
        started_at, done_at, rated_at, closed_at, dispatch_count, completion_note, created_by, created_at, updated_at,
        planned_participants, participants)
      SELECT x.id, x.district_id, x.tracking_no, x.source, x.category, x.title, x.description,
             (SELECT ST_PointOnSurface(g.boundary) FROM grids g WHERE g.id = x.grid_id), x.address,
             x.grid_id, x.org_id, x.menu_item_id, p.name, p.phone_enc, p.phone_idx, x.classification, x.status,
             x.status_reason, x.assignee_org_id, x.respond_due_at, x.complete_due_at, x.classified_at, x.dispatched_at,
             x.accepted_at, x.started_at, x.done_at, x.rated_at, x.closed_at, x.dispatch_count, x.completion_note,
             x.created_by, x.created_at, x.updated_at, x.planned_participants, x.participants
      FROM jsonb_to_recordset(${JSON.stringify(orders.slice(i, i + 2000))}::jsonb) AS x(
        id int, district_id int, tracking_no text, source text, category text, title text, description text, address text,
        grid_id int, org_id int, menu_item_id int, person_id int, classification text, status text, status_reason text,
        assignee_org_id int, respond_due_at timestamptz, complete_due_at timestamptz, classified_at timestamptz,
        dispatched_at timestamptz, accepted_at timestamptz, started_at timestamptz, done_at timestamptz,
        rated_at timestamptz, closed_at timestamptz, dispatch_count int, completion_note text, created_by int,
        created_at timestamptz, updated_at timestamptz, planned_participants int, participants int)
      LEFT JOIN people p ON p.id = x.person_id`);
  }
  await bulkInsert(
    ex,
    'service_order_dispatches',
    [
      ['district_id', 'int'],
      ['order_id', 'int'],
      ['org_id', 'int'],
      ['dispatched_by', 'int'],
      ['dispatched_at', 'timestamptz'],
      ['respond_due_at', 'timestamptz'],
      ['outcome', 'text'],
      ['responded_at', 'timestamptz'],
      ['reason', 'text'],
    ],
    dispatches,
  );
  // The timeline in time order (it is read in id order).
  events.sort((x, y) => x.order_id - y.order_id || x.at.localeCompare(y.at));
  const eventIds = await allocIds(ex, 'service_order_events', events.length);
  await bulkInsert(
    ex,
    'service_order_events',
    [
      ['id', 'bigint'],
      ['district_id', 'int'],
      ['order_id', 'int'],
      ['account_id', 'int'],
      ['actor_kind', 'text'],
      ['action', 'text'],
      ['from_status', 'text'],
      ['to_status', 'text'],
      ['org_id', 'int'],
      ['note', 'text'],
      ['internal', 'boolean'],
      ['at', 'timestamptz'],
    ],
    events.map((e, k) => ({ id: eventIds[k], district_id: districtId, ...e })),
  );
  await bulkInsert(
    ex,
    'service_order_ratings',
    [
      ['district_id', 'int'],
      ['order_id', 'int'],
      ['org_id', 'int'],
      ['score', 'smallint'],
      ['comment', 'text'],
      ['by_kind', 'text'],
      ['account_id', 'int'],
      ['created_at', 'timestamptz'],
    ],
    ratings,
  );
  await bulkInsert(
    ex,
    'service_order_reviews',
    [
      ['district_id', 'int'],
      ['order_id', 'int'],
      ['org_id', 'int'],
      ['score', 'smallint'],
      ['comment', 'text'],
      ['by_kind', 'text'],
      ['status', 'text'],
      ['resolution', 'text'],
      ['resolved_by', 'int'],
      ['resolved_at', 'timestamptz'],
      ['created_at', 'timestamptz'],
    ],
    reviews,
  );
  await bulkInsert(
    ex,
    'service_order_reminders',
    [
      ['district_id', 'int'],
      ['order_id', 'int'],
      ['org_id', 'int'],
      ['kind', 'text'],
      ['dispatch_no', 'int'],
      ['due_at', 'timestamptz'],
      ['created_at', 'timestamptz'],
      ['delivered_at', 'timestamptz'],
    ],
    reminders,
  );
  await bulkInsert(
    ex,
    'jobs',
    [
      ['kind', 'text'],
      ['payload', 'jsonb'],
      ['run_at', 'timestamptz'],
    ],
    jobs,
  );
  return { menuItems: menu.length, orders: orders.length, rated: ratings.length, overdue, reviews: reviews.length };
}
