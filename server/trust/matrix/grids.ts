/**
 * Rows of the grids module (网格: grids, roll-ups, coverage, territories, GeoJSON exchange, division
 * assistant). Reads need org.read (every cadre, not youth), writes org.write (admins only), the
 * district's capacity settings are written by district and platform admins only.
 *
 * The target of a grid route is "the grid org" of the scope: a village branch created once under
 * the scope org, with a drawn territory and a grid (see {@link gridOrg}, {@link scopeGrid}).
 */
import { addGrid, addOrg, addTerritory, squareBoundary } from '../../test/factories.ts';
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

/** A village branch under the scope org, with its territory drawn: responsible org of the scope's grids. */
function gridOrg(t: Target) {
  return t.shared('grids.org', async () => {
    const org = await addOrg(t.database, t.org, 'village_branch', `网格村${t.unique}`);
    await addTerritory(t.database, org, squareBoundary());
    return org;
  });
}

/** A drawn grid of the scope's grid org. */
function scopeGrid(t: Target) {
  return t.shared('grids.grid', async () =>
    addGrid(t.database, await gridOrg(t), `MX-${t.unique}`, { boundary: squareBoundary() }),
  );
}

/** org.read: any cadre in his scope; youth hold no org.read. */
const READ_SUBTREE: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: SUBTREE,
  team_leader: SUBTREE,
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** org.read of a district-wide list or setting. */
const READ_DISTRICT: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: DISTRICT,
  team_leader: DISTRICT,
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** org.write: admins, each in his subtree. */
const WRITE_SUBTREE: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: ALL('403'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

export const gridRules: Record<string, RouteRule> = {
  'GET /api/grids': { request: (t) => ({ url: `/api/grids?districtId=${t.districtId}` }), expect: READ_DISTRICT },
  'GET /api/grids/stats': {
    request: async (t) => ({ url: `/api/grids/stats?districtId=${t.districtId}&orgId=${(await gridOrg(t)).id}` }),
    expect: READ_SUBTREE,
  },
  'GET /api/grids/coverage': {
    request: async (t) => ({ url: `/api/grids/coverage?districtId=${t.districtId}&orgId=${(await gridOrg(t)).id}` }),
    expect: READ_SUBTREE,
  },
  'GET /api/grids/settings': {
    request: (t) => ({ url: `/api/grids/settings?districtId=${t.districtId}` }),
    expect: READ_DISTRICT,
  },
  'PUT /api/grids/settings': {
    // An empty patch: the settings stay as they are, the write (and its audit) still happens.
    request: (t) => ({ url: '/api/grids/settings', payload: { districtId: t.districtId, capacity: {} } }),
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
  'GET /api/grids/export': {
    request: async (t) => ({ url: `/api/grids/export?districtId=${t.districtId}&orgId=${(await gridOrg(t)).id}` }),
    expect: READ_SUBTREE,
  },
  'POST /api/grids/import': {
    request: async (t) => ({
      url: '/api/grids/import',
      payload: {
        districtId: t.districtId,
        orgId: (await gridOrg(t)).id,
        collection: {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              geometry: null,
              properties: { code: `IM-${t.unique}`, name: '导入圈', kind: 'interest' },
            },
          ],
        },
      },
    }),
    expect: WRITE_SUBTREE,
  },
  'POST /api/grids/divide': {
    request: async (t) => ({
      url: '/api/grids/divide',
      payload: { orgId: (await gridOrg(t)).id, points: [[120.5005, 30.0005]] },
    }),
    expect: WRITE_SUBTREE,
  },
  'POST /api/grids/divide/accept': {
    request: async (t) => ({
      url: '/api/grids/divide/accept',
      payload: {
        orgId: (await gridOrg(t)).id,
        grids: [{ code: `DV-${t.unique}`, name: `划分${t.unique}`, boundary: squareBoundary() }],
      },
    }),
    expect: WRITE_SUBTREE,
  },
  'GET /api/grids/territories/:id': {
    request: async (t) => ({ url: `/api/grids/territories/${(await gridOrg(t)).id}` }),
    expect: READ_SUBTREE,
  },
  'PUT /api/grids/territories/:id': {
    request: async (t) => ({
      url: `/api/grids/territories/${(await gridOrg(t)).id}`,
      payload: { boundary: squareBoundary() },
    }),
    expect: WRITE_SUBTREE,
  },
  'DELETE /api/grids/territories/:id': {
    // Consumes the territory: a fresh village with one drawn.
    request: async (t) => {
      const org = await addOrg(t.database, t.org, 'village_branch', `辖区${t.unique}`);
      await addTerritory(t.database, org);
      return { url: `/api/grids/territories/${org.id}` };
    },
    expect: WRITE_SUBTREE,
  },
  'POST /api/grids': {
    request: async (t) => ({
      url: '/api/grids',
      payload: { code: `NG-${t.unique}`, name: `新网格${t.unique}`, kind: 'building', orgId: (await gridOrg(t)).id },
    }),
    expect: WRITE_SUBTREE,
  },
  'GET /api/grids/:id': {
    request: async (t) => ({ url: `/api/grids/${await scopeGrid(t)}` }),
    expect: READ_SUBTREE,
  },
  'PATCH /api/grids/:id': {
    request: async (t) => ({ url: `/api/grids/${await scopeGrid(t)}`, payload: { venue: `青年之家${t.unique}` } }),
    expect: WRITE_SUBTREE,
  },
  'DELETE /api/grids/:id': {
    // Deactivates: a fresh grid, so the shared one stays active for the other rows.
    request: async (t) => ({ url: `/api/grids/${await addGrid(t.database, await gridOrg(t), `DL-${t.unique}`)}` }),
    expect: WRITE_SUBTREE,
  },
};
