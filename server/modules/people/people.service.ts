import { roleCan } from '../../../domain/account.ts';
import { isCircleKind } from '../../../domain/grid.ts';
import { ageOn, maskIdNumber, maskPhone } from '../../../domain/identity.ts';
import {
  type ConsentChannel,
  type Gender,
  type KeyYouthKind,
  needsLeaveReview,
  type Person,
  type PersonCategory,
  type PersonCreate,
  type PersonListQuery,
  type PersonReview,
  type PersonReviewResolve,
  type PersonSource,
  type PersonStatus,
  type PersonUpdate,
  type PersonWriteResult,
  type PoliticalStatus,
  type ReviewReason,
  resolvePersonFacts,
} from '../../../domain/person.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError, pgErrorOf } from '../../lib/errors.ts';
import { type AuditInput, recordAudit } from '../audit/audit.repository.ts';
import { loadGridInScope } from '../grids/grids.service.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import {
  deleteKeyYouth,
  findGridsForCircles,
  findIdentityMatches,
  findKeyYouth,
  findPeopleBrief,
  findPersonById,
  findPersonInScope,
  findReviewInScope,
  type IdentityMatch,
  insertPerson,
  insertPersonRow,
  insertReview,
  listKeyYouth,
  listPeople,
  listReviews,
  markReviewResolved,
  markWithdrawn,
  type PersonRow,
  type PersonWrite,
  personExists,
  type ReviewRow,
  replaceCircles,
  updatePerson as updatePersonRow,
  upsertKeyYouth,
} from './people.repository.ts';

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

function maskedOrNull(pii: PiiCipher, sealed: string | null, mask: (v: string) => string): string | null {
  return sealed ? mask(pii.decrypt(sealed)) : null;
}

/** A person as the API shows him: identifiers masked, always. */
export function toPerson(row: PersonRow, pii: PiiCipher): Person {
  return {
    id: row.id,
    districtId: row.districtId,
    name: row.name,
    gender: row.gender,
    birthDate: row.birthDate,
    age: row.birthDate ? ageOn(row.birthDate) : null,
    phone: maskedOrNull(pii, row.phoneEnc, maskPhone),
    idNumber: maskedOrNull(pii, row.idEnc, maskIdNumber),
    politicalStatus: row.politicalStatus,
    category: row.category,
    skills: row.skills,
    homeGrid: row.homeGrid,
    circles: row.circles,
    branchOrg: row.branchOrg,
    org: row.org,
    backbone: row.backbone,
    reserveBackbone: row.reserveBackbone,
    source: row.source,
    status: row.status,
    consent: row.consent,
    guardianConsent: row.guardianConsent,
    leaveReview: row.birthDate ? needsLeaveReview(row.politicalStatus, row.birthDate) : false,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function inScope(actor: Pick<Actor, 'scopePath'>, orgPath: string): boolean {
  return actor.scopePath === null || orgPath.startsWith(actor.scopePath);
}

/**
 * Loads a person the actor may see. Outside the actor's subtree: 404 like a missing id, and the
 * attempt is audited. Key youth are invisible without person.key_youth.
 */
export async function loadPersonInScope(
  database: Database,
  actor: Actor,
  id: number,
  ex: Executor = database.db,
): Promise<PersonRow> {
  const person = await findPersonInScope(ex, actor, id);
  if (person && (!person.keyYouth || roleCan(actor.role, 'person.key_youth'))) return person;
  const existing = await personExists(database.db, id);
  if (existing) {
    await recordAudit(database.db, actor, {
      action: person ? 'key_youth.denied' : 'scope.denied',
      entity: 'person',
      entityId: id,
      districtId: existing.districtId,
    });
  }
  throw new AppError('PERSON_NOT_FOUND');
}

function throwRuleErrors(errors: { field: string; code: any }[]) {
  if (errors.length)
    throw new AppError(errors[0].code, { errors: errors.map((e) => ({ field: e.field, message: e.code })) });
}

// ---------------------------------------------------------------------------------------------
// De-duplicated write (staff entry, QR self-registration, import)
// ---------------------------------------------------------------------------------------------

/** A person as submitted, identifiers normalised; undefined fields keep what a known person has. */
export type PersonIncoming = {
  name: string;
  gender: Gender | null;
  birthDate: string | null;
  phone: string | null;
  idNumber: string | null;
  politicalStatus: PoliticalStatus;
  category: PersonCategory;
  skills?: string[];
  homeGridId: number | null;
  circleGridIds?: number[];
  branchOrgId?: number | null;
  backbone?: boolean;
  reserveBackbone?: boolean;
  consent: { version: string; at: string; channel: ConsentChannel };
  guardianConsent: { guardianName: string; relation: string; at: string } | null;
  source: PersonSource;
  /** status of a new person (a known one keeps registered, or is reactivated to this) */
  status: 'pending' | 'registered';
  registrationTokenId: string | null;
};

/** Where a submission is aimed: its district, the org its review entry belongs to, and whose scope rules. */
export type WriteContext = {
  districtId: number;
  orgId: number;
  /** null for public self-registration */
  actor: Actor | null;
  /** whether a known person at this org path may be updated by this submission */
  mayUpdate(orgPath: string): boolean;
};

type Outcome = {
  outcome: 'created' | 'updated' | 'review';
  personId: number | null;
  reviewId: number | null;
  /** the person's status after the write */
  status: PersonStatus | null;
};

function auditWho(ctx: WriteContext) {
  return ctx.actor ?? { accountId: null as any, username: null as any, districtId: ctx.districtId, ip: null as any };
}

/**
 * The one de-duplicating write. Same ID number or same phone = the same person: he is updated.
 * Same phone with a different ID number, ID and phone pointing at two people, or a known person
 * outside the submitter's scope: the submission goes to the review list, never merged or doubled.
 */
export async function writeDeduplicated(
  tx: Executor,
  pii: PiiCipher,
  ctx: WriteContext,
  inc: PersonIncoming,
  /** When given, the audit entry is collected here for the caller to write last (see registerPerson). */
  deferredAudit?: AuditInput[],
): Promise<Outcome> {
  const phoneIdx = inc.phone ? pii.blindIndex('phone', inc.phone) : null;
  const idIdx = inc.idNumber ? pii.blindIndex('idNumber', inc.idNumber) : null;
  const matches = await findIdentityMatches(tx, ctx.districtId, phoneIdx, idIdx);
  const byId = idIdx ? matches.find((m) => m.idIdx === idIdx) : undefined;
  const byPhone = phoneIdx ? matches.find((m) => m.phoneIdx === phoneIdx) : undefined;
  let target: IdentityMatch | undefined;
  let reason: ReviewReason | null = null;
  if (byId && byPhone && byId.id !== byPhone.id) reason = 'split_match';
  else if (byId) target = byId;
  else if (byPhone) {
    if (idIdx && byPhone.idIdx) reason = 'phone_conflict';
    else target = byPhone;
  }
  if (target && !ctx.mayUpdate(target.orgPath)) reason = 'out_of_scope';

  const enc = {
    phoneEnc: inc.phone ? pii.encrypt(inc.phone) : null,
    phoneIdx,
    idEnc: inc.idNumber ? pii.encrypt(inc.idNumber) : null,
    idIdx,
  };
  const who = auditWho(ctx);
  const audit = async (entry: AuditInput) => {
    if (deferredAudit) deferredAudit.push(entry);
    else await recordAudit(tx, who, entry);
  };

  if (reason) {
    const { phone: _p, idNumber: _i, ...incoming } = inc;
    const candidates = [
      ...(byId ? [{ id: byId.id, match: 'idNumber' as const }] : []),
      ...(byPhone && byPhone.id !== byId?.id ? [{ id: byPhone.id, match: 'phone' as const }] : []),
    ];
    const reviewId = await insertReview(
      tx,
      {
        districtId: ctx.districtId,
        orgId: ctx.orgId,
        reason,
        source: inc.source,
        incoming,
        ...enc,
        candidates,
        registrationTokenId: inc.registrationTokenId,
      },
      ctx.actor?.accountId ?? null,
    );
    await audit({
      action: 'person.review.create',
      entity: 'person_review',
      entityId: reviewId,
      districtId: ctx.districtId,
      after: { reason, candidates, name: inc.name, source: inc.source },
    });
    return { outcome: 'review', personId: null, reviewId, status: null };
  }

  if (!target) {
    const inserted = await insertPersonRow(
      tx,
      ctx.districtId,
      {
        name: inc.name,
        gender: inc.gender,
        birthDate: inc.birthDate,
        ...enc,
        politicalStatus: inc.politicalStatus,
        category: inc.category,
        skills: inc.skills ?? [],
        homeGridId: inc.homeGridId,
        branchOrgId: inc.branchOrgId ?? null,
        backbone: inc.backbone ?? false,
        reserveBackbone: inc.reserveBackbone ?? false,
        source: inc.source,
        status: inc.status,
        consentVersion: inc.consent.version,
        consentAt: inc.consent.at,
        consentChannel: inc.consent.channel,
        guardianConsent: inc.guardianConsent,
        registrationTokenId: inc.registrationTokenId,
      },
      ctx.actor?.accountId ?? null,
    );
    const id = inserted.id;
    let after = inserted;
    if (inc.circleGridIds?.length) {
      await replaceCircles(tx, id, ctx.districtId, inc.circleGridIds);
      after = (await findPersonById(tx, id))!;
    }
    await audit({
      action: inc.source === 'qr' ? 'person.self_register' : 'person.create',
      entity: 'person',
      entityId: id,
      districtId: ctx.districtId,
      after: toPerson(after, pii),
    });
    return { outcome: 'created', personId: id, reviewId: null, status: after.status };
  }

  const before = (await findPersonById(tx, target.id))!;
  const patch: Partial<PersonWrite> = {
    name: inc.name,
    politicalStatus: inc.politicalStatus,
    category: inc.category,
    skills: inc.skills,
    backbone: inc.backbone,
    reserveBackbone: inc.reserveBackbone,
    consentVersion: inc.consent.version,
    consentAt: inc.consent.at,
    consentChannel: inc.consent.channel,
    registrationTokenId: inc.registrationTokenId ?? undefined,
  };
  // A known ID number fixes birth date and gender: a later entry without one does not change them.
  if (inc.idNumber || !target.idIdx) {
    patch.birthDate = inc.birthDate;
    patch.gender = inc.gender ?? undefined;
  }
  if (inc.phone) Object.assign(patch, { phoneEnc: enc.phoneEnc, phoneIdx: enc.phoneIdx });
  if (inc.idNumber) Object.assign(patch, { idEnc: enc.idEnc, idIdx: enc.idIdx });
  if (inc.homeGridId !== null) patch.homeGridId = inc.homeGridId;
  if (inc.branchOrgId !== undefined && inc.branchOrgId !== null) patch.branchOrgId = inc.branchOrgId;
  if (inc.guardianConsent) patch.guardianConsent = inc.guardianConsent;
  // Re-registration keeps a registered person registered and brings back a deactivated or withdrawn one.
  if (before.status !== 'registered') patch.status = inc.status === 'registered' ? 'registered' : 'pending';
  await updatePersonRow(tx, target.id, patch);
  if (inc.circleGridIds) await replaceCircles(tx, target.id, ctx.districtId, inc.circleGridIds);
  const after = (await findPersonById(tx, target.id))!;
  await audit({
    action: inc.source === 'qr' ? 'person.self_reregister' : 'person.reregister',
    entity: 'person',
    entityId: target.id,
    districtId: ctx.districtId,
    before: toPerson(before, pii),
    after: toPerson(after, pii),
  });
  return { outcome: 'updated', personId: target.id, reviewId: null, status: after.status };
}

/** Runs the de-duplicated write in a transaction; a concurrent twin (unique index) is retried once. */
export async function registerPerson(
  database: Database,
  pii: PiiCipher,
  ctx: WriteContext,
  inc: PersonIncoming,
  /** a last write of the caller's in the same transaction (before the audit rows), e.g. the QR submission's */
  after?: (tx: Executor, outcome: Outcome) => Promise<void>,
): Promise<Outcome> {
  // The audit row goes last: its insert takes the district's hash-chain lock until commit (migration 0012), so
  // every statement after it would make the district's other registrations wait (docs/PERFORMANCE.md).
  const run = () =>
    database.db.transaction(async (tx) => {
      const audits: AuditInput[] = [];
      const outcome = await writeDeduplicated(tx, pii, ctx, inc, audits);
      if (after) await after(tx, outcome);
      for (const entry of audits) await recordAudit(tx, auditWho(ctx), entry);
      return outcome;
    });
  try {
    return await run();
  } catch (err) {
    const pg = pgErrorOf(err);
    if (pg?.code === '23505' && /^people_district_(id|phone)_idx_uq$/.test(pg.constraint ?? '')) return run();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Places: home grid, circles, League branch
// ---------------------------------------------------------------------------------------------

type Place = { districtId: number; orgId: number };

/** Checks the home grid, circles and branch the actor names; returns the district and scope org. */
async function checkPlaces(
  database: Database,
  actor: Actor,
  input: { homeGridId?: number | null; branchOrgId?: number | null; circleGridIds?: number[] },
): Promise<Place | null> {
  let place: Place | null = null;
  if (input.branchOrgId) {
    const org = await loadOrgInScope(database, actor, input.branchOrgId);
    if (!org.active)
      throw new AppError('ORG_INACTIVE', { errors: [{ field: 'branchOrgId', message: 'ORG_INACTIVE' }] });
    place = { districtId: org.districtId, orgId: org.id };
  }
  if (input.homeGridId) {
    const grid = await loadGridInScope(database, actor, input.homeGridId);
    if (!grid.active)
      throw new AppError('GRID_INACTIVE', { errors: [{ field: 'homeGridId', message: 'GRID_INACTIVE' }] });
    if (place && place.districtId !== grid.districtId) throw new AppError('GRID_NOT_FOUND');
    place = { districtId: grid.districtId, orgId: grid.orgId };
  }
  if (input.circleGridIds?.length) {
    const districtId = place?.districtId ?? actor.districtId;
    if (districtId === null) throw new AppError('GRID_NOT_FOUND');
    const unique = [...new Set(input.circleGridIds)];
    const found = await findGridsForCircles(database.db, districtId, unique);
    const errors = unique.flatMap((id, i) => {
      const g = found.find((f) => f.id === id);
      if (!g?.active) return [{ field: `circleGridIds.${i}`, message: 'GRID_NOT_FOUND' }];
      if (!isCircleKind(g.kind as any)) return [{ field: `circleGridIds.${i}`, message: 'NOT_A_CIRCLE' }];
      return [];
    });
    if (errors.length) throw new AppError(errors[0].message as 'GRID_NOT_FOUND' | 'NOT_A_CIRCLE', { errors });
    input.circleGridIds = unique;
  }
  return place;
}

const nowIso = () => new Date().toISOString();

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

/** 新增青年 Staff entry; a known ID or phone updates that person (or goes to review, see above). */
export async function createPerson(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  input: PersonCreate,
): Promise<PersonWriteResult> {
  requirePermission(actor, 'person.write');
  const facts = resolvePersonFacts(input);
  throwRuleErrors(facts.errors);
  const place = (await checkPlaces(database, actor, input))!;
  const outcome = await registerPerson(
    database,
    pii,
    { districtId: place.districtId, orgId: place.orgId, actor, mayUpdate: (path) => inScope(actor, path) },
    {
      name: input.name,
      gender: facts.gender,
      birthDate: facts.birthDate,
      phone: input.phone ?? null,
      idNumber: input.idNumber ?? null,
      politicalStatus: input.politicalStatus,
      category: input.category,
      skills: input.skills,
      homeGridId: input.homeGridId ?? null,
      circleGridIds: input.circleGridIds,
      branchOrgId: input.branchOrgId ?? null,
      backbone: input.backbone,
      reserveBackbone: input.reserveBackbone,
      consent: { version: input.consent.version, at: input.consent.at ?? nowIso(), channel: input.consent.channel },
      guardianConsent: input.guardianConsent
        ? { ...input.guardianConsent, at: input.guardianConsent.at ?? nowIso() }
        : null,
      source: 'staff',
      status: 'registered',
      registrationTokenId: null,
    },
  );
  return resultOf(database, pii, outcome);
}

/** The API answer of a de-duplicated write. */
export async function resultOf(database: Database, pii: PiiCipher, o: Outcome): Promise<PersonWriteResult> {
  const row = o.personId ? await findPersonById(database.db, o.personId) : undefined;
  return { outcome: o.outcome, person: row ? toPerson(row, pii) : null, reviewId: o.reviewId };
}

export async function searchPeople(database: Database, pii: PiiCipher, actor: Actor, query: PersonListQuery) {
  requirePermission(actor, 'person.read');
  const { districtId: requested, orgId, page, pageSize, ...filter } = query;
  const districtId = resolveDistrict(actor, requested);
  let orgPath: string | undefined;
  if (orgId) {
    const org = await loadOrgInScope(database, actor, orgId);
    if (org.districtId !== districtId) throw new AppError('ORG_NOT_FOUND');
    orgPath = org.path;
  }
  const { rows, total } = await listPeople(database.db, actor, districtId, { ...filter, orgPath, page, pageSize });
  return { items: rows.map((r) => toPerson(r, pii)), total, page, pageSize };
}

/** 精确查找 by phone or ID number through the blind index; the query itself is audited (no identifiers). */
export async function lookupPeople(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  input: { districtId?: number; phone?: string; idNumber?: string },
) {
  requirePermission(actor, 'person.read');
  const districtId = resolveDistrict(actor, input.districtId);
  const { rows, total } = await listPeople(database.db, actor, districtId, {
    phoneIdx: input.phone ? pii.blindIndex('phone', input.phone) : undefined,
    idIdx: input.idNumber ? pii.blindIndex('idNumber', input.idNumber) : undefined,
    page: 1,
    pageSize: 10,
  });
  await recordAudit(database.db, actor, {
    action: 'person.lookup',
    entity: 'person',
    districtId,
    after: { by: [input.phone ? 'phone' : null, input.idNumber ? 'idNumber' : null].filter(Boolean), found: total },
  });
  return { items: rows.map((r) => toPerson(r, pii)), total, page: 1, pageSize: 10 };
}

export async function getPerson(database: Database, pii: PiiCipher, actor: Actor, id: number) {
  requirePermission(actor, 'person.read');
  return toPerson(await loadPersonInScope(database, actor, id), pii);
}

/** 查看完整号码 unmasked identifiers: person.pii only, and every view is audited. */
export async function getIdentifiers(database: Database, pii: PiiCipher, actor: Actor, id: number) {
  requirePermission(actor, 'person.pii');
  const row = await loadPersonInScope(database, actor, id);
  await recordAudit(database.db, actor, {
    action: 'person.pii.read',
    entity: 'person',
    entityId: id,
    districtId: row.districtId,
    after: { fields: ['phone', 'idNumber'].filter((f) => (f === 'phone' ? row.phoneEnc : row.idEnc)) },
  });
  return {
    id,
    phone: row.phoneEnc ? pii.decrypt(row.phoneEnc) : null,
    idNumber: row.idEnc ? pii.decrypt(row.idEnc) : null,
  };
}

async function writableInScope(database: Database, actor: Actor, id: number) {
  requirePermission(actor, 'person.write');
  const row = await loadPersonInScope(database, actor, id);
  if (row.status === 'withdrawn') throw new AppError('PERSON_WITHDRAWN');
  return row;
}

/** 编辑青年 Edits a person; an identifier held by someone else is refused (409), never merged. */
export async function updatePerson(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  patch: PersonUpdate,
): Promise<Person> {
  const row = await writableInScope(database, actor, id);
  const currentId = row.idEnc ? pii.decrypt(row.idEnc) : null;
  const idNumber = patch.idNumber === undefined ? currentId : patch.idNumber;
  const facts = resolvePersonFacts({
    birthDate: patch.birthDate !== undefined ? patch.birthDate : idNumber ? null : row.birthDate,
    gender: patch.gender !== undefined ? patch.gender : idNumber ? null : row.gender,
    idNumber,
    guardianConsent: patch.guardianConsent !== undefined ? patch.guardianConsent : row.guardianConsent,
  });
  throwRuleErrors(facts.errors);
  if (!facts.birthDate)
    throw new AppError('VALIDATION', { errors: [{ field: 'birthDate', message: 'person.birthDateRequired' }] });

  const homeGridId = patch.homeGridId !== undefined ? patch.homeGridId : (row.homeGrid?.id ?? null);
  const branchOrgId = patch.branchOrgId !== undefined ? patch.branchOrgId : (row.branchOrg?.id ?? null);
  if (!homeGridId && !branchOrgId)
    throw new AppError('VALIDATION', { errors: [{ field: 'homeGridId', message: 'person.placeRequired' }] });
  const place = await checkPlaces(database, actor, {
    homeGridId: patch.homeGridId,
    branchOrgId: patch.branchOrgId,
    circleGridIds: patch.circleGridIds,
  });
  if (place && place.districtId !== row.districtId) throw new AppError('GRID_NOT_FOUND');

  const phone = patch.phone === undefined ? undefined : patch.phone;
  const phoneIdx = phone ? pii.blindIndex('phone', phone) : null;
  const idIdx = patch.idNumber ? pii.blindIndex('idNumber', patch.idNumber) : null;
  if (phone === null && !idNumber)
    throw new AppError('VALIDATION', { errors: [{ field: 'phone', message: 'person.identifierRequired' }] });
  const clashes = (await findIdentityMatches(database.db, row.districtId, phoneIdx, idIdx)).filter((m) => m.id !== id);
  if (clashes.length) {
    throw new AppError('DUPLICATE_PERSON', {
      errors: clashes.map((c) => ({
        field: c.idIdx && c.idIdx === idIdx ? 'idNumber' : 'phone',
        message: 'DUPLICATE_PERSON',
      })),
    });
  }

  const write: Partial<PersonWrite> = {
    name: patch.name,
    gender: facts.gender,
    birthDate: facts.birthDate,
    politicalStatus: patch.politicalStatus,
    category: patch.category,
    skills: patch.skills,
    homeGridId: patch.homeGridId,
    branchOrgId: patch.branchOrgId,
    backbone: patch.backbone,
    reserveBackbone: patch.reserveBackbone,
    guardianConsent:
      patch.guardianConsent === undefined
        ? undefined
        : patch.guardianConsent && { ...patch.guardianConsent, at: patch.guardianConsent.at ?? nowIso() },
  };
  if (phone !== undefined) Object.assign(write, { phoneEnc: phone ? pii.encrypt(phone) : null, phoneIdx });
  if (patch.idNumber !== undefined)
    Object.assign(write, { idEnc: patch.idNumber ? pii.encrypt(patch.idNumber) : null, idIdx });
  if (patch.consent) {
    Object.assign(write, {
      consentVersion: patch.consent.version,
      consentAt: patch.consent.at ?? nowIso(),
      consentChannel: patch.consent.channel,
    });
  }
  return database.db.transaction(async (tx) => {
    await updatePersonRow(tx, id, write);
    if (patch.circleGridIds) await replaceCircles(tx, id, row.districtId, patch.circleGridIds);
    const after = toPerson((await findPersonById(tx, id))!, pii);
    await recordAudit(tx, actor, {
      action: 'person.update',
      entity: 'person',
      entityId: id,
      districtId: row.districtId,
      before: toPerson(row, pii),
      after,
    });
    return after;
  });
}

async function changeStatus(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  from: PersonStatus[],
  to: PersonStatus,
  action: string,
) {
  const row = await writableInScope(database, actor, id);
  if (!from.includes(row.status)) throw new AppError(to === 'registered' ? 'PERSON_NOT_PENDING' : 'NOT_FOUND');
  return database.db.transaction(async (tx) => {
    await updatePersonRow(tx, id, { status: to });
    const after = toPerson((await findPersonById(tx, id))!, pii);
    await recordAudit(tx, actor, {
      action,
      entity: 'person',
      entityId: id,
      districtId: row.districtId,
      before: { status: row.status },
      after: { status: to },
    });
    return after;
  });
}

/** 确认报到 the grid leader confirms a pending self-registration. */
export function confirmPerson(database: Database, pii: PiiCipher, actor: Actor, id: number) {
  return changeStatus(database, pii, actor, id, ['pending'], 'registered', 'person.confirm');
}

/** 停用 takes a person off the lists (moved away, aged out …); reversible. */
export function deactivatePerson(database: Database, pii: PiiCipher, actor: Actor, id: number) {
  return changeStatus(database, pii, actor, id, ['pending', 'registered'], 'inactive', 'person.deactivate');
}

export function reactivatePerson(database: Database, pii: PiiCipher, actor: Actor, id: number) {
  return changeStatus(database, pii, actor, id, ['inactive'], 'registered', 'person.reactivate');
}

/** 撤回同意 stops processing: hidden from lists and exports; only what the law requires is kept. */
export async function withdrawConsent(database: Database, pii: PiiCipher, actor: Actor, id: number) {
  const row = await writableInScope(database, actor, id);
  return database.db.transaction(async (tx) => {
    await markWithdrawn(tx, id);
    const after = toPerson((await findPersonById(tx, id))!, pii);
    await recordAudit(tx, actor, {
      action: 'person.withdraw_consent',
      entity: 'person',
      entityId: id,
      districtId: row.districtId,
      before: { status: row.status },
      after: { status: 'withdrawn' },
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Review list
// ---------------------------------------------------------------------------------------------

async function toReview(database: Database, pii: PiiCipher, r: ReviewRow): Promise<PersonReview> {
  const people = await findPeopleBrief(
    database.db,
    r.candidates.map((c) => c.id),
  );
  return {
    id: r.id,
    districtId: r.districtId,
    reason: r.reason,
    source: r.source,
    status: r.status,
    incoming: {
      name: r.incoming.name,
      phone: maskedOrNull(pii, r.phoneEnc, maskPhone),
      idNumber: maskedOrNull(pii, r.idEnc, maskIdNumber),
      birthDate: r.incoming.birthDate ?? null,
    },
    candidates: r.candidates.flatMap((c) => {
      const p = people.find((x) => x.id === c.id);
      return p
        ? [
            {
              id: p.id,
              name: p.name,
              phone: maskedOrNull(pii, p.phone_enc, maskPhone),
              idNumber: maskedOrNull(pii, p.id_enc, maskIdNumber),
              match: c.match,
            },
          ]
        : [];
    }),
    resolution: r.resolution,
    resolvedPersonId: r.resolvedPersonId,
    createdAt: r.createdAt,
    resolvedAt: r.resolvedAt,
  };
}

export async function searchReviews(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  query: { districtId?: number; status: 'open' | 'resolved' },
) {
  requirePermission(actor, 'person.write');
  const districtId = resolveDistrict(actor, query.districtId);
  const rows = await listReviews(database.db, actor, districtId, query.status);
  const items = [];
  for (const r of rows) items.push(await toReview(database, pii, r));
  return { items, total: items.length };
}

/**
 * 处理疑似重复. apply: the submission updates the chosen candidate; create: it becomes a new person.
 * Either way its phone moves to that person and leaves anyone else holding it. reject: nothing changes.
 */
export async function resolveReview(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: number,
  input: PersonReviewResolve,
) {
  requirePermission(actor, 'person.write');
  if (input.action === 'apply') await loadPersonInScope(database, actor, input.personId);
  const resolvedPersonId = await database.db.transaction(async (tx) => {
    const review = await findReviewInScope(tx, actor, id);
    if (!review) throw new AppError('REVIEW_NOT_FOUND');
    if (review.status !== 'open') throw new AppError('REVIEW_RESOLVED');
    let personId: number | null = null;
    if (input.action !== 'reject') {
      if (input.action === 'apply' && !review.candidates.some((c) => c.id === input.personId))
        throw new AppError('REVIEW_CANDIDATE');
      const target = input.action === 'apply' ? input.personId : null;
      const holders = await findIdentityMatches(tx, review.districtId, review.phoneIdx, review.idIdx);
      if (review.idIdx && holders.some((h) => h.idIdx === review.idIdx && h.id !== target))
        throw new AppError('DUPLICATE_PERSON', { errors: [{ field: 'idNumber', message: 'DUPLICATE_PERSON' }] });
      for (const h of holders.filter((h) => h.phoneIdx === review.phoneIdx && h.id !== target)) {
        await updatePersonRow(tx, h.id, { phoneEnc: null, phoneIdx: null });
        await recordAudit(tx, actor, {
          action: 'person.phone_moved',
          entity: 'person',
          entityId: h.id,
          districtId: review.districtId,
          after: { review: review.id },
        });
      }
      const inc = review.incoming as Omit<PersonIncoming, 'phone' | 'idNumber'>;
      const write: PersonWrite = {
        name: inc.name,
        gender: inc.gender,
        birthDate: inc.birthDate,
        phoneEnc: review.phoneEnc,
        phoneIdx: review.phoneIdx,
        idEnc: review.idEnc,
        idIdx: review.idIdx,
        politicalStatus: inc.politicalStatus,
        category: inc.category,
        skills: inc.skills ?? [],
        homeGridId: inc.homeGridId,
        branchOrgId: inc.branchOrgId ?? null,
        backbone: inc.backbone ?? false,
        reserveBackbone: inc.reserveBackbone ?? false,
        source: inc.source,
        status: inc.status,
        consentVersion: inc.consent.version,
        consentAt: inc.consent.at,
        consentChannel: inc.consent.channel,
        guardianConsent: inc.guardianConsent,
        registrationTokenId: review.registrationTokenId,
      };
      if (target) {
        const { source: _s, status: _st, ...rest } = write;
        await updatePersonRow(tx, target, {
          ...rest,
          skills: inc.skills,
          backbone: inc.backbone,
          reserveBackbone: inc.reserveBackbone,
          branchOrgId: inc.branchOrgId ?? undefined,
          homeGridId: inc.homeGridId ?? undefined,
        });
        personId = target;
      } else {
        personId = await insertPerson(tx, review.districtId, write, actor.accountId);
        if (inc.circleGridIds?.length) await replaceCircles(tx, personId, review.districtId, inc.circleGridIds);
      }
    }
    const resolution = input.action === 'apply' ? 'applied' : input.action === 'create' ? 'created' : 'rejected';
    await markReviewResolved(tx, review.id, resolution, personId, actor.accountId);
    await recordAudit(tx, actor, {
      action: 'person.review.resolve',
      entity: 'person_review',
      entityId: review.id,
      districtId: review.districtId,
      after: { resolution, personId },
    });
    return personId;
  });
  const row = await findReviewInScope(database.db, actor, id);
  return {
    review: await toReview(database, pii, row!),
    person: resolvedPersonId ? toPerson((await findPersonById(database.db, resolvedPersonId))!, pii) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Key youth archive 重点青少年
// ---------------------------------------------------------------------------------------------

function toKeyYouthOut(pii: PiiCipher, r: Awaited<ReturnType<typeof findKeyYouth>> & {}) {
  const { noteEnc, ...rest } = r;
  return { ...rest, note: pii.decrypt(noteEnc) };
}

export async function getKeyYouth(database: Database, pii: PiiCipher, actor: Actor, personId: number) {
  requirePermission(actor, 'person.key_youth');
  const person = await loadPersonInScope(database, actor, personId);
  const row = await findKeyYouth(database.db, personId);
  if (!row) throw new AppError('KEY_YOUTH_NOT_FOUND');
  await recordAudit(database.db, actor, {
    action: 'key_youth.read',
    entity: 'person',
    entityId: personId,
    districtId: person.districtId,
  });
  return toKeyYouthOut(pii, row);
}

export async function searchKeyYouth(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  query: { districtId?: number; orgId?: number; kind?: KeyYouthKind; page: number; pageSize: number },
) {
  requirePermission(actor, 'person.key_youth');
  const districtId = resolveDistrict(actor, query.districtId);
  let orgPath: string | undefined;
  if (query.orgId) orgPath = (await loadOrgInScope(database, actor, query.orgId)).path;
  const { rows, total } = await listKeyYouth(database.db, actor, districtId, { ...query, orgPath });
  await recordAudit(database.db, actor, {
    action: 'key_youth.list',
    entity: 'person',
    districtId,
    after: { personIds: rows.map((r) => r.personId) },
  });
  return { items: rows.map((r) => toKeyYouthOut(pii, r)), total };
}

export async function setKeyYouth(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  personId: number,
  input: { kind: KeyYouthKind; note: string },
) {
  requirePermission(actor, 'person.key_youth');
  const person = await writableInScope(database, actor, personId);
  const before = await findKeyYouth(database.db, personId);
  return database.db.transaction(async (tx) => {
    await upsertKeyYouth(
      tx,
      { personId, districtId: person.districtId, kind: input.kind, noteEnc: pii.encrypt(input.note) },
      actor.accountId,
    );
    await recordAudit(tx, actor, {
      action: 'key_youth.set',
      entity: 'person',
      entityId: personId,
      districtId: person.districtId,
      before: before ? { kind: before.kind } : null,
      after: { kind: input.kind },
    });
    return toKeyYouthOut(pii, (await findKeyYouth(tx, personId))!);
  });
}

export async function removeKeyYouth(database: Database, actor: Actor, personId: number) {
  requirePermission(actor, 'person.key_youth');
  const person = await loadPersonInScope(database, actor, personId);
  const before = await findKeyYouth(database.db, personId);
  if (!before) throw new AppError('KEY_YOUTH_NOT_FOUND');
  await database.db.transaction(async (tx) => {
    await deleteKeyYouth(tx, personId);
    await recordAudit(tx, actor, {
      action: 'key_youth.remove',
      entity: 'person',
      entityId: personId,
      districtId: person.districtId,
      before: { kind: before.kind },
    });
  });
  return { ok: true as const };
}
