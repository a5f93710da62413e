/**
 * Rows of the registrations module (二维报到: registration codes and the district's registration
 * setting). Codes are made, listed, downloaded and revoked with person.write (district admin, org
 * admin and grid leader in their scope, the platform admin); the setting is read with person.read
 * and written by district and platform admins only. The phone pages (GET /api/qr/:token and
 * POST /api/qr/:token/register) are public: see PUBLIC_ROUTES.
 *
 * The target of a code route is a registration code of the scope org.
 */
import { addRegistrationToken } from '../../test/factories.ts';
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

/** A code of the scope org, shared by the reads. */
function scopeToken(t: Target) {
  return t.shared('registrations.token', () => addRegistrationToken(t.database, t.org, t.accountId));
}

/** person.write on one code or org (and person.read of the setting): cadres holding it, in their scope. */
const CADRE_SUBTREE: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: SUBTREE,
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** The same roles on a district-wide list or setting. */
const CADRE_DISTRICT: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: DISTRICT,
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

export const registrationRules: Record<string, RouteRule> = {
  'GET /api/registration-tokens': {
    request: (t) => ({ url: `/api/registration-tokens?districtId=${t.districtId}` }),
    expect: CADRE_DISTRICT,
  },
  'POST /api/registration-tokens': {
    request: (t) => ({ url: '/api/registration-tokens', payload: { orgId: t.orgId, expiresInDays: 30 } }),
    expect: CADRE_SUBTREE,
  },
  'DELETE /api/registration-tokens/:id': {
    // Revokes: a fresh code, so the shared one stays valid.
    request: async (t) => ({
      url: `/api/registration-tokens/${await addRegistrationToken(t.database, t.org, t.accountId)}`,
    }),
    expect: CADRE_SUBTREE,
  },
  'GET /api/registration-tokens/:id/qr': {
    request: async (t) => ({ url: `/api/registration-tokens/${await scopeToken(t)}/qr?format=svg` }),
    expect: CADRE_SUBTREE,
  },
  'GET /api/registrations/settings': {
    request: (t) => ({ url: `/api/registrations/settings?districtId=${t.districtId}` }),
    expect: CADRE_DISTRICT,
  },
  'PUT /api/registrations/settings': {
    // Writes the default (pending until a grid leader confirms): the other tests see no change.
    request: (t) => ({
      url: `/api/registrations/settings?districtId=${t.districtId}`,
      payload: { autoRegister: false },
    }),
    expect: {
      platform_admin: ALL('2xx'),
      district_admin: DISTRICT,
      org_admin: ALL('403'),
      grid_leader: ALL('403'),
      team_leader: ALL('403'),
      youth: ALL('403'),
      anonymous: ALL('401'),
    },
  },
};

/**
 * Public routes of the QR phone page beyond GET /api/qr/:token and its form (listed in PUBLIC_ROUTES):
 * the grid suggested from the phone's position (only grids of the code's subtree, no personal data) and
 * the one-tap confirm of a known person (phone + ID number or birth date; answers a masked name at most),
 * both rate-limited per IP and counted with the form for the captcha.
 */
export const REGISTRATION_PUBLIC_ROUTES = [
  'POST /api/qr/:token/locate',
  'POST /api/qr/:token/identify',
  'POST /api/qr/:token/confirm',
] as const;
