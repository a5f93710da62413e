/**
 * Rows of the ledger routes (台账: import template, spreadsheet import and its reports, export). Same
 * permissions as the registry: person.write to import, person.read to read reports and export, in the
 * caller's subtree; team leaders and youth hold neither. The target org is the scope org.
 */
import { insertImport } from '../../modules/ledgers/ledgers.repository.ts';
import { ALL, DISTRICT, type RouteRule, SUBTREE, type Target } from './common.ts';

const IN_SUBTREE: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: DISTRICT,
  org_admin: SUBTREE,
  grid_leader: SUBTREE,
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};
/** No target: every registry role may, whatever the scope. */
const REGISTRY_ROLES: RouteRule['expect'] = {
  platform_admin: ALL('2xx'),
  district_admin: ALL('2xx'),
  org_admin: ALL('2xx'),
  grid_leader: ALL('2xx'),
  team_leader: ALL('403'),
  youth: ALL('403'),
  anonymous: ALL('401'),
};

/** An import of the scope org (its report holds one issue). */
function scopeImport(t: Target) {
  return t.shared('ledgers.import', async () => {
    const row = await insertImport(t.database.db, {
      districtId: t.districtId,
      orgId: t.orgId,
      accountId: null,
      fileName: 'matrix.xlsx',
      mode: 'valid',
      status: 'imported',
      total: 1,
      created: 0,
      updated: 0,
      review: 0,
      rejected: 1,
      issues: [{ row: 2, column: 'D', field: 'phone', code: 'phone.invalid' }],
    });
    return row.id;
  });
}

export const ledgerRules: Record<string, RouteRule> = {
  'GET /api/people/import-template.xlsx': {
    request: () => ({ url: '/api/people/import-template.xlsx' }),
    expect: REGISTRY_ROLES,
  },
  'POST /api/people/imports': {
    request: (t) => ({
      url: `/api/people/imports?orgId=${t.orgId}&fileName=m.csv`,
      payload: `姓名,出生日期,手机号\n台账${t.unique},2001-03-04,1370${t.uniqueDigits.padStart(7, '0')}\n`,
      headers: { 'content-type': 'text/csv' },
    }),
    expect: IN_SUBTREE,
  },
  'GET /api/people/imports': { request: () => ({ url: '/api/people/imports' }), expect: REGISTRY_ROLES },
  'GET /api/people/imports/:id': {
    request: async (t) => ({ url: `/api/people/imports/${await scopeImport(t)}` }),
    expect: IN_SUBTREE,
  },
  'GET /api/people/imports/:id/report.xlsx': {
    request: async (t) => ({ url: `/api/people/imports/${await scopeImport(t)}/report.xlsx` }),
    expect: IN_SUBTREE,
  },
  'GET /api/people/export.xlsx': {
    request: (t) => ({ url: `/api/people/export.xlsx?orgId=${t.orgId}` }),
    expect: IN_SUBTREE,
  },
};
