import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/sql.ts';
import { iso, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';
import { intArray } from './activities.repository.ts';

/**
 * Service teams, calls and the activity figures. *Seam*: like the notices repository, these
 * queries read `people` and `grids` directly (a person's scope is the home grid's org, else the
 * League branch; participation needs every registered youth of a subtree in one GROUP BY).
 */

export type TeamRow = {
  id: number;
  districtId: number;
  org: { id: number; name: string };
  orgPath: string;
  name: string;
  kind: 'grid_volunteer' | 'caring_mentoring' | 'professional' | 'other';
  category: { id: number; name: string };
  leadOrg: { id: number; name: string } | null;
  leadUnit: string | null;
  gridIds: number[];
  members: number;
  backbones: number;
  reserves: number;
  active: boolean;
  createdAt: string;
};
const SELECT_TEAMS = sql`
  SELECT t.id, t.district_id, t.org_id, o.name AS org_name, o.path AS org_path, t.name, t.kind, t.category_id,
         c.name AS category_name, t.lead_org_id, lo.name AS lead_org_name, t.lead_unit, to_jsonb(t.grid_ids) AS grid_ids,
         t.active, t.created_at,
         (SELECT count(*)::int FROM service_team_members m WHERE m.team_id = t.id) AS members,
         (SELECT count(*)::int FROM service_team_members m WHERE m.team_id = t.id AND m.role = 'backbone') AS backbones,
         (SELECT count(*)::int FROM service_team_members m WHERE m.team_id = t.id AND m.role = 'reserve') AS reserves
  FROM service_teams t
  JOIN orgs o ON o.id = t.org_id
  JOIN activity_categories c ON c.id = t.category_id
  LEFT JOIN orgs lo ON lo.id = t.lead_org_id`;
const toTeam = (r: any): TeamRow => ({
  id: r.id,
  districtId: r.district_id,
  org: { id: r.org_id, name: r.org_name },
  orgPath: r.org_path,
  name: r.name,
  kind: r.kind,
  category: { id: r.category_id, name: r.category_name },
  leadOrg: r.lead_org_id ? { id: r.lead_org_id, name: r.lead_org_name } : null,
  leadUnit: r.lead_unit,
  gridIds: Array.isArray(r.grid_ids) ? r.grid_ids.map(Number) : [],
  members: r.members,
  backbones: r.backbones,
  reserves: r.reserves,
  active: r.active,
  createdAt: iso(r.created_at),
});

export type TeamWrite = {
  orgId: number;
  name: string;
  kind: string;
  categoryId: number;
  leadOrgId: number | null;
  leadUnit: string | null;
  gridIds: number[];
  active?: boolean;
};

export async function insertTeam(ex: Executor, districtId: number, v: TeamWrite, by: number) {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO service_teams (district_id, org_id, name, kind, category_id, lead_org_id, lead_unit, grid_ids, created_by)
        VALUES (${districtId}, ${v.orgId}, ${v.name}, ${v.kind}, ${v.categoryId}, ${v.leadOrgId}, ${v.leadUnit},
                ${intArray(v.gridIds)}, ${by}) RETURNING id`,
  );
  return r!.id;
}

export async function updateTeam(ex: Executor, id: number, patch: Partial<TeamWrite>) {
  const cols: Record<string, string> = {
    name: 'name',
    kind: 'kind',
    categoryId: 'category_id',
    leadOrgId: 'lead_org_id',
    leadUnit: 'lead_unit',
    active: 'active',
  };
  const sets: SQL[] = [sql`updated_at = now()`];
  for (const [k, c] of Object.entries(cols)) {
    const v = (patch as Record<string, unknown>)[k];
    if (v !== undefined) sets.push(sql`${sql.identifier(c)} = ${v as never}`);
  }
  if (patch.gridIds) sets.push(sql`grid_ids = ${intArray(patch.gridIds)}`);
  await ex.execute(sql`UPDATE service_teams SET ${sql.join(sets, sql`, `)} WHERE id = ${id}`);
}

export async function findTeam(ex: Executor, id: number, actor?: Actor): Promise<TeamRow | undefined> {
  const scope = actor && actor.districtId !== null ? sql`AND ${orgScopeCondition(actor, actor.districtId)}` : sql``;
  const r = await one(ex, sql`${SELECT_TEAMS} WHERE t.id = ${id} ${scope}`);
  return r ? toTeam(r) : undefined;
}

export async function listTeams(ex: Executor, actor: Actor, districtId: number) {
  const rows = await many(
    ex,
    sql`${SELECT_TEAMS} WHERE t.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)}
        ORDER BY t.created_at DESC, t.id DESC LIMIT 1000`,
  );
  return rows.map(toTeam);
}

/** The org of the district named as lead unit (牵头单位); any org of the network may lead. */
export async function orgOfDistrict(ex: Executor, districtId: number, id: number) {
  return one<{ id: number }>(ex, sql`SELECT id FROM orgs WHERE id = ${id} AND district_id = ${districtId} AND active`);
}

/** A person of the actor's scope (home grid's org, else the League branch), not withdrawn. */
export async function personInScope(ex: Executor, actor: Actor, districtId: number, personId: number) {
  return one<{ id: number; name: string }>(
    ex,
    sql`SELECT p.id, p.name FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
        JOIN orgs o ON o.id = COALESCE(g.org_id, p.branch_org_id)
        WHERE p.id = ${personId} AND p.withdrawn_at IS NULL AND ${orgScopeCondition(actor, districtId)}`,
  );
}

export async function setMember(
  ex: Executor,
  v: { teamId: number; personId: number; districtId: number; role: string },
) {
  await ex.execute(
    sql`INSERT INTO service_team_members (team_id, person_id, district_id, role) VALUES (${v.teamId}, ${v.personId}, ${v.districtId}, ${v.role})
        ON CONFLICT (team_id, person_id) DO UPDATE SET role = excluded.role`,
  );
}

export async function removeMember(ex: Executor, teamId: number, personId: number): Promise<boolean> {
  const r = await one(
    ex,
    sql`DELETE FROM service_team_members WHERE team_id = ${teamId} AND person_id = ${personId} RETURNING team_id`,
  );
  return !!r;
}

/** Hours a person served: the length of each activity he checked in to (finished or later). */
const HOURS = sql`round(sum(extract(epoch FROM (a.ends_at - a.starts_at)) / 3600)::numeric, 1)::float8`;

export async function listMembers(ex: Executor, teamId: number) {
  return many<{ person_id: number; name: string; role: string; hours: number | null }>(
    ex,
    sql`SELECT m.person_id, p.name, m.role,
               (SELECT ${HOURS} FROM activity_signups s JOIN activity_checkins k ON k.signup_id = s.id
                  JOIN activities a ON a.id = s.activity_id
                WHERE s.person_id = m.person_id AND a.status IN ('finished', 'summarised', 'published')) AS hours
        FROM service_team_members m JOIN people p ON p.id = m.person_id
        WHERE m.team_id = ${teamId} ORDER BY CASE m.role WHEN 'backbone' THEN 0 WHEN 'reserve' THEN 1 ELSE 2 END, p.name`,
  );
}

/** 志愿时长 hours per person of the scope (activities of the scope, finished or later, checked in). */
export async function volunteerHours(
  ex: Executor,
  actor: Actor,
  districtId: number,
  range: { from?: string; to?: string },
) {
  return many<{ person_id: number; name: string; activities: number; hours: number }>(
    ex,
    sql`SELECT s.person_id, p.name, count(*)::int AS activities, ${HOURS} AS hours
        FROM activity_signups s
        JOIN activity_checkins k ON k.signup_id = s.id
        JOIN activities a ON a.id = s.activity_id
        JOIN orgs o ON o.id = a.org_id
        JOIN people p ON p.id = s.person_id
        WHERE a.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)}
          AND a.status IN ('finished', 'summarised', 'published')
          ${range.from ? sql`AND a.starts_at >= ${range.from}` : sql``}
          ${range.to ? sql`AND a.starts_at < ${range.to}` : sql``}
        GROUP BY s.person_id, p.name ORDER BY hours DESC, p.name LIMIT 1000`,
  );
}

/** Active grids of the scope with no active grid volunteer team (网格志愿服务队) covering them. */
export async function gridsWithoutVolunteerTeam(ex: Executor, actor: Actor, districtId: number) {
  return many<{ id: number; name: string; org_name: string }>(
    ex,
    sql`SELECT g.id, g.name, o.name AS org_name FROM grids g JOIN orgs o ON o.id = g.org_id
        WHERE g.district_id = ${districtId} AND g.active AND ${orgScopeCondition(actor, districtId)}
          AND NOT EXISTS (SELECT 1 FROM service_teams t WHERE t.district_id = ${districtId} AND t.active
                            AND t.kind = 'grid_volunteer' AND g.id = ANY(t.grid_ids))
        ORDER BY o.path, g.name LIMIT 5000`,
  );
}

// ── calls 召集令 ──────────────────────────────────────────────────────────────────────────────

/**
 * THE rule of who a call reaches (one place: the count when a call is published and the youth's
 * inbox both use it): a registered, not withdrawn youth of the call's district whose home grid is in
 * the call's grid set (when it names grids) and who has a skill in common with it (when it names
 * skills). `grids` is an int[] and `skills` a text[] expression — the call's own values or its columns.
 */
export function callRecipientRule(v: { person: string; districtId: SQL; grids: SQL; skills: SQL }): SQL {
  const p = sql.raw(v.person);
  return sql`${p}.district_id = ${v.districtId} AND ${p}.status = 'registered' AND ${p}.withdrawn_at IS NULL
    AND (cardinality(${v.grids}) = 0 OR ${p}.home_grid_id = ANY(${v.grids}))
    AND (cardinality(${v.skills}) = 0 OR ${p}.skills ?| ${v.skills})`;
}

/** A text[] parameter of skills (quotes and backslashes dropped, as they were when the rule was a filter). */
const textArray = (values: readonly string[]) =>
  sql`${`{${values.map((s) => `"${s.replace(/["\\]/g, '')}"`).join(',')}}`}::text[]`;

/** The rule over the columns of an activity_calls alias (the inbox: calls a person receives). */
export function callRecipientRuleOfCall(person: string, call: string): SQL {
  const c = sql.raw(call);
  return callRecipientRule({
    person,
    districtId: sql`${c}.district_id`,
    grids: sql`${c}.grid_ids`,
    skills: sql`ARRAY(SELECT jsonb_array_elements_text(${c}.skills))`,
  });
}

/** Registered youth of the district a call reaches: home grid in the set (if any), a skill in common (if any). */
export async function countCallRecipients(
  ex: Executor,
  districtId: number,
  f: { gridIds: number[]; skills: string[] },
) {
  const r = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM people p
        WHERE ${callRecipientRule({ person: 'p', districtId: sql`${districtId}`, grids: intArray(f.gridIds), skills: textArray(f.skills) })}`,
  );
  return r?.n ?? 0;
}

export async function insertCall(
  ex: Executor,
  v: {
    districtId: number;
    activityId: number;
    orgId: number;
    title: string;
    message: string;
    categoryIds: number[];
    skills: string[];
    gridIds: number[];
    recipients: number;
    by: number;
  },
) {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO activity_calls (district_id, activity_id, org_id, title, message, category_ids, skills, grid_ids, recipients, created_by)
        VALUES (${v.districtId}, ${v.activityId}, ${v.orgId}, ${v.title}, ${v.message}, ${intArray(v.categoryIds)},
                ${JSON.stringify(v.skills)}::jsonb, ${intArray(v.gridIds)}, ${v.recipients}, ${v.by}) RETURNING id`,
  );
  return r!.id;
}

/**
 * Calls of the scope with their sign-ups and how many came from outside the organising grids
 * (the activity's grids, or — when it names none — the grids of the organising org).
 */
export async function listCalls(ex: Executor, actor: Actor, districtId: number, callId?: number) {
  return many<any>(
    ex,
    sql`SELECT c.id, c.activity_id, c.org_id, o.name AS org_name, c.title, c.message, to_jsonb(c.category_ids) AS category_ids,
               c.skills, to_jsonb(c.grid_ids) AS grid_ids, c.recipients, c.created_at,
               (SELECT count(*)::int FROM activity_signups s WHERE s.call_id = c.id AND s.status <> 'cancelled') AS signups,
               (SELECT count(*)::int FROM activity_signups s JOIN activities a ON a.id = s.activity_id
                 WHERE s.call_id = c.id AND s.status <> 'cancelled' AND s.grid_id IS NOT NULL
                   AND NOT (s.grid_id = ANY(CASE WHEN cardinality(a.grid_ids) > 0 THEN a.grid_ids
                                                 ELSE ARRAY(SELECT g.id FROM grids g WHERE g.org_id = a.org_id) END))
               ) AS from_outside
        FROM activity_calls c JOIN orgs o ON o.id = c.org_id
        WHERE c.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)}
          ${callId ? sql`AND c.id = ${callId}` : sql``}
        ORDER BY c.created_at DESC, c.id DESC LIMIT 500`,
  );
}

// ── figures ──────────────────────────────────────────────────────────────────────────────────

/** 漏斗 themes published → plans submitted → activities opened → summaries → published, in [from, to), under a path. */
export async function funnel(ex: Executor, districtId: number, path: string, from: string, to: string) {
  const r = await one<any>(
    ex,
    sql`SELECT
          (SELECT count(*)::int FROM activity_themes t JOIN orgs o ON o.id = t.org_id
            WHERE t.district_id = ${districtId} AND o.path LIKE ${`${path}%`}
              AND t.published_at >= ${from} AND t.published_at < ${to}) AS themes,
          (SELECT count(DISTINCT e.plan_id)::int FROM activity_events e JOIN activity_plans p ON p.id = e.plan_id
            JOIN orgs o ON o.id = p.org_id
            WHERE e.district_id = ${districtId} AND o.path LIKE ${`${path}%`} AND e.action = 'submit'
              AND e.at >= ${from} AND e.at < ${to}) AS plans,
          ${stage('open')} AS activities,
          ${stage('summarise')} AS summaries,
          ${stage('publish')} AS published`,
  );
  function stage(action: string) {
    return sql`(SELECT count(DISTINCT e.activity_id)::int FROM activity_events e JOIN activities a ON a.id = e.activity_id
      JOIN orgs o ON o.id = a.org_id
      WHERE e.district_id = ${districtId} AND o.path LIKE ${`${path}%`} AND e.action = ${action}
        AND e.at >= ${from} AND e.at < ${to})`;
  }
  return r as { themes: number; plans: number; activities: number; summaries: number; published: number };
}

/**
 * Registered youth under a path and those who checked in to ≥1 activity starting in [from, to),
 * grouped by home grid and by town (the org one level below the district root on the path).
 */
export async function participation(ex: Executor, districtId: number, path: string, from: string, to: string) {
  return many<{
    grid_id: number | null;
    grid_name: string | null;
    town_id: number | null;
    town_name: string | null;
    registered: number;
    participants: number;
  }>(
    ex,
    sql`WITH youth AS (
          SELECT p.id, p.home_grid_id, o.path
          FROM people p LEFT JOIN grids g ON g.id = p.home_grid_id
          JOIN orgs o ON o.id = COALESCE(g.org_id, p.branch_org_id)
          WHERE p.district_id = ${districtId} AND p.status = 'registered' AND p.withdrawn_at IS NULL
            AND o.path LIKE ${`${path}%`}),
        took_part AS (
          SELECT DISTINCT s.person_id FROM activity_signups s
          JOIN activity_checkins k ON k.signup_id = s.id
          JOIN activities a ON a.id = s.activity_id
          WHERE a.district_id = ${districtId} AND a.starts_at >= ${from} AND a.starts_at < ${to} AND s.person_id IS NOT NULL)
        SELECT y.home_grid_id AS grid_id, g.name AS grid_name, t.id AS town_id, t.name AS town_name,
               count(*)::int AS registered, count(tp.person_id)::int AS participants
        FROM youth y
        LEFT JOIN took_part tp ON tp.person_id = y.id
        LEFT JOIN grids g ON g.id = y.home_grid_id
        LEFT JOIN orgs t ON t.district_id = ${districtId} AND t.depth = 1 AND y.path LIKE t.path || '%'
        GROUP BY y.home_grid_id, g.name, t.id, t.name`,
  );
}

/** Distinct participants (of the registered youth under the path) per Shanghai month of [from, to). */
export async function participantsByMonth(ex: Executor, districtId: number, path: string, from: string, to: string) {
  return many<{ month: string; participants: number }>(
    ex,
    sql`SELECT to_char(a.starts_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, count(DISTINCT s.person_id)::int AS participants
        FROM activity_signups s
        JOIN activity_checkins k ON k.signup_id = s.id
        JOIN activities a ON a.id = s.activity_id
        JOIN people p ON p.id = s.person_id
        LEFT JOIN grids g ON g.id = p.home_grid_id
        JOIN orgs o ON o.id = COALESCE(g.org_id, p.branch_org_id)
        WHERE a.district_id = ${districtId} AND a.starts_at >= ${from} AND a.starts_at < ${to}
          AND p.status = 'registered' AND p.withdrawn_at IS NULL AND o.path LIKE ${`${path}%`}
        GROUP BY 1 ORDER BY 1`,
  );
}

/** Activities (starting in the period, not cancelled) and active teams per category, under a path. */
export async function byCategory(ex: Executor, districtId: number, path: string, from: string, to: string) {
  return many<{ id: number; name: string; activities: number; teams: number }>(
    ex,
    sql`SELECT c.id, c.name,
               (SELECT count(*)::int FROM activities a JOIN orgs o ON o.id = a.org_id
                 WHERE a.category_id = c.id AND a.status <> 'cancelled' AND o.path LIKE ${`${path}%`}
                   AND a.starts_at >= ${from} AND a.starts_at < ${to}) AS activities,
               (SELECT count(*)::int FROM service_teams t JOIN orgs o ON o.id = t.org_id
                 WHERE t.category_id = c.id AND t.active AND o.path LIKE ${`${path}%`}) AS teams
        FROM activity_categories c WHERE c.district_id = ${districtId} ORDER BY c.sort_order, c.id`,
  );
}

/** Published (and upcoming open) activities of an org's subtree or naming a grid, for the calendar feed. */
export async function calendarActivities(
  ex: Executor,
  where: { orgPath?: string; districtId: number; gridId?: number },
) {
  return many<any>(
    ex,
    sql`SELECT a.id, a.title, a.venue, a.starts_at, a.ends_at, a.status, a.updated_at, o.name AS org_name
        FROM activities a JOIN orgs o ON o.id = a.org_id
        WHERE a.district_id = ${where.districtId} AND a.status IN ('open', 'running', 'finished', 'summarised', 'published')
          ${where.orgPath ? sql`AND o.path LIKE ${`${where.orgPath}%`}` : sql``}
          ${where.gridId ? sql`AND ${where.gridId} = ANY(a.grid_ids)` : sql``}
        ORDER BY a.starts_at DESC LIMIT 1000`,
  );
}

export async function findOrgPublic(ex: Executor, id: number) {
  return one<{ id: number; district_id: number; path: string; name: string; active: boolean }>(
    ex,
    sql`SELECT id, district_id, path, name, active FROM orgs WHERE id = ${id}`,
  );
}

export async function findGridPublic(ex: Executor, id: number) {
  return one<{ id: number; district_id: number; name: string; active: boolean }>(
    ex,
    sql`SELECT id, district_id, name, active FROM grids WHERE id = ${id}`,
  );
}

export async function findOrgPath(ex: Executor, actor: Actor, districtId: number, orgId: number) {
  return one<{ path: string }>(
    ex,
    sql`SELECT o.path FROM orgs o WHERE o.id = ${orgId} AND ${orgScopeCondition(actor, districtId)}`,
  );
}

export async function rootPath(ex: Executor, districtId: number) {
  const r = await one<{ path: string }>(
    ex,
    sql`SELECT path FROM orgs WHERE district_id = ${districtId} AND parent_id IS NULL LIMIT 1`,
  );
  return r?.path ?? '/';
}
