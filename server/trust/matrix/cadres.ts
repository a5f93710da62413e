/**
 * Rows of 团干部 / 1+100 / 走访 (server/modules/people/cadres.*). Reads need person.read and writes
 * person.write, both inside the caller's subtree — the same roles as the registry (district admin,
 * org admin, grid leader, platform admin). The monthly visit day is a district setting: district and
 * platform admins only.
 *
 * The target of a cadre route is a cadre whose person has the scope org as League branch; of a visit
 * route, a visit by the scope org.
 */
import { addPerson } from '../../test/factories.ts';
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

const PERSON_SUBTREE: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: SUBTREE,
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
const PERSON_DISTRICT: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: DISTRICT,
  grid_leader: DISTRICT,
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

/** A fresh cadre (a registered person of the scope org with the secretary post). */
async function freshCadre(t: Target, label: string): Promise<number> {
  const id = await addPerson(t.database, t.org, `${label}${t.unique}`);
  await t.database.query(`INSERT INTO cadres (person_id, district_id, posts) VALUES ($1, $2, '["secretary"]'::jsonb)`, [
    id,
    t.districtId,
  ]);
  return id;
}
/** A fresh cadre with one youth of the scope org on his 1+100 list. */
async function cadreWithContact(t: Target, label: string): Promise<{ cadre: number; youth: number }> {
  const cadre = await freshCadre(t, label);
  const youth = await addPerson(t.database, t.org, `联系${label}${t.unique}`);
  await t.database.query('INSERT INTO cadre_contacts (cadre_person_id, person_id, district_id) VALUES ($1, $2, $3)', [
    cadre,
    youth,
    t.districtId,
  ]);
  return { cadre, youth };
}
const scopeCadre = (t: Target) => t.shared('cadres.cadre', () => cadreWithContact(t, '干部'));
function scopeVisit(t: Target) {
  return t.shared('cadres.visit', async () => {
    const [row] = await t.database.query<{ id: number }>(
      `INSERT INTO visits (district_id, org_id, visited_on, target_kind, target_name, notes)
       VALUES ($1, $2, '2026-01-09', 'enterprise', $3, '走访') RETURNING id`,
      [t.districtId, t.orgId, `企业${t.unique}`],
    );
    return row.id;
  });
}

export const cadreRules: Record<string, RouteRule> = {
  'GET /api/cadres': {
    request: (t) => ({ url: `/api/cadres?districtId=${t.districtId}&orgId=${t.orgId}` }),
    expect: PERSON_SUBTREE,
  },
  'GET /api/cadres/coverage': {
    request: (t) => ({ url: `/api/cadres/coverage?districtId=${t.districtId}&orgId=${t.orgId}` }),
    expect: PERSON_SUBTREE,
  },
  'GET /api/cadres/:id': {
    request: async (t) => ({ url: `/api/cadres/${(await scopeCadre(t)).cadre}` }),
    expect: PERSON_SUBTREE,
  },
  'PUT /api/cadres/:id': {
    // Same posts as the fixture: idempotent.
    request: async (t) => ({
      url: `/api/cadres/${(await scopeCadre(t)).cadre}`,
      payload: { posts: ['secretary'], recruitedFrom: null },
    }),
    expect: PERSON_SUBTREE,
  },
  'POST /api/cadres/:id/trainings': {
    request: async (t) => ({
      url: `/api/cadres/${(await scopeCadre(t)).cadre}/trainings`,
      payload: { title: '团务培训', heldOn: '2026-01-05', hours: 2 },
    }),
    expect: PERSON_SUBTREE,
  },
  'POST /api/cadres/:id/contacts': {
    request: async (t) => ({
      url: `/api/cadres/${(await scopeCadre(t)).cadre}/contacts`,
      payload: { personIds: [(await scopeCadre(t)).youth] },
    }),
    expect: PERSON_SUBTREE,
  },
  'DELETE /api/cadres/:id/contacts/:personId': {
    request: async (t) => {
      const { cadre, youth } = await cadreWithContact(t, '移出');
      return { url: `/api/cadres/${cadre}/contacts/${youth}` };
    },
    expect: PERSON_SUBTREE,
  },
  'GET /api/cadres/:id/contact-logs': {
    request: async (t) => ({ url: `/api/cadres/${(await scopeCadre(t)).cadre}/contact-logs` }),
    expect: PERSON_SUBTREE,
  },
  'POST /api/cadres/:id/contact-logs': {
    request: async (t) => {
      const { cadre, youth } = await scopeCadre(t);
      return {
        url: `/api/cadres/${cadre}/contact-logs`,
        payload: { personId: youth, contactedOn: '2026-01-06', channel: 'phone' },
      };
    },
    expect: PERSON_SUBTREE,
  },
  'GET /api/visits/settings': {
    request: (t) => ({ url: `/api/visits/settings?districtId=${t.districtId}` }),
    expect: PERSON_DISTRICT,
  },
  'PUT /api/visits/settings': {
    // Writes the default (the 9th): the other tests see no change.
    request: (t) => ({ url: `/api/visits/settings?districtId=${t.districtId}`, payload: { visitDay: 9 } }),
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
  'GET /api/visits/demands': {
    request: (t) => ({ url: `/api/visits/demands?districtId=${t.districtId}` }),
    expect: PERSON_DISTRICT,
  },
  'GET /api/visits': {
    request: (t) => ({ url: `/api/visits?districtId=${t.districtId}&orgId=${t.orgId}` }),
    expect: PERSON_SUBTREE,
  },
  'POST /api/visits': {
    request: (t) => ({
      url: '/api/visits',
      payload: {
        orgId: t.orgId,
        visitedOn: '2026-01-09',
        targetKind: 'enterprise',
        targetName: `企业${t.unique}`,
        notes: '了解青年用工需求',
        demands: ['希望开设夜校'],
      },
    }),
    expect: PERSON_SUBTREE,
  },
  'GET /api/visits/:id': {
    request: async (t) => ({ url: `/api/visits/${await scopeVisit(t)}` }),
    expect: PERSON_SUBTREE,
  },
};

cadreRules['GET /api/cadres/:id/work-ledger.xlsx'] = {
  request: async (t) => ({ url: `/api/cadres/${(await scopeCadre(t)).cadre}/work-ledger.xlsx` }),
  expect: PERSON_SUBTREE,
};
