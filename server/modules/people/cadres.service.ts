import { roleCan } from '../../../domain/account.ts';
import {
  type CadreDetail,
  type CadreListQuery,
  type CadreSet,
  type ContactCoverage,
  type ContactLogCreate,
  contactCoverage as coverageRate,
  MAX_CONTACTS,
  nextVisitDay,
  quarterOf,
  shanghaiToday,
  type Visit,
  type VisitCreate,
  type VisitListQuery,
} from '../../../domain/cadre.ts';
import type { Database } from '../../db/client.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import {
  type CadreRow,
  cadreExists,
  contactState,
  deleteContact,
  findCadreInScope,
  findVisitInScope,
  getVisitDay,
  insertContactLog,
  insertContacts,
  insertTraining,
  insertVisit,
  isContact,
  listCadres,
  listContactLogs,
  listContacts,
  listDemands,
  listTrainings,
  listVisits,
  lockCadre,
  contactCoverage as queryCoverage,
  saveVisitDay,
  upsertCadre,
  type VisitRow,
  visitExists,
} from './cadres.repository.ts';
import { loadPersonInScope } from './people.service.ts';

/**
 * 团干部、1+100、走访. Reads need person.read, writes person.write, both inside the caller's subtree
 * (a cadre through his person's scope, a visit through its visiting org). Every write is audited in
 * its transaction.
 */

const currentQuarter = () => quarterOf(shanghaiToday());

function toCadre(r: CadreRow) {
  const { orgPath: _path, ...out } = r;
  return out;
}

/** A cadre in the actor's scope; outside it (or not a cadre): 404, and an existing one is audited. */
async function loadCadreInScope(database: Database, actor: Actor, personId: number): Promise<CadreRow> {
  const row = await findCadreInScope(database.db, actor, personId, currentQuarter());
  if (row) return row;
  const existing = await cadreExists(database.db, personId);
  if (existing)
    await recordAudit(database.db, actor, {
      action: 'scope.denied',
      entity: 'cadre',
      entityId: personId,
      districtId: existing.districtId,
    });
  throw new AppError('CADRE_NOT_FOUND');
}

export async function searchCadres(database: Database, actor: Actor, query: CadreListQuery) {
  requirePermission(actor, 'person.read');
  const districtId = resolveDistrict(actor, query.districtId);
  const orgPath = query.orgId ? (await loadOrgInScope(database, actor, query.orgId)).path : undefined;
  const { total, rows } = await listCadres(
    database.db,
    actor,
    districtId,
    { orgPath, q: query.q, post: query.post, page: query.page, pageSize: query.pageSize },
    currentQuarter(),
  );
  return { items: rows.map(toCadre), total, page: query.page, pageSize: query.pageSize };
}

export async function getCadre(database: Database, actor: Actor, personId: number): Promise<CadreDetail> {
  requirePermission(actor, 'person.read');
  const row = await loadCadreInScope(database, actor, personId);
  const withKeyYouth = roleCan(actor.role, 'person.key_youth');
  return {
    ...toCadre(row),
    quarter: currentQuarter(),
    contactList: await listContacts(database.db, personId, withKeyYouth),
    trainingList: await listTrainings(database.db, personId),
  };
}

/** 设为团干部 gives a person of the registry posts (or changes them). */
export async function setCadre(database: Database, actor: Actor, personId: number, input: CadreSet) {
  requirePermission(actor, 'person.write');
  const person = await loadPersonInScope(database, actor, personId);
  if (person.status === 'withdrawn') throw new AppError('PERSON_WITHDRAWN');
  const before = await findCadreInScope(database.db, actor, personId, currentQuarter());
  const posts = [...new Set(input.posts)];
  const outcome = await database.db.transaction(async (tx) => {
    const o = await upsertCadre(tx, {
      personId,
      districtId: person.districtId,
      posts,
      recruitedFrom: input.recruitedFrom,
      by: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: o === 'created' ? 'cadre.create' : 'cadre.update',
      entity: 'cadre',
      entityId: personId,
      districtId: person.districtId,
      before: before ? { posts: before.posts, recruitedFrom: before.recruitedFrom } : undefined,
      after: { posts, recruitedFrom: input.recruitedFrom },
    });
    return o;
  });
  const row = await findCadreInScope(database.db, actor, personId, currentQuarter());
  return { outcome, cadre: toCadre(row!) };
}

export async function addTraining(
  database: Database,
  actor: Actor,
  personId: number,
  input: { title: string; heldOn: string; hours: number | null; note: string | null },
) {
  requirePermission(actor, 'person.write');
  const cadre = await loadCadreInScope(database, actor, personId);
  return database.db.transaction(async (tx) => {
    const t = await insertTraining(tx, {
      districtId: cadre.districtId,
      cadrePersonId: personId,
      ...input,
      by: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: 'cadre.training',
      entity: 'cadre',
      entityId: personId,
      districtId: cadre.districtId,
      after: { trainingId: t.id, title: t.title, heldOn: t.heldOn, hours: t.hours },
    });
    return t;
  });
}

/**
 * 1+100 adds youth to a cadre's list. Every youth must be a live person in the caller's scope; the
 * list never exceeds 100 (counted under a lock on the cadre, so concurrent additions cannot pass it).
 * All or nothing.
 */
export async function addContacts(database: Database, actor: Actor, personId: number, personIds: number[]) {
  requirePermission(actor, 'person.write');
  const cadre = await loadCadreInScope(database, actor, personId);
  const ids = [...new Set(personIds)];
  for (const [i, id] of ids.entries()) {
    if (id === personId)
      throw new AppError('VALIDATION', { errors: [{ field: `personIds.${i}`, message: 'the cadre himself' }] });
    try {
      const p = await loadPersonInScope(database, actor, id);
      if (p.status === 'withdrawn') throw new AppError('PERSON_WITHDRAWN');
    } catch (error) {
      if (error instanceof AppError)
        throw new AppError(error.code, { errors: [{ field: `personIds.${i}`, message: error.code }] });
      throw error;
    }
  }
  return database.db.transaction(async (tx) => {
    await lockCadre(tx, personId);
    const state = await contactState(tx, personId, ids);
    const fresh = ids.filter((id) => !state.present.has(id));
    const total = state.count + fresh.length;
    if (total > MAX_CONTACTS)
      throw new AppError('CONTACT_LIMIT', {
        detail: `${state.count} + ${fresh.length} > ${MAX_CONTACTS}`,
        errors: [{ field: 'personIds', message: 'CONTACT_LIMIT' }],
      });
    await insertContacts(tx, cadre.districtId, personId, fresh, actor.accountId);
    await recordAudit(tx, actor, {
      action: 'cadre.contacts.add',
      entity: 'cadre',
      entityId: personId,
      districtId: cadre.districtId,
      after: { added: fresh },
    });
    return { added: fresh.length, total };
  });
}

export async function removeContact(database: Database, actor: Actor, personId: number, contactId: number) {
  requirePermission(actor, 'person.write');
  const cadre = await loadCadreInScope(database, actor, personId);
  return database.db.transaction(async (tx) => {
    if (!(await deleteContact(tx, personId, contactId))) throw new AppError('NOT_A_CONTACT');
    await recordAudit(tx, actor, {
      action: 'cadre.contacts.remove',
      entity: 'cadre',
      entityId: personId,
      districtId: cadre.districtId,
      before: { personId: contactId },
    });
    return { ok: true as const };
  });
}

/** 联系记录 logs one contact with a youth of the cadre's list. */
export async function logContact(database: Database, actor: Actor, personId: number, input: ContactLogCreate) {
  requirePermission(actor, 'person.write');
  const cadre = await loadCadreInScope(database, actor, personId);
  const youth = await loadPersonInScope(database, actor, input.personId);
  if (youth.status === 'withdrawn')
    throw new AppError('PERSON_WITHDRAWN', { errors: [{ field: 'personId', message: 'PERSON_WITHDRAWN' }] });
  if (!(await isContact(database.db, personId, input.personId)))
    throw new AppError('NOT_A_CONTACT', { errors: [{ field: 'personId', message: 'NOT_A_CONTACT' }] });
  return database.db.transaction(async (tx) => {
    const log = await insertContactLog(tx, {
      districtId: cadre.districtId,
      cadrePersonId: personId,
      personId: input.personId,
      contactedOn: input.contactedOn,
      channel: input.channel,
      note: input.note,
      by: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: 'cadre.contact_log',
      entity: 'cadre',
      entityId: personId,
      districtId: cadre.districtId,
      after: { logId: log.id, personId: input.personId, contactedOn: input.contactedOn, channel: input.channel },
    });
    return log;
  });
}

export async function searchContactLogs(
  database: Database,
  actor: Actor,
  personId: number,
  q: { page: number; pageSize: number },
) {
  requirePermission(actor, 'person.read');
  await loadCadreInScope(database, actor, personId);
  const { total, rows } = await listContactLogs(
    database.db,
    personId,
    roleCan(actor.role, 'person.key_youth'),
    q.page,
    q.pageSize,
  );
  return { items: rows, total, page: q.page, pageSize: q.pageSize };
}

/** 本季度未联系 the 1+100 dashboard of the caller's subtree (or of one org in it). */
export async function getContactCoverage(
  database: Database,
  actor: Actor,
  q: { districtId?: number; orgId?: number },
): Promise<ContactCoverage> {
  requirePermission(actor, 'person.read');
  const districtId = resolveDistrict(actor, q.districtId);
  const orgPath = q.orgId ? (await loadOrgInScope(database, actor, q.orgId)).path : undefined;
  const quarter = currentQuarter();
  const r = await queryCoverage(
    database.db,
    actor,
    districtId,
    orgPath,
    quarter,
    roleCan(actor.role, 'person.key_youth'),
  );
  const contacts = r.perCadre.reduce((s, c) => s + c.contacts, 0);
  const contacted = r.perCadre.reduce((s, c) => s + c.contacted, 0);
  return {
    quarter,
    cadres: r.perCadre.length,
    contacts,
    contacted,
    rate: coverageRate(contacts, contacted),
    perCadre: r.perCadre,
    notContacted: r.notContacted,
    notContactedTotal: r.notContactedTotal,
  };
}

// ---------------------------------------------------------------------------------------------
// 走访 visits
// ---------------------------------------------------------------------------------------------

export async function getVisitSettings(database: Database, actor: Actor, requestedDistrict?: number) {
  requirePermission(actor, 'person.read');
  const districtId = resolveDistrict(actor, requestedDistrict);
  const visitDay = await getVisitDay(database.db, districtId);
  return { districtId, visitDay, nextVisitDay: nextVisitDay(shanghaiToday(), visitDay) };
}

/** 走访日 the district's monthly visit day: district and platform admins only. */
export async function updateVisitSettings(
  database: Database,
  actor: Actor,
  input: { visitDay: number },
  requestedDistrict?: number,
) {
  requirePermission(actor, 'person.write');
  if (actor.role !== 'district_admin' && actor.role !== 'platform_admin') throw new AppError('FORBIDDEN');
  const districtId = resolveDistrict(actor, requestedDistrict);
  const before = await getVisitDay(database.db, districtId);
  await database.db.transaction(async (tx) => {
    await saveVisitDay(tx, districtId, input.visitDay);
    await recordAudit(tx, actor, {
      action: 'visit.settings',
      entity: 'visit_settings',
      entityId: districtId,
      districtId,
      before: { visitDay: before },
      after: input,
    });
  });
  return { districtId, visitDay: input.visitDay, nextVisitDay: nextVisitDay(shanghaiToday(), input.visitDay) };
}

function toVisit(r: VisitRow, visitDay: number): Visit {
  return { ...r, onVisitDay: Number(r.visitedOn.slice(8, 10)) === visitDay };
}

async function loadVisitInScope(database: Database, actor: Actor, id: number): Promise<VisitRow> {
  const row = await findVisitInScope(database.db, actor, id);
  if (row) return row;
  const existing = await visitExists(database.db, id);
  if (existing)
    await recordAudit(database.db, actor, {
      action: 'scope.denied',
      entity: 'visit',
      entityId: id,
      districtId: existing.districtId,
    });
  throw new AppError('VISIT_NOT_FOUND');
}

/** 走访记录 records a visit by an org of the caller's subtree, with the demands collected. */
export async function createVisit(database: Database, actor: Actor, input: VisitCreate): Promise<Visit> {
  requirePermission(actor, 'person.write');
  const org = await loadOrgInScope(database, actor, input.orgId);
  const field = (name: string, code: string) => ({ errors: [{ field: name, message: code }] });
  if (input.personId !== null) {
    try {
      const p = await loadPersonInScope(database, actor, input.personId);
      if (p.status === 'withdrawn') throw new AppError('PERSON_WITHDRAWN');
    } catch (error) {
      if (error instanceof AppError) throw new AppError(error.code, field('personId', error.code));
      throw error;
    }
  }
  if (input.visitorPersonId !== null) {
    try {
      await loadCadreInScope(database, actor, input.visitorPersonId);
    } catch (error) {
      if (error instanceof AppError) throw new AppError(error.code, field('visitorPersonId', error.code));
      throw error;
    }
  }
  const id = await database.db.transaction(async (tx) => {
    const visitId = await insertVisit(tx, {
      districtId: org.districtId,
      orgId: org.id,
      visitedOn: input.visitedOn,
      targetKind: input.targetKind,
      personId: input.personId,
      targetName: input.targetKind === 'person' ? null : input.targetName,
      visitorPersonId: input.visitorPersonId,
      notes: input.notes,
      demands: input.demands,
      by: actor.accountId,
    });
    await recordAudit(tx, actor, {
      action: 'visit.create',
      entity: 'visit',
      entityId: visitId,
      districtId: org.districtId,
      after: {
        orgId: org.id,
        visitedOn: input.visitedOn,
        targetKind: input.targetKind,
        personId: input.personId,
        targetName: input.targetName,
        demands: input.demands.length,
      },
    });
    return visitId;
  });
  const row = await findVisitInScope(database.db, actor, id);
  return toVisit(row!, await getVisitDay(database.db, org.districtId));
}

export async function getVisit(database: Database, actor: Actor, id: number): Promise<Visit> {
  requirePermission(actor, 'person.read');
  const row = await loadVisitInScope(database, actor, id);
  return toVisit(row, await getVisitDay(database.db, row.districtId));
}

export async function searchVisits(database: Database, actor: Actor, q: VisitListQuery) {
  requirePermission(actor, 'person.read');
  const districtId = resolveDistrict(actor, q.districtId);
  const orgPath = q.orgId ? (await loadOrgInScope(database, actor, q.orgId)).path : undefined;
  const { total, rows } = await listVisits(database.db, actor, districtId, {
    orgPath,
    targetKind: q.targetKind,
    from: q.from,
    to: q.to,
    page: q.page,
    pageSize: q.pageSize,
  });
  const visitDay = await getVisitDay(database.db, districtId);
  return { items: rows.map((r) => toVisit(r, visitDay)), total, page: q.page, pageSize: q.pageSize };
}

/** Demands collected on visits in the caller's subtree (the hook the orders module turns into orders). */
export async function searchDemands(
  database: Database,
  actor: Actor,
  q: { districtId?: number; status: 'open' | 'ordered' | 'closed' },
) {
  requirePermission(actor, 'person.read');
  const districtId = resolveDistrict(actor, q.districtId);
  return { items: await listDemands(database.db, actor, districtId, q.status) };
}

export { markDemandOrdered } from './cadres.repository.ts';

/**
 * Everything of one cadre's 工作台账 (work ledger): his detail, his whole contact log and the visits he
 * made. Audited as an export (the ledgers module writes the spreadsheet).
 */
export async function workLedgerOf(database: Database, actor: Actor, personId: number) {
  const cadre = await getCadre(database, actor, personId);
  const withKeyYouth = roleCan(actor.role, 'person.key_youth');
  const logs = await listContactLogs(database.db, personId, withKeyYouth, 1, 100_000);
  const visitDay = await getVisitDay(database.db, cadre.districtId);
  const visits = await listVisits(database.db, actor, cadre.districtId, {
    visitorPersonId: personId,
    page: 1,
    pageSize: 100_000,
  });
  await recordAudit(database.db, actor, {
    action: 'cadre.work_ledger.export',
    entity: 'cadre',
    entityId: personId,
    districtId: cadre.districtId,
  });
  return { cadre, logs: logs.rows, visits: visits.rows.map((v) => toVisit(v, visitDay)) };
}
