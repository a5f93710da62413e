import { sql } from 'drizzle-orm';
import { idCheckChar } from '../../domain/identity.ts';
import { CONSENT_VERSION, PERSON_CATEGORIES, type PersonCategory } from '../../domain/person.ts';
import type { Executor } from '../db/sql.ts';
import { many } from '../db/sql.ts';
import type { PiiCipher } from '../lib/crypto.ts';
import { insertPeopleBulk, type PersonWrite } from '../modules/people/people.repository.ts';
import { chineseName, type seededRandom } from './demo.ts';

/**
 * Demo youth (青年库). Small scale: 20–60 per grid and 5–15 per village or community without grids,
 * about a third League members. Full scale (`full`): every grid holds exactly the youth and League
 * members its recorded counts say — Keqiao's 138,723 youth and ~44,900 members over 1,217 grids — so
 * the registry, the grid counts and the capacity rule agree. Identifiers are valid (fictional) ID and
 * mobile numbers encrypted like real ones; without a cipher (benchmarks, tests that need no personal
 * data) the people carry none.
 */
export async function seedDemoPeople(
  tx: Executor,
  districtId: number,
  rand: ReturnType<typeof seededRandom>,
  pii: PiiCipher | null,
  scale: 'full' | 'small' = 'small',
): Promise<number> {
  const grids = await many<{ id: number; org_id: number; youth_count: number | null; member_count: number | null }>(
    tx,
    sql`SELECT id, org_id, youth_count, member_count FROM grids WHERE district_id = ${districtId} AND active
          AND kind IN ('community', 'village', 'market_town', 'industrial_park') ORDER BY id`,
  );
  const villages = await many<{ id: number }>(
    tx,
    sql`SELECT o.id FROM orgs o WHERE o.district_id = ${districtId} AND o.kind IN ('village_branch', 'community_branch')
          AND NOT EXISTS (SELECT 1 FROM grids g WHERE g.org_id = o.id) ORDER BY o.id`,
  );
  const places = [
    ...grids.map((g) => {
      const recorded = scale === 'full' && g.youth_count !== null;
      return {
        gridId: g.id as number | null,
        branchOrgId: null as number | null,
        n: recorded ? g.youth_count! : 20 + Math.floor(rand.next() * 41),
        /** exact League members of the place; null = about 40% of those aged up to 28 */
        members: recorded ? Math.min(g.member_count ?? 0, g.youth_count!) : (null as number | null),
      };
    }),
    ...villages.map((v) => ({
      gridId: null,
      branchOrgId: v.id,
      n: 5 + Math.floor(rand.next() * 11),
      members: null as number | null,
    })),
  ];
  const consentAt = new Date().toISOString();
  let serial = 0;
  /** (birth day, sequence) pairs taken: two people never share an ID number */
  const used = new Set<string>();
  let batch: PersonWrite[] = [];
  let total = 0;
  const flush = async () => {
    total += (await insertPeopleBulk(tx, districtId, batch, null)).length;
    batch = [];
  };
  for (const place of places) {
    for (let i = 0; i < place.n; i++) {
      serial++;
      // Birth dates 1992–2009 (ages 16–34); with the sequence part they make a unique ID number. The exact
      // members of a full-scale grid come first and are born 1999 or later (League age, at most 28).
      const exactMember = place.members !== null && i < place.members;
      const span = 18 * 365;
      let day = exactMember ? 7 * 365 + 2 + Math.floor(rand.next() * 11 * 365) : Math.floor(rand.next() * span);
      while (used.has(`${day}:${serial % 1000}`))
        day = exactMember ? 7 * 365 + 2 + ((day + 1) % (11 * 365)) : (day + 1) % span;
      used.add(`${day}:${serial % 1000}`);
      const birth = new Date(Date.UTC(1992, 0, 1) + day * 86_400_000);
      const ymd = birth.toISOString().slice(0, 10);
      const first17 = `330621${ymd.replaceAll('-', '')}${String(serial % 1000).padStart(3, '0')}`;
      const idNumber = first17 + idCheckChar(first17);
      const phone = `139${String(10_000_000 + serial).slice(-8)}`;
      const age = 2026 - birth.getUTCFullYear();
      const member = place.members !== null ? exactMember : age <= 28 && rand.next() < 0.4;
      batch.push({
        name: chineseName(rand),
        gender: Number(first17[16]) % 2 === 1 ? 'male' : 'female',
        birthDate: ymd,
        phoneEnc: pii ? pii.encrypt(phone) : null,
        phoneIdx: pii ? pii.blindIndex('phone', phone) : null,
        idEnc: pii ? pii.encrypt(idNumber) : null,
        idIdx: pii ? pii.blindIndex('idNumber', idNumber) : null,
        politicalStatus: member ? 'league_member' : rand.next() < 0.06 ? 'party_member' : 'masses',
        category: PERSON_CATEGORIES[Math.floor(rand.next() * (PERSON_CATEGORIES.length - 1))] as PersonCategory,
        skills: [],
        homeGridId: place.gridId,
        branchOrgId: place.branchOrgId,
        backbone: rand.next() < 0.05,
        reserveBackbone: rand.next() < 0.05,
        source: 'import',
        status: 'registered',
        consentVersion: CONSENT_VERSION,
        consentAt,
        consentChannel: 'paper',
        guardianConsent: null,
        registrationTokenId: null,
      });
      if (batch.length >= 1000) await flush();
    }
  }
  await flush();
  return total;
}
