import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { idCheckChar } from '../../../domain/identity.ts';
import type { Database } from '../../db/client.ts';
import { one } from '../../db/sql.ts';
import { addAccount, addOrg, buildWorld } from '../../test/factories.ts';

/** A valid ID number of Hangzhou (330102) born on `birth` (yyyymmdd). */
export function makeIdNumber(birth: string, seq = '123'): string {
  const first17 = `330102${birth}${seq}`;
  return first17 + idCheckChar(first17);
}

/** A fresh data dir for the development PII keys of one test file. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'jw-people-'));
}

export async function addGrid(database: Database, orgId: number, districtId: number, code: string, kind = 'village') {
  const r = await one<{ id: number }>(
    database.db,
    sql`INSERT INTO grids (district_id, code, name, kind, org_id) VALUES (${districtId}, ${code}, ${`${code}网格`}, ${kind}, ${orgId})
        RETURNING id`,
  );
  return r!.id;
}

/** The org world of the factories plus grids: g1 under V1 (town T1), g2 under V2 (T2), gB in district B. */
export async function buildPeopleWorld(database: Database) {
  const world = await buildWorld(database);
  const vb = await addOrg(database, world.tb, 'village_branch', '乙村团总支');
  const g1 = await addGrid(database, world.v1.id, world.districtA, 'A-G1');
  const g2 = await addGrid(database, world.v2.id, world.districtA, 'A-G2');
  const circle = await addGrid(database, world.t1.id, world.districtA, 'A-C1', 'interest');
  const gB = await addGrid(database, vb.id, world.districtB, 'B-G1');
  await addAccount(database, 'v2_leader', 'grid_leader', world.v2);
  return { ...world, vb, g1, g2, circle, gB };
}
