import { type SQL, sql } from 'drizzle-orm';
import type { CadrePost, ContactChannel, RecruitedFrom, VisitTargetKind } from '../../../domain/cadre.ts';
import { DEFAULT_VISIT_DAY } from '../../../domain/cadre.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, likeEscape, many, one } from '../../db/sql.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgScopeCondition } from '../../lib/actor.ts';

/**
 * SQL of 团干部 / 1+100 / 走访. A cadre's scope is his person's (home grid's responsible org, else his
 * League branch), joined the same way as the registry; a visit's scope is its visiting org.
 */

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

function scopeOf(actor: Actor, alias = 'o'): SQL {
  return actor.districtId === null ? sql`TRUE` : orgScopeCondition(actor, actor.districtId, alias);
}

/** people p → its scope org o (and home grid hg) */
const PERSON_ORG = sql`people p LEFT JOIN grids hg ON hg.id = p.home_grid_id
  JOIN orgs o ON o.id = coalesce(hg.org_id, p.branch_org_id)`;

export type CadreRow = {
  personId: number;
  districtId: number;
  name: string;
  org: { id: number; name: string };
  orgPath: string;
  homeGrid: { id: number; name: string } | null;
  posts: CadrePost[];
  recruitedFrom: RecruitedFrom | null;
  contacts: number;
  contactedThisQuarter: number;
  trainings: number;
  createdAt: string;
  updatedAt: string;
};

const selectCadres = (quarterFrom: string, quarterTo: string) => sql`
  SELECT c.person_id, c.district_id, p.name, o.id AS org_id, o.name AS org_name, o.path AS org_path,
         hg.id AS grid_id, hg.name AS grid_name, c.posts, c.recruited_from, c.created_at, c.updated_at,
         (SELECT count(*)::int FROM cadre_contacts cc JOIN people cp ON cp.id = cc.person_id
            WHERE cc.cadre_person_id = c.person_id AND cp.status <> 'withdrawn') AS contacts,
         (SELECT count(*)::int FROM cadre_contacts cc JOIN people cp ON cp.id = cc.person_id
            WHERE cc.cadre_person_id = c.person_id AND cp.status <> 'withdrawn'
              AND EXISTS (SELECT 1 FROM contact_logs l WHERE l.cadre_person_id = cc.cadre_person_id
                            AND l.person_id = cc.person_id AND l.contacted_on BETWEEN ${quarterFrom}::date AND ${quarterTo}::date)
         ) AS contacted,
         (SELECT count(*)::int FROM cadre_trainings t WHERE t.cadre_person_id = c.person_id) AS trainings
  FROM cadres c JOIN ${PERSON_ORG} ON p.id = c.person_id`;

function toCadreRow(r: any): CadreRow {
  return {
    personId: r.person_id,
    districtId: r.district_id,
    name: r.name,
    org: { id: r.org_id, name: r.org_name },
    orgPath: r.org_path,
    homeGrid: r.grid_id ? { id: r.grid_id, name: r.grid_name } : null,
    posts: parseJson(r.posts),
    recruitedFrom: r.recruited_from,
    contacts: r.contacts,
    contactedThisQuarter: r.contacted,
    trainings: r.trainings,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export async function findCadreInScope(
  ex: Executor,
  actor: Actor,
  personId: number,
  quarter: { from: string; to: string },
): Promise<CadreRow | undefined> {
  const r = await one(
    ex,
    sql`${selectCadres(quarter.from, quarter.to)} WHERE c.person_id = ${personId} AND p.status <> 'withdrawn' AND ${scopeOf(actor)}`,
  );
  return r ? toCadreRow(r) : undefined;
}

export async function cadreExists(ex: Executor, personId: number): Promise<{ districtId: number } | undefined> {
  const r = await one<{ district_id: number }>(ex, sql`SELECT district_id FROM cadres WHERE person_id = ${personId}`);
  return r ? { districtId: r.district_id } : undefined;
}

/** Locks the cadre row: concurrent additions to one 1+100 list are counted one after another. */
export async function lockCadre(ex: Executor, personId: number): Promise<void> {
  await ex.execute(sql`SELECT 1 FROM cadres WHERE person_id = ${personId} FOR UPDATE`);
}

export async function listCadres(
  ex: Executor,
  actor: Actor,
  districtId: number,
  f: { orgPath?: string; q?: string; post?: CadrePost; page: number; pageSize: number },
  quarter: { from: string; to: string },
) {
  const conds: SQL[] = [
    sql`c.district_id = ${districtId}`,
    orgScopeCondition(actor, districtId),
    sql`p.status <> 'withdrawn'`,
  ];
  if (f.orgPath) conds.push(sql`o.path LIKE ${`${likeEscape(f.orgPath)}%`}`);
  if (f.q) conds.push(sql`p.name LIKE ${`%${likeEscape(f.q)}%`}`);
  if (f.post) conds.push(sql`c.posts @> ${JSON.stringify([f.post])}::jsonb`);
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM cadres c JOIN ${PERSON_ORG} ON p.id = c.person_id WHERE ${where}`,
  );
  const rows = await many<any>(
    ex,
    sql`${selectCadres(quarter.from, quarter.to)} WHERE ${where}
        ORDER BY c.person_id LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, rows: rows.map(toCadreRow) };
}

export async function upsertCadre(
  ex: Executor,
  w: {
    personId: number;
    districtId: number;
    posts: CadrePost[];
    recruitedFrom: RecruitedFrom | null;
    by: number | null;
  },
): Promise<'created' | 'updated'> {
  const r = await one<{ inserted: boolean }>(
    ex,
    sql`INSERT INTO cadres (person_id, district_id, posts, recruited_from, created_by)
        VALUES (${w.personId}, ${w.districtId}, ${JSON.stringify(w.posts)}::jsonb, ${w.recruitedFrom}, ${w.by})
        ON CONFLICT (person_id) DO UPDATE SET posts = excluded.posts, recruited_from = excluded.recruited_from,
          updated_at = now()
        RETURNING (xmax = 0) AS inserted`,
  );
  return r?.inserted ? 'created' : 'updated';
}

// --- trainings -----------------------------------------------------------------------------------

export type TrainingRow = {
  id: number;
  title: string;
  heldOn: string;
  hours: number | null;
  note: string | null;
  createdAt: string;
};
const toTraining = (r: any): TrainingRow => ({
  id: r.id,
  title: r.title,
  heldOn: r.held_on,
  hours: r.hours === null ? null : Number(r.hours),
  note: r.note,
  createdAt: iso(r.created_at),
});

export async function insertTraining(
  ex: Executor,
  w: {
    districtId: number;
    cadrePersonId: number;
    title: string;
    heldOn: string;
    hours: number | null;
    note: string | null;
    by: number | null;
  },
): Promise<TrainingRow> {
  const r = await one<any>(
    ex,
    sql`INSERT INTO cadre_trainings (district_id, cadre_person_id, title, held_on, hours, note, created_by)
        VALUES (${w.districtId}, ${w.cadrePersonId}, ${w.title}, ${w.heldOn}::date, ${w.hours}, ${w.note}, ${w.by})
        RETURNING id, title, held_on::text AS held_on, hours, note, created_at`,
  );
  return toTraining(r);
}

export async function listTrainings(ex: Executor, cadrePersonId: number): Promise<TrainingRow[]> {
  const rows = await many<any>(
    ex,
    sql`SELECT id, title, held_on::text AS held_on, hours, note, created_at FROM cadre_trainings
        WHERE cadre_person_id = ${cadrePersonId} ORDER BY held_on DESC, id DESC`,
  );
  return rows.map(toTraining);
}

// --- 1+100 contacts ------------------------------------------------------------------------------

export type ContactRow = {
  personId: number;
  name: string;
  homeGrid: { id: number; name: string } | null;
  org: { id: number; name: string };
  addedAt: string;
  lastContactOn: string | null;
};

/**
 * A cadre's 1+100 list: never withdrawn people; key youth only for `withKeyYouth` (their archive is
 * restricted, so their presence on a list is too).
 */
export async function listContacts(ex: Executor, cadrePersonId: number, withKeyYouth: boolean): Promise<ContactRow[]> {
  const rows = await many<any>(
    ex,
    sql`SELECT p.id, p.name, hg.id AS grid_id, hg.name AS grid_name, o.id AS org_id, o.name AS org_name, cc.created_at,
               (SELECT max(l.contacted_on)::text FROM contact_logs l
                  WHERE l.cadre_person_id = cc.cadre_person_id AND l.person_id = cc.person_id) AS last_on
        FROM cadre_contacts cc JOIN ${PERSON_ORG} ON p.id = cc.person_id
        WHERE cc.cadre_person_id = ${cadrePersonId} AND p.status <> 'withdrawn'
          ${withKeyYouth ? sql`` : sql`AND NOT EXISTS (SELECT 1 FROM key_youth k WHERE k.person_id = p.id)`}
        ORDER BY last_on NULLS FIRST, p.id`,
  );
  return rows.map((r) => ({
    personId: r.id,
    name: r.name,
    homeGrid: r.grid_id ? { id: r.grid_id, name: r.grid_name } : null,
    org: { id: r.org_id, name: r.org_name },
    addedAt: iso(r.created_at),
    lastContactOn: r.last_on,
  }));
}

/** How many live (not withdrawn) youth the cadre's list holds, and which of `ids` are on it already. */
export async function contactState(ex: Executor, cadrePersonId: number, ids: number[]) {
  const n = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM cadre_contacts cc JOIN people p ON p.id = cc.person_id
        WHERE cc.cadre_person_id = ${cadrePersonId} AND p.status <> 'withdrawn'`,
  );
  const present = await many<{ person_id: number }>(
    ex,
    sql`SELECT person_id FROM cadre_contacts WHERE cadre_person_id = ${cadrePersonId}
        AND person_id IN (${sql.join(
          ids.map((i) => sql`${i}`),
          sql`, `,
        )})`,
  );
  return { count: n?.n ?? 0, present: new Set(present.map((r) => r.person_id)) };
}

export async function insertContacts(
  ex: Executor,
  districtId: number,
  cadrePersonId: number,
  ids: number[],
  by: number | null,
): Promise<void> {
  if (!ids.length) return;
  await ex.execute(
    sql`INSERT INTO cadre_contacts (cadre_person_id, person_id, district_id, created_by)
        SELECT ${cadrePersonId}, x, ${districtId}, ${by} FROM unnest(${`{${ids.join(',')}}`}::int[]) AS x
        ON CONFLICT DO NOTHING`,
  );
}

export async function deleteContact(ex: Executor, cadrePersonId: number, personId: number): Promise<boolean> {
  const r = await many(
    ex,
    sql`DELETE FROM cadre_contacts WHERE cadre_person_id = ${cadrePersonId} AND person_id = ${personId} RETURNING 1`,
  );
  return r.length > 0;
}

export async function isContact(ex: Executor, cadrePersonId: number, personId: number): Promise<boolean> {
  return !!(await one(
    ex,
    sql`SELECT 1 FROM cadre_contacts WHERE cadre_person_id = ${cadrePersonId} AND person_id = ${personId}`,
  ));
}

// --- contact log ---------------------------------------------------------------------------------

export type ContactLogRow = {
  id: number;
  cadrePersonId: number;
  person: { id: number; name: string };
  contactedOn: string;
  channel: ContactChannel;
  note: string | null;
  createdBy: string | null;
  createdAt: string;
};
const SELECT_LOG = sql`
  SELECT l.id, l.cadre_person_id, l.person_id, p.name AS person_name, l.contacted_on::text AS contacted_on, l.channel,
         l.note, a.username AS created_by, l.created_at
  FROM contact_logs l JOIN people p ON p.id = l.person_id LEFT JOIN accounts a ON a.id = l.created_by`;
const toLog = (r: any): ContactLogRow => ({
  id: r.id,
  cadrePersonId: r.cadre_person_id,
  person: { id: r.person_id, name: r.person_name },
  contactedOn: r.contacted_on,
  channel: r.channel,
  note: r.note,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

export async function insertContactLog(
  ex: Executor,
  w: {
    districtId: number;
    cadrePersonId: number;
    personId: number;
    contactedOn: string;
    channel: ContactChannel;
    note: string | null;
    by: number | null;
  },
): Promise<ContactLogRow> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO contact_logs (district_id, cadre_person_id, person_id, contacted_on, channel, note, created_by)
        VALUES (${w.districtId}, ${w.cadrePersonId}, ${w.personId}, ${w.contactedOn}::date, ${w.channel}, ${w.note}, ${w.by})
        RETURNING id`,
  );
  return toLog(await one<any>(ex, sql`${SELECT_LOG} WHERE l.id = ${r!.id}`));
}

/** The contact log of a cadre, newest first; entries of withdrawn people are no longer shown. */
export async function listContactLogs(
  ex: Executor,
  cadrePersonId: number,
  withKeyYouth: boolean,
  page: number,
  pageSize: number,
) {
  const where = sql`l.cadre_person_id = ${cadrePersonId} AND p.status <> 'withdrawn'
    ${withKeyYouth ? sql`` : sql`AND NOT EXISTS (SELECT 1 FROM key_youth k WHERE k.person_id = p.id)`}`;
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM contact_logs l JOIN people p ON p.id = l.person_id WHERE ${where}`,
  );
  const rows = await many<any>(
    ex,
    sql`${SELECT_LOG} WHERE ${where} ORDER BY l.contacted_on DESC, l.id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
  );
  return { total: total?.n ?? 0, rows: rows.map(toLog) };
}

// --- coverage dashboard --------------------------------------------------------------------------

/** 1+100 coverage of the cadres in a subtree for a quarter: per cadre, and the pairs not reached. */
export async function contactCoverage(
  ex: Executor,
  actor: Actor,
  districtId: number,
  orgPath: string | undefined,
  quarter: { from: string; to: string },
  withKeyYouth: boolean,
) {
  const scope = sql.join(
    [
      sql`c.district_id = ${districtId}`,
      orgScopeCondition(actor, districtId),
      sql`p.status <> 'withdrawn'`,
      ...(orgPath ? [sql`o.path LIKE ${`${likeEscape(orgPath)}%`}`] : []),
    ],
    sql` AND `,
  );
  const pairs = sql`
    SELECT c.person_id AS cadre_id, p.name AS cadre_name, o.id AS org_id, o.name AS org_name,
           yp.id AS person_id, yp.name AS person_name,
           (SELECT max(l.contacted_on) FROM contact_logs l
              WHERE l.cadre_person_id = c.person_id AND l.person_id = yp.id) AS last_on
    FROM cadres c JOIN ${PERSON_ORG} ON p.id = c.person_id
    JOIN cadre_contacts cc ON cc.cadre_person_id = c.person_id
    JOIN people yp ON yp.id = cc.person_id AND yp.status <> 'withdrawn'
      ${withKeyYouth ? sql`` : sql`AND NOT EXISTS (SELECT 1 FROM key_youth k WHERE k.person_id = yp.id)`}
    WHERE ${scope}`;
  const inQuarter = sql`(x.last_on IS NOT NULL AND x.last_on >= ${quarter.from}::date)`;
  const perCadre = await many<any>(
    ex,
    sql`SELECT c.person_id, p.name, o.id AS org_id, o.name AS org_name,
               coalesce(s.contacts, 0)::int AS contacts, coalesce(s.contacted, 0)::int AS contacted
        FROM cadres c JOIN ${PERSON_ORG} ON p.id = c.person_id
        LEFT JOIN (SELECT x.cadre_id, count(*) AS contacts, count(*) FILTER (WHERE ${inQuarter}) AS contacted
                   FROM (${pairs}) x GROUP BY x.cadre_id) s ON s.cadre_id = c.person_id
        WHERE ${scope} ORDER BY coalesce(s.contacted, 0)::float / greatest(coalesce(s.contacts, 0), 1), c.person_id`,
  );
  const missing = await many<any>(
    ex,
    sql`SELECT x.cadre_id, x.cadre_name, x.person_id, x.person_name, x.last_on::text AS last_on, count(*) OVER ()::int AS total
        FROM (${pairs}) x WHERE NOT ${inQuarter}
        ORDER BY x.last_on NULLS FIRST, x.cadre_id, x.person_id LIMIT 500`,
  );
  return {
    perCadre: perCadre.map((r) => ({
      personId: r.person_id,
      name: r.name,
      org: { id: r.org_id, name: r.org_name },
      contacts: r.contacts,
      contacted: r.contacted,
    })),
    notContacted: missing.map((r) => ({
      cadrePersonId: r.cadre_id,
      cadreName: r.cadre_name,
      personId: r.person_id,
      personName: r.person_name,
      lastContactOn: r.last_on,
    })),
    notContactedTotal: missing[0]?.total ?? 0,
  };
}

// --- visits --------------------------------------------------------------------------------------

export async function getVisitDay(ex: Executor, districtId: number): Promise<number> {
  const r = await one<{ visit_day: number }>(
    ex,
    sql`SELECT visit_day FROM visit_settings WHERE district_id = ${districtId}`,
  );
  return r?.visit_day ?? DEFAULT_VISIT_DAY;
}

export async function saveVisitDay(ex: Executor, districtId: number, day: number): Promise<void> {
  await ex.execute(
    sql`INSERT INTO visit_settings (district_id, visit_day) VALUES (${districtId}, ${day})
        ON CONFLICT (district_id) DO UPDATE SET visit_day = excluded.visit_day, updated_at = now()`,
  );
}

export type VisitRow = {
  id: number;
  districtId: number;
  org: { id: number; name: string };
  visitedOn: string;
  targetKind: VisitTargetKind;
  person: { id: number; name: string } | null;
  targetName: string | null;
  visitor: { id: number; name: string } | null;
  notes: string;
  demands: {
    id: number;
    visitId: number;
    text: string;
    status: 'open' | 'ordered' | 'closed';
    orderId: number | null;
  }[];
  createdBy: string | null;
  createdAt: string;
};

/**
 * Visits with their org o. A visited person who has withdrawn consent is no longer named (the record
 * of the visit stays, as the org's work ledger).
 */
const SELECT_VISITS = sql`
  SELECT v.id, v.district_id, o.id AS org_id, o.name AS org_name, v.visited_on::text AS visited_on, v.target_kind,
         vp.id AS person_id, CASE WHEN vp.status = 'withdrawn' THEN NULL ELSE vp.name END AS person_name,
         v.target_name, vv.id AS visitor_id, vv.name AS visitor_name, v.notes, a.username AS created_by, v.created_at,
         (SELECT coalesce(json_agg(json_build_object('id', d.id, 'visitId', d.visit_id, 'text', d.text,
                 'status', d.status, 'orderId', d.order_id) ORDER BY d.id), '[]'::json)
            FROM visit_demands d WHERE d.visit_id = v.id) AS demands
  FROM visits v JOIN orgs o ON o.id = v.org_id
  LEFT JOIN people vp ON vp.id = v.person_id
  LEFT JOIN people vv ON vv.id = v.visitor_person_id
  LEFT JOIN accounts a ON a.id = v.created_by`;

const toVisit = (r: any): VisitRow => ({
  id: r.id,
  districtId: r.district_id,
  org: { id: r.org_id, name: r.org_name },
  visitedOn: r.visited_on,
  targetKind: r.target_kind,
  person: r.person_id ? { id: r.person_id, name: r.person_name ?? '—' } : null,
  targetName: r.target_name,
  visitor: r.visitor_id ? { id: r.visitor_id, name: r.visitor_name } : null,
  notes: r.notes,
  demands: parseJson(r.demands),
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
});

export async function insertVisit(
  ex: Executor,
  w: {
    districtId: number;
    orgId: number;
    visitedOn: string;
    targetKind: VisitTargetKind;
    personId: number | null;
    targetName: string | null;
    visitorPersonId: number | null;
    notes: string;
    demands: string[];
    by: number | null;
  },
): Promise<number> {
  const r = await one<{ id: number }>(
    ex,
    sql`INSERT INTO visits (district_id, org_id, visited_on, target_kind, person_id, target_name, visitor_person_id, notes, created_by)
        VALUES (${w.districtId}, ${w.orgId}, ${w.visitedOn}::date, ${w.targetKind}, ${w.personId}, ${w.targetName},
                ${w.visitorPersonId}, ${w.notes}, ${w.by})
        RETURNING id`,
  );
  for (const text of w.demands)
    await ex.execute(
      sql`INSERT INTO visit_demands (district_id, visit_id, text) VALUES (${w.districtId}, ${r!.id}, ${text})`,
    );
  return r!.id;
}

export async function findVisitInScope(ex: Executor, actor: Actor, id: number): Promise<VisitRow | undefined> {
  const r = await one(ex, sql`${SELECT_VISITS} WHERE v.id = ${id} AND ${scopeOf(actor)}`);
  return r ? toVisit(r) : undefined;
}

export async function visitExists(ex: Executor, id: number): Promise<{ districtId: number } | undefined> {
  const r = await one<{ district_id: number }>(ex, sql`SELECT district_id FROM visits WHERE id = ${id}`);
  return r ? { districtId: r.district_id } : undefined;
}

export async function listVisits(
  ex: Executor,
  actor: Actor,
  districtId: number,
  f: {
    orgPath?: string;
    targetKind?: VisitTargetKind;
    from?: string;
    to?: string;
    visitorPersonId?: number;
    page: number;
    pageSize: number;
  },
) {
  const conds: SQL[] = [sql`v.district_id = ${districtId}`, orgScopeCondition(actor, districtId)];
  if (f.orgPath) conds.push(sql`o.path LIKE ${`${likeEscape(f.orgPath)}%`}`);
  if (f.targetKind) conds.push(sql`v.target_kind = ${f.targetKind}`);
  if (f.from) conds.push(sql`v.visited_on >= ${f.from}::date`);
  if (f.to) conds.push(sql`v.visited_on <= ${f.to}::date`);
  if (f.visitorPersonId) conds.push(sql`v.visitor_person_id = ${f.visitorPersonId}`);
  const where = sql.join(conds, sql` AND `);
  const total = await one<{ n: number }>(
    ex,
    sql`SELECT count(*)::int AS n FROM visits v JOIN orgs o ON o.id = v.org_id WHERE ${where}`,
  );
  const rows = await many<any>(
    ex,
    sql`${SELECT_VISITS} WHERE ${where} ORDER BY v.visited_on DESC, v.id DESC
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
  );
  return { total: total?.n ?? 0, rows: rows.map(toVisit) };
}

/** Demands of visits in the subtree (the orders module's inbox of visit demands). */
export async function listDemands(
  ex: Executor,
  actor: Actor,
  districtId: number,
  status: 'open' | 'ordered' | 'closed',
) {
  const rows = await many<any>(
    ex,
    sql`SELECT d.id, d.visit_id, d.text, d.status, d.order_id, o.id AS org_id, o.name AS org_name,
               v.visited_on::text AS visited_on
        FROM visit_demands d JOIN visits v ON v.id = d.visit_id JOIN orgs o ON o.id = v.org_id
        WHERE d.district_id = ${districtId} AND ${orgScopeCondition(actor, districtId)} AND d.status = ${status}
        ORDER BY d.id DESC LIMIT 500`,
  );
  return rows.map((r) => ({
    id: r.id,
    visitId: r.visit_id,
    text: r.text,
    status: r.status,
    orderId: r.order_id,
    org: { id: r.org_id, name: r.org_name },
    visitedOn: r.visited_on,
  }));
}

/** The seam for the orders module: a demand became service order `orderId` (inside its transaction). */
export async function markDemandOrdered(ex: Executor, demandId: number, orderId: number): Promise<boolean> {
  const r = await many(
    ex,
    sql`UPDATE visit_demands SET status = 'ordered', order_id = ${orderId}
        WHERE id = ${demandId} AND status = 'open' RETURNING 1`,
  );
  return r.length > 0;
}
