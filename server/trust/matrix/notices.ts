/**
 * Authorization rows of the notices module (塔群直达). Targets: the tower group of a fresh leaf org
 * under the scope org; a notice sent from the scope org (its sender org) with one receipt for the
 * scope org itself, whose responsible cadres are the cadre accounts bound to it. Sending, reports and
 * the registry follow the subtree; receiving (inbox, stream) is open to every cadre; acknowledging
 * is for the responsible cadre (403 for another cadre inside the scope) or an admin above (404 outside).
 */
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

/** A notice sent from the scope org with one receipt for the scope org (and, when asked, an attachment). */
async function noticeOf(
  t: Target,
  withAttachment = false,
): Promise<{ noticeId: number; targetId: number; fileId: number }> {
  const [n] = await t.database.query<{ id: number }>(
    `INSERT INTO notices (district_id, sender_account_id, sender_org_id, title, body, priority, deadline_seconds,
                          target_spec, target_count)
     VALUES ($1, $2, $3, $4, '矩阵测试', 'general', 600, '{"mode":"chosen","orgIds":[],"gridIds":[]}'::jsonb, 1)
     RETURNING id`,
    [t.districtId, t.accountId, t.orgId, `通知${t.unique}`],
  );
  const [target] = await t.database.query<{ id: string }>(
    `INSERT INTO notice_targets (district_id, notice_id, org_id, level, responsible_account_ids, deadline_at)
     SELECT $1, $2, o.id, 'town',
            ARRAY(SELECT a.id FROM accounts a WHERE a.org_id = o.id AND a.active
                  AND a.role IN ('district_admin', 'org_admin', 'grid_leader')),
            now() + interval '10 minutes'
     FROM orgs o WHERE o.id = $3 RETURNING id`,
    [t.districtId, n.id, t.orgId],
  );
  let fileId = 0;
  if (withAttachment) {
    const [f] = await t.database.query<{ id: number }>(
      `INSERT INTO notice_attachments (district_id, notice_id, name, mime_type, size, data)
       VALUES ($1, $2, 'a.txt', 'text/plain', 5, decode('aGVsbG8=', 'base64')) RETURNING id`,
      [t.districtId, n.id],
    );
    fileId = f.id;
  }
  return { noticeId: n.id, targetId: Number(target.id), fileId };
}

/** A WeChat group of a fresh leaf org under the scope org. */
async function groupOf(t: Target): Promise<number> {
  const orgId = await t.freshLeafOrg();
  const [g] = await t.database.query<{ id: number }>(
    `INSERT INTO tower_groups (district_id, org_id, channel, name) VALUES ($1, $2, 'wechat', $3) RETURNING id`,
    [t.districtId, orgId, `群${t.unique}`],
  );
  return g.id;
}

/** Cadres who receive notices: every role but youth. */
const RECEIVE = {
  platform_admin: ALL('2xx'),
  district_admin: ALL('2xx'),
  org_admin: ALL('2xx'),
  grid_leader: ALL('2xx'),
  team_leader: ALL('2xx'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

const RECEIVE_DISTRICT = {
  ...RECEIVE,
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: DISTRICT,
  team_leader: DISTRICT,
};

/** Senders: lists are district-wide (filtered to the subtree), objects follow the subtree. */
const SEND_LIST = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

const SEND_SUBTREE = { ...SEND_LIST, org_admin: SUBTREE };

export const noticeRules: Record<string, RouteRule> = {
  'GET /api/notices/settings': {
    request: (t) => ({ url: `/api/notices/settings?districtId=${t.districtId}` }),
    expect: RECEIVE_DISTRICT,
  },
  'PUT /api/notices/settings': {
    request: (t) => ({ url: '/api/notices/settings', payload: { districtId: t.districtId, urgentSeconds: 180 } }),
    expect: { ...SEND_LIST, org_admin: ALL('403') },
  },
  'GET /api/notices/towers': {
    request: (t) => ({ url: `/api/notices/towers?districtId=${t.districtId}&orgId=${t.orgId}` }),
    expect: SEND_SUBTREE,
  },
  'GET /api/notices/towers/gaps': {
    request: (t) => ({ url: `/api/notices/towers/gaps?districtId=${t.districtId}&orgId=${t.orgId}` }),
    expect: SEND_SUBTREE,
  },
  'POST /api/notices/towers': {
    request: async (t) => ({
      url: '/api/notices/towers',
      payload: { orgId: await t.freshLeafOrg(), channel: 'wechat', name: `群${t.unique}` },
    }),
    expect: SEND_SUBTREE,
  },
  'PATCH /api/notices/towers/:id': {
    request: async (t) => ({ url: `/api/notices/towers/${await groupOf(t)}`, payload: { name: `改${t.unique}` } }),
    expect: SEND_SUBTREE,
  },
  'DELETE /api/notices/towers/:id': {
    request: async (t) => ({ url: `/api/notices/towers/${await groupOf(t)}` }),
    expect: SEND_SUBTREE,
  },
  'POST /api/notices': {
    request: (t) => ({
      url: '/api/notices',
      payload: {
        districtId: t.districtId,
        title: `通知${t.unique}`,
        body: '矩阵测试',
        priority: 'general',
        target: { mode: 'subtree', rootOrgId: t.orgId },
      },
    }),
    expect: SEND_SUBTREE,
  },
  'GET /api/notices': { request: (t) => ({ url: `/api/notices?districtId=${t.districtId}` }), expect: SEND_LIST },
  'GET /api/notices/inbox': { request: () => ({ url: '/api/notices/inbox' }), expect: RECEIVE },
  // The event stream answers its greeting and closes with ?once=1; without it the stream stays open.
  'GET /api/notices/stream': { request: () => ({ url: '/api/notices/stream?once=1' }), expect: RECEIVE },
  'GET /api/notices/on-time': {
    request: (t) => ({ url: `/api/notices/on-time?districtId=${t.districtId}&month=2026-11` }),
    expect: SEND_LIST,
  },
  'GET /api/notices/:id': {
    request: async (t) => ({ url: `/api/notices/${(await noticeOf(t)).noticeId}` }),
    expect: SEND_SUBTREE,
  },
  'GET /api/notices/:id/report': {
    request: async (t) => ({ url: `/api/notices/${(await noticeOf(t)).noticeId}/report` }),
    expect: SEND_SUBTREE,
  },
  'POST /api/notices/:id/corrections': {
    request: async (t) => ({
      url: `/api/notices/${(await noticeOf(t)).noticeId}/corrections`,
      payload: { title: `更正${t.unique}`, body: '更正内容' },
    }),
    expect: SEND_SUBTREE,
  },
  'GET /api/notices/:id/attachments/:attachmentId': {
    // Senders see their subtree's notices; a cadre the notice reached sees its attachments too.
    request: async (t) => {
      const n = await noticeOf(t, true);
      return { url: `/api/notices/${n.noticeId}/attachments/${n.fileId}` };
    },
    expect: { ...SEND_SUBTREE, grid_leader: '2xx 404 404 404 404', team_leader: ALL('404') },
  },
  'POST /api/notices/targets/:id/ack': {
    request: async (t) => ({ url: `/api/notices/targets/${(await noticeOf(t)).targetId}/ack`, payload: {} }),
    expect: {
      ...SEND_SUBTREE,
      grid_leader: '2xx 403 404 404 404',
      team_leader: '403 403 404 404 404',
    },
  },
};
