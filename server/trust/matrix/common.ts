/**
 * Shared vocabulary of the authorization matrix (see ../authz-matrix.ts for how to read a row).
 * Module rule files under this folder import from here, never from ../authz-matrix.ts, so that the
 * matrix can spread them without an import cycle.
 */
import type { Role } from '../../../domain/account.ts';
import type { Database } from '../../db/client.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import type { OrgRow } from '../../modules/orgs/orgs.repository.ts';

export const SCOPES = ['own', 'child', 'sibling', 'parent', 'otherDistrict'] as const;
export type Scope = (typeof SCOPES)[number];

export const MATRIX_ROLES = [
  'platform_admin',
  'district_admin',
  'org_admin',
  'grid_leader',
  'team_leader',
  'youth',
  'anonymous',
] as const satisfies readonly (Role | 'anonymous')[];
export type MatrixRole = (typeof MATRIX_ROLES)[number];

export type Expect = '2xx' | '401' | '403' | '404';

/** What the test gives a request builder for one scope. */
export type Target = {
  /** The scope org (see the header). */
  orgId: number;
  /** The scope org's row (for factories that take a parent org). */
  org: OrgRow;
  districtId: number;
  /** An account of role youth bound to the scope org. */
  accountId: number;
  /** An alliance (团建联盟) directly under the scope org. */
  allianceId: number;
  /** Creates a fresh leaf org (kind branch) under the scope org and returns its id. */
  freshLeafOrg(): Promise<number>;
  /** A string unique in the test run, for names and codes. */
  unique: string;
  /** Six digits unique in the test run (district codes). */
  uniqueDigits: string;
  /** The test database, for request builders that need a fixture (a grid, a person …) in the scope org. */
  database: Database;
  /** The app's cipher of personal data (fixtures with encrypted fields, e.g. key-youth notes). */
  pii: PiiCipher;
  /**
   * A fixture made once per scope (on first use) and shared by every role's test of that scope.
   * For reads and idempotent writes; a write that consumes its target (a status change, a delete)
   * makes a fresh fixture instead.
   */
  shared<T>(key: string, make: () => Promise<T>): Promise<T>;
};

/** `headers` for bodies that are not JSON (a spreadsheet upload). */
export type MatrixRequest = { url: string; payload?: unknown; headers?: Record<string, string> };

export type RouteRule = {
  /** Builds the request for one scope; it must be one an authorized caller gets a 2xx for. */
  request(t: Target): MatrixRequest | Promise<MatrixRequest>;
  /** The call changes the caller's own account (password): each test logs in a fresh account. */
  freshActor?: boolean;
  /** Five cells per role, in SCOPES order, separated by spaces. */
  expect: Record<MatrixRole, string>;
};

export const ALL = (e: Expect) => `${e} ${e} ${e} ${e} ${e}`;
/** Anyone logged in, whatever the scope. */
export const ANY_SESSION: Record<MatrixRole, string> = {
  platform_admin: ALL('2xx'),
  district_admin: ALL('2xx'),
  org_admin: ALL('2xx'),
  grid_leader: ALL('2xx'),
  team_leader: ALL('2xx'),
  youth: ALL('2xx'),
  anonymous: ALL('401'),
};
/** The caller's own district only. */
export const DISTRICT = '2xx 2xx 2xx 2xx 404';
/** The caller's own org and its subtree only. */
export const SUBTREE = '2xx 2xx 404 404 404';
