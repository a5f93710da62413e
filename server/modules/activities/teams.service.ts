import type { z } from 'zod';
import {
  type CallCreateSchema,
  type FiguresQuery,
  percent,
  type TeamCreateSchema,
  type TeamUpdateSchema,
  teamWarnings,
} from '../../../domain/activity.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { liveActivityToken } from '../registrations/registrations.service.ts';
import * as acts from './activities.repository.ts';
import { enqueueCallNotices } from './call-inbox.service.ts';
import type { TeamRow } from './teams.repository.ts';
import * as repo from './teams.repository.ts';

function fieldError(code: ConstructorParameters<typeof AppError>[0], field: string) {
  return new AppError(code, { errors: [{ field, message: code }] });
}

async function checkGrids(database: Database, actor: Actor, districtId: number, gridIds: number[]) {
  const unique = [...new Set(gridIds)];
  const found = new Set(
    (await acts.gridsInScope(database.db, actor, districtId, unique)).filter((g) => g.active).map((g) => g.id),
  );
  const bad = gridIds.findIndex((id) => !found.has(id));
  if (bad >= 0) throw fieldError('GRID_NOT_FOUND', `gridIds.${bad}`);
  return unique;
}

async function checkCategory(database: Database, districtId: number, id: number) {
  await acts.ensureDefaultCategories(database.db, districtId);
  const c = await acts.findCategory(database.db, districtId, id);
  if (!c?.active) throw fieldError('ACTIVITY_CATEGORY_NOT_FOUND', 'categoryId');
}

// ── service teams 服务团队 ─────────────────────────────────────────────────────────────────────

async function toTeam(database: Database, t: TeamRow) {
  const [withGrids] = await acts.withGridRefs(database.db, [t]);
  const { orgPath: _o, gridIds: _g, ...rest } = withGrids;
  return { ...rest, warnings: teamWarnings(t.backbones, t.reserves) };
}

async function loadTeam(database: Database, actor: Actor, id: number) {
  const t = await repo.findTeam(database.db, id, actor);
  if (t) return t;
  const any = await repo.findTeam(database.db, id);
  if (any)
    await recordAudit(database.db, actor, {
      action: 'scope.denied',
      entity: 'service_team',
      entityId: id,
      districtId: any.districtId,
    });
  throw new AppError('TEAM_NOT_FOUND');
}

export async function createTeam(database: Database, actor: Actor, input: z.infer<typeof TeamCreateSchema>) {
  requirePermission(actor, 'activity.write');
  let org: Awaited<ReturnType<typeof loadOrgInScope>>;
  try {
    org = await loadOrgInScope(database, actor, input.orgId);
  } catch (err) {
    if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') throw fieldError('ORG_NOT_FOUND', 'orgId');
    throw err;
  }
  await checkCategory(database, org.districtId, input.categoryId);
  if (input.leadOrgId && !(await repo.orgOfDistrict(database.db, org.districtId, input.leadOrgId)))
    throw fieldError('ORG_NOT_FOUND', 'leadOrgId');
  const gridIds = await checkGrids(database, actor, org.districtId, input.gridIds);
  return database.db
    .transaction(async (tx) => {
      const id = await repo.insertTeam(
        tx,
        org.districtId,
        {
          orgId: org.id,
          name: input.name,
          kind: input.kind,
          categoryId: input.categoryId,
          leadOrgId: input.leadOrgId ?? null,
          leadUnit: input.leadUnit ?? null,
          gridIds,
        },
        actor.accountId,
      );
      await recordAudit(tx, actor, {
        action: 'service_team.create',
        entity: 'service_team',
        entityId: id,
        districtId: org.districtId,
        after: input,
      });
      return id;
    })
    .then(async (id) => toTeam(database, (await repo.findTeam(database.db, id))!));
}

export async function updateTeam(
  database: Database,
  actor: Actor,
  id: number,
  patch: z.infer<typeof TeamUpdateSchema>,
) {
  requirePermission(actor, 'activity.write');
  const t = await loadTeam(database, actor, id);
  if (patch.categoryId) await checkCategory(database, t.districtId, patch.categoryId);
  if (patch.leadOrgId && !(await repo.orgOfDistrict(database.db, t.districtId, patch.leadOrgId)))
    throw fieldError('ORG_NOT_FOUND', 'leadOrgId');
  const gridIds = patch.gridIds ? await checkGrids(database, actor, t.districtId, patch.gridIds) : undefined;
  await database.db.transaction(async (tx) => {
    await repo.updateTeam(tx, id, { ...patch, gridIds } as Partial<repo.TeamWrite>);
    await recordAudit(tx, actor, {
      action: 'service_team.update',
      entity: 'service_team',
      entityId: id,
      districtId: t.districtId,
      after: patch,
    });
  });
  return getTeam(database, actor, id);
}

export async function searchTeams(database: Database, actor: Actor, districtId?: number) {
  requirePermission(actor, 'activity.read');
  const d = resolveDistrict(actor, districtId);
  const rows = await repo.listTeams(database.db, actor, d);
  const withGrids = await acts.withGridRefs(database.db, rows);
  return {
    items: withGrids.map(({ orgPath: _o, gridIds: _g, ...rest }) => ({
      ...rest,
      warnings: teamWarnings(rest.backbones, rest.reserves),
    })),
  };
}

export async function getTeam(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'activity.read');
  const t = await loadTeam(database, actor, id);
  const members = await repo.listMembers(database.db, id);
  return {
    ...(await toTeam(database, t)),
    memberList: members.map((m) => ({
      personId: m.person_id,
      name: m.name,
      role: m.role as 'member' | 'backbone' | 'reserve',
      hours: Number(m.hours ?? 0),
    })),
  };
}

/** Adds a member or changes his role (member / 骨干 backbone / 后备骨干 reserve). */
export async function setTeamMember(
  database: Database,
  actor: Actor,
  id: number,
  input: { personId: number; role: 'member' | 'backbone' | 'reserve' },
) {
  requirePermission(actor, 'activity.write');
  const t = await loadTeam(database, actor, id);
  if (!(await repo.personInScope(database.db, actor, t.districtId, input.personId)))
    throw fieldError('PERSON_NOT_FOUND', 'personId');
  await database.db.transaction(async (tx) => {
    await repo.setMember(tx, { teamId: id, personId: input.personId, districtId: t.districtId, role: input.role });
    await recordAudit(tx, actor, {
      action: 'service_team.member',
      entity: 'service_team',
      entityId: id,
      districtId: t.districtId,
      after: input,
    });
  });
  return getTeam(database, actor, id);
}

export async function removeTeamMember(database: Database, actor: Actor, id: number, personId: number) {
  requirePermission(actor, 'activity.write');
  const t = await loadTeam(database, actor, id);
  await database.db.transaction(async (tx) => {
    if (!(await repo.removeMember(tx, id, personId))) throw new AppError('PERSON_NOT_FOUND');
    await recordAudit(tx, actor, {
      action: 'service_team.member_remove',
      entity: 'service_team',
      entityId: id,
      districtId: t.districtId,
      before: { personId },
    });
  });
  return getTeam(database, actor, id);
}

export async function gridGaps(database: Database, actor: Actor, districtId?: number) {
  requirePermission(actor, 'activity.read');
  const d = resolveDistrict(actor, districtId);
  const rows = await repo.gridsWithoutVolunteerTeam(database.db, actor, d);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, orgName: r.org_name })) };
}

export async function hours(database: Database, actor: Actor, q: { districtId?: number; from?: string; to?: string }) {
  requirePermission(actor, 'activity.read');
  const d = resolveDistrict(actor, q.districtId);
  const rows = await repo.volunteerHours(database.db, actor, d, q);
  return {
    items: rows.map((r) => ({ personId: r.person_id, name: r.name, activities: r.activities, hours: Number(r.hours) })),
  };
}

// ── calls 二维召集令 ──────────────────────────────────────────────────────────────────────────

function toCall(r: any, qrUrl: string | null) {
  return {
    id: r.id,
    activityId: r.activity_id,
    org: { id: r.org_id, name: r.org_name },
    title: r.title,
    message: r.message,
    categoryIds: (r.category_ids ?? []).map(Number),
    skills: r.skills ?? [],
    gridIds: (r.grid_ids ?? []).map(Number),
    recipients: r.recipients,
    signups: r.signups,
    fromOutside: r.from_outside,
    qrUrl,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

async function callUrl(database: Database, pii: PiiCipher, activityId: number, callId: number, baseUrl: string) {
  const live = await liveActivityToken(database.db, pii, activityId, baseUrl);
  return live ? `${live.url}?call=${callId}` : null;
}

/** 召集令 publishes a call for an open activity to youth across grids (by grid set and skill). */
export async function createCall(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  input: z.infer<typeof CallCreateSchema>,
  baseUrl: string,
) {
  requirePermission(actor, 'activity.write');
  const a = await acts.findActivity(database.db, input.activityId, actor);
  if (!a) throw fieldError('ACTIVITY_NOT_FOUND', 'activityId');
  if (a.status !== 'open') throw new AppError('ACTIVITY_STATE');
  // the call reaches across grids: any grid of the district may be named, not only the own subtree's
  const gridIds = [...new Set(input.gridIds)];
  if (gridIds.length) {
    const rows = await Promise.all(gridIds.map((g) => repo.findGridPublic(database.db, g)));
    const bad = rows.findIndex((g) => !g || g.district_id !== a.districtId || !g.active);
    if (bad >= 0) throw fieldError('GRID_NOT_FOUND', `gridIds.${bad}`);
  }
  for (const [i, c] of input.categoryIds.entries()) {
    const cat = await acts.findCategory(database.db, a.districtId, c);
    if (!cat) throw fieldError('ACTIVITY_CATEGORY_NOT_FOUND', `categoryIds.${i}`);
  }
  const recipients = await repo.countCallRecipients(database.db, a.districtId, { gridIds, skills: input.skills });
  const id = await database.db.transaction(async (tx) => {
    const id = await repo.insertCall(tx, {
      districtId: a.districtId,
      activityId: a.id,
      orgId: a.org.id,
      title: input.title,
      message: input.message,
      categoryIds: input.categoryIds,
      skills: input.skills,
      gridIds,
      recipients,
      by: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: 'activity_call.create',
      entity: 'activity_call',
      entityId: id,
      districtId: a.districtId,
      after: { activityId: a.id, recipients },
    });
    // 我的召集令: the recipients are told by SMS with their personal inbox link (call-inbox.service.ts)
    await enqueueCallNotices(tx, id, baseUrl);
    return id;
  });
  const [row] = await repo.listCalls(database.db, actor, a.districtId, id);
  return toCall(row, await callUrl(database, pii, a.id, id, baseUrl));
}

export async function searchCalls(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  districtId: number | undefined,
  baseUrl: string,
) {
  requirePermission(actor, 'activity.read');
  const d = resolveDistrict(actor, districtId);
  const rows = await repo.listCalls(database.db, actor, d);
  const items = [];
  for (const r of rows) items.push(toCall(r, await callUrl(database, pii, r.activity_id, r.id, baseUrl)));
  return { items };
}

// ── figures 统计 ──────────────────────────────────────────────────────────────────────────────

/** The subtree a figure is about: the named org (in scope), else the actor's own org, else the district root. */
async function subjectPath(database: Database, actor: Actor, q: FiguresQuery) {
  requirePermission(actor, 'activity.read');
  const d = resolveDistrict(actor, q.districtId);
  if (q.orgId) {
    const org = await repo.findOrgPath(database.db, actor, d, q.orgId);
    if (!org) {
      await recordAudit(database.db, actor, {
        action: 'scope.denied',
        entity: 'org',
        entityId: q.orgId,
        districtId: d,
      });
      throw fieldError('ORG_NOT_FOUND', 'orgId');
    }
    return { districtId: d, path: org.path };
  }
  return { districtId: d, path: actor.scopePath ?? (await repo.rootPath(database.db, d)) };
}

export async function getFunnel(database: Database, actor: Actor, q: FiguresQuery) {
  const s = await subjectPath(database, actor, q);
  return repo.funnel(database.db, s.districtId, s.path, q.from, q.to);
}

/** Months (Asia/Shanghai, 'YYYY-MM') a range touches. */
function monthsOf(from: string, to: string): string[] {
  const shift = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000);
  const start = shift(from);
  const end = shift(new Date(Date.parse(to) - 1).toISOString());
  const out: string[] = [];
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth();
  while (y < end.getUTCFullYear() || (y === end.getUTCFullYear() && m <= end.getUTCMonth())) {
    out.push(`${y}-${String(m + 1).padStart(2, '0')}`);
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

/** 参与率 share of registered youth of the subtree who attended ≥1 activity in the period; by grid, town, month. */
export async function getParticipation(database: Database, actor: Actor, q: FiguresQuery) {
  const s = await subjectPath(database, actor, q);
  const rows = await repo.participation(database.db, s.districtId, s.path, q.from, q.to);
  const sum = (list: typeof rows) => ({
    registered: list.reduce((n, r) => n + r.registered, 0),
    participants: list.reduce((n, r) => n + r.participants, 0),
  });
  const group = (key: (r: (typeof rows)[number]) => [number, string] | null) => {
    const map = new Map<number, { id: number; name: string; registered: number; participants: number }>();
    for (const r of rows) {
      const k = key(r);
      if (!k) continue;
      const g = map.get(k[0]) ?? { id: k[0], name: k[1], registered: 0, participants: 0 };
      g.registered += r.registered;
      g.participants += r.participants;
      map.set(k[0], g);
    }
    return [...map.values()].map((g) => ({ ...g, rate: percent(g.participants, g.registered) }));
  };
  const total = sum(rows);
  const byMonth = new Map(
    (await repo.participantsByMonth(database.db, s.districtId, s.path, q.from, q.to)).map((m) => [
      m.month,
      m.participants,
    ]),
  );
  return {
    total: { ...total, rate: percent(total.participants, total.registered) },
    towns: group((r) => (r.town_id ? [r.town_id, r.town_name!] : null)),
    grids: group((r) => (r.grid_id ? [r.grid_id, r.grid_name!] : null)),
    months: monthsOf(q.from, q.to).map((month) => ({
      month,
      participants: byMonth.get(month) ?? 0,
      rate: percent(byMonth.get(month) ?? 0, total.registered),
    })),
  };
}

export async function getByCategory(database: Database, actor: Actor, q: FiguresQuery) {
  const s = await subjectPath(database, actor, q);
  await acts.ensureDefaultCategories(database.db, s.districtId);
  return { items: await repo.byCategory(database.db, s.districtId, s.path, q.from, q.to) };
}

// ── iCalendar feed ───────────────────────────────────────────────────────────────────────────

/** RFC 5545 TEXT escaping. */
function icsText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}
/** RFC 5545 line folding: at most 75 octets a line, continuation lines start with a space. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join('\r\n ');
}
const icsTime = (iso: string) => `${new Date(iso).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;

/** 日历订阅 the activities of an org's subtree or a grid as an iCalendar feed (public, no personal data). */
export async function calendarFeed(database: Database, kind: 'org' | 'grid', id: number, host: string) {
  let name: string;
  let rows: any[];
  if (kind === 'org') {
    const org = await repo.findOrgPublic(database.db, id);
    if (!org?.active) throw new AppError('ORG_NOT_FOUND');
    name = org.name;
    rows = await repo.calendarActivities(database.db, { districtId: org.district_id, orgPath: org.path });
  } else {
    const grid = await repo.findGridPublic(database.db, id);
    if (!grid?.active) throw new AppError('GRID_NOT_FOUND');
    name = grid.name;
    rows = await repo.calendarActivities(database.db, { districtId: grid.district_id, gridId: grid.id });
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Jingwei//Activities//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(`${name} 青年活动`)}`,
    'X-WR-TIMEZONE:Asia/Shanghai',
  ];
  for (const r of rows) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:activity-${r.id}@${host}`,
      `DTSTAMP:${icsTime(new Date(r.updated_at).toISOString())}`,
      `DTSTART:${icsTime(new Date(r.starts_at).toISOString())}`,
      `DTEND:${icsTime(new Date(r.ends_at).toISOString())}`,
      `SUMMARY:${icsText(r.title)}`,
      `LOCATION:${icsText(r.venue)}`,
      `DESCRIPTION:${icsText(`主办：${r.org_name}`)}`,
      'STATUS:CONFIRMED',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
