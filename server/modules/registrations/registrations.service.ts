import crypto from 'node:crypto';
import QRCode from 'qrcode';
import type { z } from 'zod';
import { maskName } from '../../../domain/activity.ts';
import { toWgs84 } from '../../../domain/geo.ts';
import type { Lang } from '../../../domain/messages.ts';
import { CONSENT_VERSION, PRIVACY_NOTICE, type QrRegister, resolvePersonFacts } from '../../../domain/person.ts';
import {
  type QrConfirm,
  type QrIdentify,
  type QrLocateSchema,
  SUGGEST_MAX_METERS,
} from '../../../domain/registration.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { type Actor, requirePermission, resolveDistrict } from '../../lib/actor.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { type AttemptRule, captchaSettings, requireCaptchaIfNeeded } from '../captcha/captcha.service.ts';
import { loadGridInScope } from '../grids/grids.service.ts';
import { loadOrgInScope } from '../orgs/orgs.service.ts';
import { findIdentityMatches, findPersonById } from '../people/people.repository.ts';
import { registerPerson } from '../people/people.service.ts';
import {
  findGridInSubtree,
  findLiveActivityToken,
  findPublicToken,
  findToken,
  findTokenInScope,
  getRegistrationSettings,
  insertToken,
  listTokens,
  nearestGridInSubtree,
  recordSubmission,
  revokeActivityTokens,
  revokeToken,
  saveRegistrationSettings,
  type TokenRow,
} from './registrations.repository.ts';

/** The string a QR code carries: the token id and its HMAC-SM3 signature (never a bare database id). */
export function tokenString(pii: PiiCipher, id: string): string {
  return `${id}.${pii.sign(id)}`;
}

/** The phone page's address a QR code encodes. */
export function registrationUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/r/${token}`;
}

function toToken(pii: PiiCipher, baseUrl: string, t: TokenRow) {
  const token = tokenString(pii, t.id);
  return {
    id: t.id,
    kind: t.grid ? ('grid' as const) : ('org' as const),
    grid: t.grid,
    org: t.org,
    token,
    url: registrationUrl(baseUrl, token),
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
    registrations: t.registrations,
    createdAt: t.createdAt,
  };
}

/** 生成报到二维码 a new token for a grid or an org in the actor's scope. */
export async function createToken(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  input: { gridId?: number; orgId?: number; expiresInDays: number },
  baseUrl: string,
) {
  requirePermission(actor, 'person.write');
  let place: { districtId: number; orgId: number; gridId: number | null };
  if (input.gridId) {
    const grid = await loadGridInScope(database, actor, input.gridId);
    if (!grid.active) throw new AppError('GRID_INACTIVE', { errors: [{ field: 'gridId', message: 'GRID_INACTIVE' }] });
    place = { districtId: grid.districtId, orgId: grid.orgId, gridId: grid.id };
  } else {
    const org = await loadOrgInScope(database, actor, input.orgId!);
    if (!org.active) throw new AppError('ORG_INACTIVE', { errors: [{ field: 'orgId', message: 'ORG_INACTIVE' }] });
    place = { districtId: org.districtId, orgId: org.id, gridId: null };
  }
  const id = crypto.randomBytes(16).toString('base64url');
  await database.db.transaction(async (tx) => {
    await insertToken(tx, { id, ...place, days: input.expiresInDays, createdBy: actor.accountId });
    await recordAudit(tx, actor, {
      action: 'registration_token.create',
      entity: 'registration_token',
      entityId: id,
      districtId: place.districtId,
      after: { gridId: place.gridId, orgId: place.orgId, expiresInDays: input.expiresInDays },
    });
  });
  return toToken(pii, baseUrl, (await findToken(database.db, id))!);
}

export async function searchTokens(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  query: { districtId?: number; gridId?: number; orgId?: number },
  baseUrl: string,
) {
  requirePermission(actor, 'person.write');
  const districtId = resolveDistrict(actor, query.districtId);
  const rows = await listTokens(database.db, actor, districtId, query);
  return { items: rows.map((t) => toToken(pii, baseUrl, t)) };
}

async function loadTokenInScope(database: Database, actor: Actor, id: string) {
  requirePermission(actor, 'person.write');
  const row = await findTokenInScope(database.db, actor, id);
  if (row) return row;
  const existing = await findToken(database.db, id);
  if (existing) {
    await recordAudit(database.db, actor, {
      action: 'scope.denied',
      entity: 'registration_token',
      entityId: id,
      districtId: existing.districtId,
    });
  }
  throw new AppError('REGISTRATION_TOKEN_NOT_FOUND');
}

/** 停用二维码 revokes a token: scanning it then says so. */
export async function revokeRegistrationToken(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: string,
  baseUrl: string,
) {
  const row = await loadTokenInScope(database, actor, id);
  await database.db.transaction(async (tx) => {
    await revokeToken(tx, id, actor.accountId);
    await recordAudit(tx, actor, {
      action: 'registration_token.revoke',
      entity: 'registration_token',
      entityId: id,
      districtId: row.districtId,
    });
  });
  return toToken(pii, baseUrl, (await findToken(database.db, id))!);
}

/** The QR image of a token, as PNG or SVG, encoding the phone page's URL. */
export async function tokenImage(
  database: Database,
  pii: PiiCipher,
  actor: Actor,
  id: string,
  format: 'png' | 'svg',
  baseUrl: string,
): Promise<{ body: Buffer | string; type: string }> {
  const row = await loadTokenInScope(database, actor, id);
  const url = registrationUrl(baseUrl, tokenString(pii, row.id));
  const options = { errorCorrectionLevel: 'M' as const, margin: 2 };
  if (format === 'svg') return { body: await QRCode.toString(url, { ...options, type: 'svg' }), type: 'image/svg+xml' };
  return { body: await QRCode.toBuffer(url, { ...options, type: 'png', width: 600 }), type: 'image/png' };
}

/**
 * Checks a scanned token: the signature first (forged tokens cost no database query), then that it
 * exists, is not revoked, has not expired, and its grid and org are still active.
 */
async function resolvePublicToken(
  database: Database,
  pii: PiiCipher,
  token: string,
  purpose: 'registration' | 'activity' = 'registration',
): Promise<TokenRow & { autoRegister: boolean }> {
  const [id, signature, extra] = token.split('.');
  if (!id || !signature || extra !== undefined || !pii.verify(id, signature)) throw new AppError('QR_TOKEN_INVALID');
  const row = await findPublicToken(database.db, id);
  if (!row) throw new AppError('QR_TOKEN_INVALID');
  // An activity's code and a registration code are never interchangeable.
  if ((row.activityId !== null) !== (purpose === 'activity')) throw new AppError('QR_TOKEN_INVALID');
  if (row.revokedAt) throw new AppError('QR_TOKEN_REVOKED');
  if (row.expired) throw new AppError('QR_TOKEN_EXPIRED');
  if (!row.orgActive || row.gridActive === false) throw new AppError('QR_TOKEN_REVOKED');
  return row;
}

/**
 * The activity a scanned activity code (sign-up / check-in, 活动二维码) names, after the same checks
 * as a registration code: signature, existence, revocation, expiry, org still active.
 */
export async function resolveActivityToken(database: Database, pii: PiiCipher, token: string) {
  const row = await resolvePublicToken(database, pii, token, 'activity');
  return { tokenId: row.id, activityId: row.activityId!, districtId: row.districtId, expiresAt: row.expiresAt };
}

/**
 * Issues a new code for an activity (revoking its previous ones) in the caller's transaction; the
 * activities module checks scope and permission before calling.
 */
export async function issueActivityToken(
  ex: Executor,
  pii: PiiCipher,
  v: { activityId: number; districtId: number; orgId: number; days: number; createdBy: number },
  baseUrl: string,
) {
  await revokeActivityTokens(ex, v.activityId, v.createdBy);
  const id = crypto.randomBytes(16).toString('base64url');
  await insertToken(ex, {
    id,
    districtId: v.districtId,
    gridId: null,
    orgId: v.orgId,
    days: v.days,
    createdBy: v.createdBy,
    activityId: v.activityId,
  });
  return liveActivityToken(ex, pii, v.activityId, baseUrl);
}

/** The live code of an activity as token string and phone-page URL (`<base>/a/<token>`), or null. */
export async function liveActivityToken(ex: Executor, pii: PiiCipher, activityId: number, baseUrl: string) {
  const row = await findLiveActivityToken(ex, activityId);
  if (!row) return null;
  const token = tokenString(pii, row.id);
  return { token, url: activityUrl(baseUrl, token), expiresAt: row.expiresAt };
}

/** The activity phone page's address an activity QR code encodes. */
export function activityUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/a/${token}`;
}

/** What the phone page shows: names of the grid and org, the privacy notice. No personal data. */
export async function getPublicInfo(database: Database, pii: PiiCipher, token: string, lang: Lang) {
  const row = await resolvePublicToken(database, pii, token);
  return {
    kind: row.grid ? ('grid' as const) : ('org' as const),
    gridName: row.grid?.name ?? null,
    orgName: row.org.name,
    districtName: row.districtName,
    consentVersion: CONSENT_VERSION,
    privacyNotice: PRIVACY_NOTICE[lang],
    expiresAt: row.expiresAt,
  };
}

/**
 * The counters a public scan of a code moves (captcha.service.ts): per code and IP over 10 minutes (a
 * captcha after JINGWEI_CAPTCHA_AFTER attempts), and per code over a minute — a captcha for everybody
 * above JINGWEI_CAPTCHA_TOKEN_PER_MINUTE (a leaked code being hammered), 429 QR_TOKEN_BUSY above
 * JINGWEI_QR_TOKEN_PER_MINUTE. Counted in the database, so the limits hold across app servers. Every
 * attempt counts (form, identify, confirm), accepted or not.
 */
function scanRules(tokenId: string, ip: string): AttemptRule[] {
  const s = captchaSettings();
  return [
    { scope: `qr:${tokenId}:ip:${ip}`, windowSeconds: 600, captchaAfter: s.captchaAfter },
    {
      scope: `qr:${tokenId}`,
      windowSeconds: 60,
      captchaAfter: s.tokenCaptchaPerMinute,
      limit: s.tokenLimitPerMinute,
      limitCode: 'QR_TOKEN_BUSY',
    },
  ];
}

const publicActor = (districtId: number, ip: string) =>
  ({ accountId: null as any, username: null as any, districtId, ip }) as Actor;

/**
 * Where a scan registers: a grid code fixes its grid; an org code registers with the org as League
 * branch, or in a grid of the org's subtree the page chose (the one suggested from the position).
 */
async function placeOf(database: Database, row: TokenRow, gridId: number | undefined) {
  const refused = () =>
    new AppError('QR_GRID_NOT_AVAILABLE', { errors: [{ field: 'gridId', message: 'QR_GRID_NOT_AVAILABLE' }] });
  if (row.grid) {
    if (gridId !== undefined && gridId !== row.grid.id) throw refused();
    return {
      homeGridId: row.grid.id as number | null,
      branchOrgId: undefined as number | undefined,
      orgId: row.org.id,
    };
  }
  if (gridId === undefined) return { homeGridId: null, branchOrgId: row.org.id, orgId: row.org.id };
  const grid = await findGridInSubtree(database.db, row.districtId, row.orgPath, gridId);
  if (!grid) throw refused();
  return { homeGridId: grid.id, branchOrgId: undefined, orgId: grid.orgId };
}

/**
 * 扫码报到 a youth registers himself. Lands as pending or registered (district setting); a scan that
 * matches a known person (re-registration or conflict) goes to the review list. A replayed form is refused.
 */
export async function registerViaQr(
  database: Database,
  pii: PiiCipher,
  token: string,
  input: QrRegister,
  ip: string,
): Promise<{ status: 'registered' | 'pending' | 'review' }> {
  const row = await resolvePublicToken(database, pii, token);
  await requireCaptchaIfNeeded(database, pii, scanRules(row.id, ip), input.captcha);
  if (input.consentVersion !== CONSENT_VERSION) throw new AppError('CONSENT_VERSION_OUTDATED');
  const facts = resolvePersonFacts(input);
  if (facts.errors.length)
    throw new AppError(facts.errors[0].code, {
      errors: facts.errors.map((e) => ({ field: e.field, message: e.code })),
    });
  const place = await placeOf(database, row, input.gridId);
  const now = new Date().toISOString();
  const outcome = await registerPerson(
    database,
    pii,
    {
      districtId: row.districtId,
      orgId: place.orgId,
      actor: publicActor(row.districtId, ip),
      // Nobody proves on a public page that a phone or ID number is theirs (no SMS check yet), so a
      // scan that matches a known person never overwrites the record: it goes to review for a cadre.
      mayUpdate: () => false,
    },
    {
      name: input.name,
      gender: facts.gender,
      birthDate: facts.birthDate,
      phone: input.phone,
      idNumber: input.idNumber ?? null,
      politicalStatus: input.politicalStatus,
      category: input.category,
      homeGridId: place.homeGridId,
      branchOrgId: place.branchOrgId,
      consent: { version: input.consentVersion, at: now, channel: 'qr' },
      guardianConsent: input.guardianConsent ? { ...input.guardianConsent, at: input.guardianConsent.at ?? now } : null,
      source: 'qr',
      status: row.autoRegister ? 'registered' : 'pending',
      registrationTokenId: row.id,
    },
    async (tx, o) => {
      if (!(await recordSubmission(tx, row.id, input.submissionId, o))) throw new AppError('REGISTRATION_REPLAYED');
    },
  );
  if (outcome.outcome === 'review') return { status: 'review' };
  return { status: outcome.status === 'registered' ? 'registered' : 'pending' };
}

/**
 * 定位推荐网格 the grid of the code's org subtree (never beyond it, so never another district's) that
 * contains the phone's position, else the nearest within 500 m. GCJ-02 positions (WeChat, AMap) are
 * converted to WGS-84 first. The position is neither stored nor logged.
 */
export async function suggestGrid(
  database: Database,
  pii: PiiCipher,
  token: string,
  input: z.infer<typeof QrLocateSchema>,
) {
  const row = await resolvePublicToken(database, pii, token);
  const [lng, lat] = toWgs84([input.lng, input.lat], input.coordSystem);
  const grid = await nearestGridInSubtree(database.db, {
    districtId: row.districtId,
    orgPath: row.orgPath,
    lng,
    lat,
    maxMeters: SUGGEST_MAX_METERS,
  });
  return { grid };
}

/**
 * 老用户一键确认 — who may skip the form. A person of the code's district is "known" to an anonymous
 * caller only when the phone AND a second factor of the same person match: the ID number (through its
 * blind index) or the birth date. The phone alone never answers "known" (the form's re-registration
 * already says "review" for a known phone; this asks for more, not less). People who withdrew consent and
 * key youth (restricted archive) are never "known" here: they use the form, which goes to review. The
 * attempts count in the same counters as the form, so guessing birth dates meets the captcha after 5.
 *
 * Confirming does not move anybody by itself: without an SMS proof that the phone is the scanner's, the
 * confirm is a re-registration with the registry's own facts and the new grid, and goes to the review
 * list for a cadre — exactly as the form would — unless the person is already in this grid.
 */
async function findKnownPerson(
  database: Database,
  pii: PiiCipher,
  districtId: number,
  input: { phone: string; idNumber?: string | null; birthDate?: string | null },
) {
  const phoneIdx = pii.blindIndex('phone', input.phone);
  const matches = await findIdentityMatches(database.db, districtId, phoneIdx, null);
  const match = matches.find((m) => m.phoneIdx === phoneIdx && m.status !== 'withdrawn');
  if (!match) return null;
  if (input.idNumber) {
    if (match.idIdx !== pii.blindIndex('idNumber', input.idNumber)) return null;
  }
  const person = await findPersonById(database.db, match.id);
  if (!person || person.keyYouth) return null;
  if (!input.idNumber && (!input.birthDate || person.birthDate !== input.birthDate)) return null;
  return person;
}

/** Step 1 of the one-tap confirm: is this a known person, and is he already in this code's grid? */
export async function identifyViaQr(database: Database, pii: PiiCipher, token: string, input: QrIdentify, ip: string) {
  const row = await resolvePublicToken(database, pii, token);
  await requireCaptchaIfNeeded(database, pii, scanRules(row.id, ip), input.captcha);
  const person = await findKnownPerson(database, pii, row.districtId, input);
  if (!person) return { known: false, maskedName: null, alreadyHere: false };
  return {
    known: true,
    maskedName: maskName(person.name),
    alreadyHere: !!row.grid && person.homeGrid?.id === row.grid.id && person.status !== 'inactive',
  };
}

/** Step 2: "that's me, join this grid" — the same checks again, then the write described above. */
export async function confirmViaQr(
  database: Database,
  pii: PiiCipher,
  token: string,
  input: QrConfirm,
  ip: string,
): Promise<{ status: 'registered' | 'pending' | 'review' }> {
  const row = await resolvePublicToken(database, pii, token);
  await requireCaptchaIfNeeded(database, pii, scanRules(row.id, ip), input.captcha);
  if (input.consentVersion !== CONSENT_VERSION) throw new AppError('CONSENT_VERSION_OUTDATED');
  const person = await findKnownPerson(database, pii, row.districtId, input);
  if (!person)
    throw new AppError('QR_PERSON_NOT_FOUND', { errors: [{ field: 'phone', message: 'QR_PERSON_NOT_FOUND' }] });
  const place = await placeOf(database, row, input.gridId);
  if (
    place.homeGridId !== null &&
    person.homeGrid?.id === place.homeGridId &&
    (person.status === 'registered' || person.status === 'pending')
  ) {
    return { status: person.status };
  }
  const now = new Date().toISOString();
  const outcome = await registerPerson(
    database,
    pii,
    { districtId: row.districtId, orgId: place.orgId, actor: publicActor(row.districtId, ip), mayUpdate: () => false },
    {
      name: person.name,
      gender: person.gender,
      birthDate: person.birthDate,
      phone: input.phone,
      idNumber: input.idNumber ?? null,
      politicalStatus: person.politicalStatus,
      category: person.category,
      homeGridId: place.homeGridId,
      branchOrgId: place.branchOrgId,
      consent: { version: input.consentVersion, at: now, channel: 'qr' },
      guardianConsent: person.guardianConsent,
      source: 'qr',
      status: row.autoRegister ? 'registered' : 'pending',
      registrationTokenId: row.id,
    },
    async (tx, o) => {
      if (!(await recordSubmission(tx, row.id, input.submissionId, o))) throw new AppError('REGISTRATION_REPLAYED');
    },
  );
  if (outcome.outcome === 'review') return { status: 'review' };
  return { status: outcome.status === 'registered' ? 'registered' : 'pending' };
}

export async function getSettings(database: Database, actor: Actor, requestedDistrict?: number) {
  requirePermission(actor, 'person.read');
  const districtId = resolveDistrict(actor, requestedDistrict);
  return getRegistrationSettings(database.db, districtId);
}

/** 扫码即登记 district setting: district and platform admins only. */
export async function updateSettings(
  database: Database,
  actor: Actor,
  input: { autoRegister: boolean },
  requestedDistrict?: number,
) {
  requirePermission(actor, 'person.write');
  if (actor.role !== 'district_admin' && actor.role !== 'platform_admin') throw new AppError('FORBIDDEN');
  const districtId = resolveDistrict(actor, requestedDistrict);
  const before = await getRegistrationSettings(database.db, districtId);
  await database.db.transaction(async (tx) => {
    await saveRegistrationSettings(tx, districtId, input);
    await recordAudit(tx, actor, {
      action: 'registration.settings',
      entity: 'registration_settings',
      entityId: districtId,
      districtId,
      before,
      after: input,
    });
  });
  return input;
}
