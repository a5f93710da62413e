/**
 * Rows of the people module (青年库: the registry, its review list, unmasked identifiers and the
 * key-youth archive). person.read/person.write: district admin, org admin and grid leader in their
 * scope, and the platform admin; team leaders and youth hold neither. Unmasked identifiers need
 * person.pii and the key-youth archive person.key_youth: the district admin only (the platform admin,
 * who installs and manages accounts, holds neither).
 *
 * The target of a person route is a person whose League branch is the scope org.
 */
import { addKeyYouth, addPerson, addReview } from '../../test/factories.ts';
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

/** A registered person of the scope org, shared by the reads and idempotent edits. */
function scopePerson(t: Target) {
  return t.shared('people.person', () => addPerson(t.database, t.org, `青年${t.unique}`));
}
/** A person of the scope org in the key-youth archive. */
function scopeKeyYouth(t: Target) {
  return t.shared('people.keyYouth', () => addKeyYouth(t.database, t.pii, t.org, `重点${t.unique}`));
}

/** person.read / person.write on one person or org: in the caller's subtree. */
const PERSON_SUBTREE: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: SUBTREE,
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** person.read / person.write on a district-wide list. */
const PERSON_DISTRICT: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: DISTRICT,
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** person.pii or person.key_youth: the district admin in his district, nobody else. */
const DISTRICT_ADMIN_ONLY: RouteRule['expect'] = {
  platform_admin: ALL('403'),
  district_admin: DISTRICT,
  org_admin: ALL('403'),
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

/** A mainland mobile number unique in the run (from the target's unique digits). */
const phoneOf = (t: Target) => `1390${t.uniqueDigits.padStart(7, '0')}`;

export const peopleRules: Record<string, RouteRule> = {
  'GET /api/people': {
    request: (t) => ({ url: `/api/people?districtId=${t.districtId}&orgId=${t.orgId}` }),
    expect: PERSON_SUBTREE,
  },
  'POST /api/people': {
    request: (t) => ({
      url: '/api/people',
      payload: {
        name: `录入${t.unique}`,
        birthDate: '2001-03-04',
        phone: phoneOf(t),
        branchOrgId: t.orgId,
        consent: { version: '2026-01', channel: 'paper' },
      },
    }),
    expect: PERSON_SUBTREE,
  },
  'POST /api/people/lookup': {
    request: (t) => ({ url: '/api/people/lookup', payload: { districtId: t.districtId, phone: phoneOf(t) } }),
    expect: PERSON_DISTRICT,
  },
  'GET /api/people/reviews': {
    request: (t) => ({ url: `/api/people/reviews?districtId=${t.districtId}` }),
    expect: PERSON_DISTRICT,
  },
  'POST /api/people/reviews/:id/resolve': {
    // Consumes the entry: a fresh one filed under the scope org.
    request: async (t) => ({
      url: `/api/people/reviews/${await addReview(t.database, t.org, `待核${t.unique}`)}/resolve`,
      payload: { action: 'reject' },
    }),
    expect: PERSON_SUBTREE,
  },
  'GET /api/people/:id': {
    request: async (t) => ({ url: `/api/people/${await scopePerson(t)}` }),
    expect: PERSON_SUBTREE,
  },
  'PATCH /api/people/:id': {
    request: async (t) => ({ url: `/api/people/${await scopePerson(t)}`, payload: { skills: ['摄影'] } }),
    expect: PERSON_SUBTREE,
  },
  'GET /api/people/:id/identifiers': {
    request: async (t) => ({ url: `/api/people/${await scopePerson(t)}/identifiers` }),
    expect: DISTRICT_ADMIN_ONLY,
  },
  'POST /api/people/:id/confirm': {
    request: async (t) => ({
      url: `/api/people/${await addPerson(t.database, t.org, `待确认${t.unique}`, 'pending')}/confirm`,
    }),
    expect: PERSON_SUBTREE,
  },
  'POST /api/people/:id/deactivate': {
    request: async (t) => ({ url: `/api/people/${await addPerson(t.database, t.org, `停用${t.unique}`)}/deactivate` }),
    expect: PERSON_SUBTREE,
  },
  'POST /api/people/:id/reactivate': {
    request: async (t) => ({
      url: `/api/people/${await addPerson(t.database, t.org, `恢复${t.unique}`, 'inactive')}/reactivate`,
    }),
    expect: PERSON_SUBTREE,
  },
  'POST /api/people/:id/withdraw-consent': {
    request: async (t) => ({
      url: `/api/people/${await addPerson(t.database, t.org, `撤回${t.unique}`)}/withdraw-consent`,
    }),
    expect: PERSON_SUBTREE,
  },

  // ── key youth ─────────────────────────────────────────────────────────────────────────────
  'GET /api/key-youth': {
    request: (t) => ({ url: `/api/key-youth?districtId=${t.districtId}&orgId=${t.orgId}` }),
    expect: DISTRICT_ADMIN_ONLY,
  },
  'GET /api/people/:id/key-youth': {
    request: async (t) => ({ url: `/api/people/${await scopeKeyYouth(t)}/key-youth` }),
    expect: DISTRICT_ADMIN_ONLY,
  },
  'PUT /api/people/:id/key-youth': {
    // Re-files the shared key youth with the same kind: idempotent.
    request: async (t) => ({
      url: `/api/people/${await scopeKeyYouth(t)}/key-youth`,
      payload: { kind: 'idle_youth', note: '帮扶中' },
    }),
    expect: DISTRICT_ADMIN_ONLY,
  },
  'DELETE /api/people/:id/key-youth': {
    request: async (t) => ({
      url: `/api/people/${await addKeyYouth(t.database, t.pii, t.org, `出档${t.unique}`)}/key-youth`,
    }),
    expect: DISTRICT_ADMIN_ONLY,
  },
};
