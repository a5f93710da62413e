import { sql } from 'drizzle-orm';
import { ACK_CHANNELS, DEFAULT_TARGET_ORG_KINDS, deadlineSecondsOf, type NoticePriority } from '../../domain/notice.ts';
import type { Executor } from '../db/sql.ts';
import { many } from '../db/sql.ts';
import type { Actor } from '../lib/actor.ts';
import * as repo from '../modules/notices/notices.repository.ts';
import { seededRandom } from './demo.ts';
import { shanghaiClock, type World, type WorldOrg, weighted } from './demo-bulk.ts';

/**
 * Demo notices (一键通知): seven notices of the past two months from the district to its towns (and one
 * from 柯桥街道 to its villages and grids), written as the service writes them — targets resolved over
 * the subtree with their responsible cadres in one INSERT … SELECT — and then replayed on the clock:
 * most receipts acknowledged within the deadline, some late, a few never; the two escalation levels
 * run at their deadlines (the escalation rows and the re-sends the deadline job writes; the re-sends
 * are marked recorded, the demo sends no SMS), and the late receipts acknowledged after them.
 */

type Spec = {
  title: string;
  body: string;
  priority: NoticePriority;
  /** hours before the seed time */
  hoursAgo: number;
  /** from the district to its towns, or from 柯桥街道 to its villages and grids */
  to: 'towns' | 'kqjd';
};

const SPECS: Spec[] = [
  {
    title: '关于做好第 12 号台风防御青年突击队集结的紧急通知',
    body: '请各镇街团委立即集结青年突击队，配合属地做好防台转移工作，收到请回复。',
    priority: 'urgent',
    hoursAgo: 2,
    to: 'towns',
  },
  {
    title: '关于报送本月网格青年摸排情况的通知',
    body: '请各村（社区）团组织于本周五前完成网格青年信息核对，并在平台确认收到。',
    priority: 'general',
    hoursAgo: 26,
    to: 'kqjd',
  },
  {
    title: '关于开展“青年大学习”督学的通知',
    body: '请各镇街团委组织团员按时完成本期学习，学习率纳入季度排名。',
    priority: 'general',
    hoursAgo: 75,
    to: 'towns',
  },
  {
    title: '关于推荐“柯桥好青年”候选人的通知',
    body: '请各镇街于下周三前推荐候选人 1–2 名，材料报区团委组织部。',
    priority: 'general',
    hoursAgo: 240,
    to: 'towns',
  },
  {
    title: '关于暑期青少年防溺水安全提醒的紧急通知',
    body: '请各镇街团委立即转发防溺水提醒至各网格青年群，并组织巡河志愿者上岗。',
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
    title: '关于组织青年志愿者参加“五水共治”护河行动的通知',
    body: '请各镇街团委各组织不少于 20 名青年志愿者参加本周末护河行动。',
    priority: 'general',
    hoursAgo: 1440,
    to: 'towns',
  },
];

export async function seedDemoNotices(
  ex: Executor,
  world: World,
  o: { seed: number; now?: Date },
): Promise<{ notices: number; targets: number; acknowledged: number; late: number }> {
  const rand = seededRandom(o.seed * 41 + 13);
  const clock = shanghaiClock(o.now ?? new Date());
  const { districtId } = world;
  const settings = await repo.getNoticeSettings(ex, districtId);
  const kqjd = world.towns.find((t) => t.name.startsWith('柯桥街道')) ?? world.towns[0];
  const actorFor = (org: WorldOrg, accountId: number): Actor => ({
    accountId,
    username: 'demo-seed',
    role: org.depth === 0 ? 'district_admin' : 'org_admin',
    districtId,
    orgId: org.id,
    scopePath: org.path,
    mustChangePassword: false,
    lang: 'zh-CN',
    ip: '127.0.0.1',
  });
  let targets = 0;
  let acknowledged = 0;
  let late = 0;
  let notices = 0;
  for (const spec of SPECS) {
    const senderOrg = spec.to === 'towns' ? world.root : kqjd;
    const senderAccount = spec.to === 'towns' ? world.adminId : (world.townAdmin.get(kqjd.id) ?? world.adminId);
    const actor = actorFor(senderOrg, senderAccount);
    const sentAt = new Date(clock.now.getTime() - spec.hoursAgo * 3600_000);
    const deadlineSeconds = deadlineSecondsOf(spec.priority, settings);
    const target =
      spec.to === 'towns'
        ? { mode: 'subtree' as const, orgKinds: ['town_committee', 'devzone_committee'] as const, includeGrids: false }
        : {
            mode: 'subtree' as const,
            orgKinds: DEFAULT_TARGET_ORG_KINDS.filter((k) => k === 'village_branch' || k === 'community_branch'),
            includeGrids: true,
          };
    const noticeId = await repo.insertNotice(ex, {
      districtId,
      senderAccountId: senderAccount,
      senderOrgId: senderOrg.id,
      title: spec.title,
      body: spec.body,
      priority: spec.priority,
      deadlineSeconds,
      replySpec: null,
      targetSpec: target as never,
      sentAt,
      correctionOf: null,
    });
    const count = await repo.insertTargets(
      ex,
      actor,
      { noticeId, districtId, deadlineAt: new Date(sentAt.getTime() + deadlineSeconds * 1000) },
      {
        mode: 'subtree',
        rootPath: senderOrg.path,
        orgKinds: [...target.orgKinds],
        includeGrids: target.includeGrids,
        gridKinds: null,
        excludeOrgId: senderOrg.id,
      },
    );
    if (!count) continue;
    notices++;
    targets += count;
    await repo.setTargetCount(ex, noticeId, count);
    // Who answers when: on time, late (after the first or the second escalation), or never.
    const rows = await many<{ id: number; responsible: number }>(
      ex,
      sql`SELECT id, responsible_account_ids[1] AS responsible FROM notice_targets WHERE notice_id = ${noticeId} ORDER BY id`,
    );
    const d = deadlineSeconds * 1000;
    const plan = rows.map((r) => {
      const fate = r.responsible
        ? weighted(rand, ['on_time', 'late1', 'late2', 'never'] as const, [62, 15, 10, 13])
        : 'never';
      const offset =
        fate === 'on_time'
          ? d * (0.1 + rand.next() * 0.85)
          : fate === 'late1'
            ? d * (1.05 + rand.next() * 0.9)
            : fate === 'late2'
              ? d * (2.1 + rand.next() * 6)
              : null;
      const at = offset === null ? null : new Date(sentAt.getTime() + offset);
      return { ...r, fate, at: at && at.getTime() < clock.now.getTime() ? at : null };
    });
    const ack = async (fate: string) => {
      const part = plan.filter((p) => p.fate === fate && p.at);
      if (!part.length) return;
      acknowledged += part.length;
      if (fate !== 'on_time') late += part.length;
      await ex.execute(sql`
        UPDATE notice_targets t SET acknowledged_at = x.at, acknowledged_by = x.responsible, ack_channel = x.channel
        FROM jsonb_to_recordset(${JSON.stringify(
          part.map((p) => ({
            id: p.id,
            at: p.at!.toISOString(),
            responsible: p.responsible,
            channel: weighted(rand, ACK_CHANNELS, [60, 15, 15, 10]),
          })),
        )}::jsonb) AS x(id bigint, at timestamptz, responsible int, channel text)
        WHERE t.id = x.id`);
    };
    const notice = (await repo.findNoticeForJob(ex, noticeId))!;
    await ack('on_time');
    for (const level of [1, 2]) {
      const due = new Date(sentAt.getTime() + level * d);
      if (due.getTime() >= clock.now.getTime()) break;
      await repo.escalateLate(ex, notice, level, level <= 1 ? 'sms' : 'wecom', due);
      await ex.execute(sql`UPDATE notice_escalations SET created_at = ${due.toISOString()}::timestamptz
        WHERE notice_id = ${noticeId} AND level = ${level}`);
      await ack(level === 1 ? 'late1' : 'late2');
    }
    // The re-sends the escalations queued: recorded at their escalation time (the demo texts nobody).
    await ex.execute(sql`
      UPDATE notice_deliveries d SET status = 'recorded', attempts = 1, created_at = e.created_at, sent_at = e.created_at
      FROM notice_escalations e
      WHERE d.notice_id = ${noticeId} AND e.notice_id = d.notice_id AND e.target_id = d.target_id
        AND e.resend_channel = d.channel AND d.status = 'pending'`);
  }
  return { notices, targets, acknowledged, late };
}
