import { sql } from 'drizzle-orm';
import type { Role } from '../../domain/account.ts';
import type { OrgKind } from '../../domain/org.ts';
import { isHierarchicalKind } from '../../domain/org.ts';
import keqiao from '../../domain/reference/assessment-keqiao-2013.json' with { type: 'json' };
import type { Database } from '../db/client.ts';
import type { PiiCipher } from '../lib/crypto.ts';
import { pinyinKeys } from '../lib/pinyin.ts';
import { insertAccount } from '../modules/accounts/accounts.repository.ts';
import { hashPassword } from '../modules/auth/password.ts';
import { createDistrictWithRoot } from '../modules/districts/districts.service.ts';
import { insertOrg, type OrgRow } from '../modules/orgs/orgs.repository.ts';
import { seedDemoActivityData } from './demo-activity-data.ts';
import { seedDemoGrids } from './demo-grids.ts';
import { seedDemoPeople } from './demo-people.ts';
import { seedDemoVenues } from './demo-venues.ts';

/** Small deterministic PRNG (mulberry32): the same seed gives the same demo district. */
export function seededRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = '建国伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华飞玲丹萍鑫波斌宇浩凯晨晓雯婷佳琪思远志鹏俊';
const PLACE = '梅湖塘山溪桥江华兴安福平新金沙石竹柳凤龙杨双联合永丰盛前后东西南北上下里园港庄林峰泉岭秋霞云家宅坂埠头';

export function chineseName(rand: ReturnType<typeof seededRandom>): string {
  const given = rand.next() < 0.4 ? rand.pick([...GIVEN]) : rand.pick([...GIVEN]) + rand.pick([...GIVEN]);
  return rand.pick([...SURNAMES]) + given;
}

export type DemoSummary = {
  districtId: number;
  orgs: number;
  accounts: { username: string; role: Role; org: string }[];
};

/** Name of the League committee of a town, street or the development zone. */
function townCommitteeName(town: string): { name: string; kind: OrgKind } {
  if (town.endsWith('开发区')) return { name: `${town}团工委`, kind: 'devzone_committee' };
  if (town.endsWith('街道')) return { name: `${town}团工委`, kind: 'town_committee' };
  return { name: `${town}团委`, kind: 'town_committee' };
}

/**
 * Seeds the demo district modelled on Keqiao (柯桥, the former 绍兴县): the 20 towns, streets and the
 * development zone of the report, villages and communities under them, a few non-hierarchical orgs,
 * an alliance, and cadre accounts. Deterministic for a given seed.
 */
export async function seedDemo(
  database: Database,
  password: string,
  seed = 2013,
  pii: PiiCipher | null = null,
): Promise<DemoSummary> {
  const rand = seededRandom(seed);
  const passwordHash = await hashPassword(password);
  const summary = await database.db.transaction(async (tx) => {
    const { districtId, root } = await createDistrictWithRoot(tx, null, '330603', '柯桥区');
    let orgCount = 1;
    const accounts: DemoSummary['accounts'] = [];
    const addAccount = async (username: string, role: Role, org: OrgRow, displayName = chineseName(rand)) => {
      await insertAccount(tx, {
        districtId,
        orgId: org.id,
        username,
        displayName,
        role,
        passwordHash,
        mustChangePassword: false,
      });
      accounts.push({ username, role, org: org.name });
    };
    const add = async (parent: OrgRow, kind: OrgKind, name: string) => {
      orgCount++;
      return insertOrg(tx, {
        districtId,
        parent,
        kind,
        name,
        hierarchical: isHierarchicalKind(kind),
        secretaryName: isHierarchicalKind(kind) ? chineseName(rand) : null,
      });
    };
    await addAccount('admin', 'district_admin', root, '王建国');

    const towns: OrgRow[] = [];
    const usedPlaces = new Set<string>();
    const placeName = () => {
      for (;;) {
        const name = rand.pick([...PLACE]) + rand.pick([...PLACE]);
        if (name[0] !== name[1] && !usedPlaces.has(name)) {
          usedPlaces.add(name);
          return name;
        }
      }
    };
    for (const town of keqiao.published_totals.towns) {
      const committee = townCommitteeName(town);
      const townOrg = await add(root, committee.kind, committee.name);
      towns.push(townOrg);
      await addAccount(pinyinKeys(town).initials, 'org_admin', townOrg);
      const isStreet = town.endsWith('街道');
      const communities = isStreet ? rand.int(6, 12) : committee.kind === 'devzone_committee' ? 3 : rand.int(1, 3);
      const villages = isStreet ? rand.int(4, 9) : committee.kind === 'devzone_committee' ? 4 : rand.int(12, 22);
      for (let i = 0; i < communities; i++) await add(townOrg, 'community_branch', `${placeName()}社区团总支`);
      for (let i = 0; i < villages; i++) {
        const village = await add(townOrg, 'village_branch', `${placeName()}村团总支`);
        if (town === '柯桥街道' && i === 0) await addAccount('kqjd.wg1', 'grid_leader', village);
      }
    }
    const byName = (part: string) => towns.find((t) => t.name.startsWith(part))!;
    const industry = await add(root, 'industry_committee', '柯桥区快递物流行业团委');
    await add(root, 'industry_committee', '柯桥区电子商务行业团委');
    await add(byName('柯桥街道'), 'business_district_committee', '中国轻纺城商圈团委');
    await add(byName('柯桥开发区'), 'joint_committee', '柯桥开发区企业联合团委');
    await add(byName('华舍街道'), 'two_new_committee', '华舍街道两新组织团委');
    await add(root, 'youth_social_org', '柯桥区青年志愿者协会');
    await add(byName('柯岩街道'), 'youth_club', '柯岩青年户外俱乐部');
    await add(root, 'partner_unit', '柯桥区人民医院团委');
    const alliance = await add(root, 'alliance', '柯北团建联盟');
    for (const member of [byName('安昌镇'), byName('马鞍镇'), byName('齐贤镇'), industry]) {
      await tx.execute(
        sql`INSERT INTO alliance_members (alliance_id, org_id, district_id) VALUES (${alliance.id}, ${member.id}, ${districtId})`,
      );
    }
    // Grids: 3 per village of one town by default (fast start); Keqiao's 1,217 with JINGWEI_DEMO_SCALE=full.
    const scale = process.env.JINGWEI_DEMO_SCALE === 'full' ? 'full' : 'small';
    await seedDemoGrids(tx, { districtId, scale, passwordHash, seed });
    // Youth (青年库) in every grid and in the villages without grids; at full scale exactly the grids' counts.
    await seedDemoPeople(tx, districtId, rand, pii, scale);
    // Venues (阵地): a dozen across the towns, for the map and booking.
    await seedDemoVenues(tx, districtId, towns);
    // A year of use: activities, service teams, calls, service orders and notices, dated relative to now.
    await seedDemoActivityData(tx, districtId, { seed, scale, withPhones: pii !== null });
    await tx.execute(sql`INSERT INTO system_state (key, value) VALUES ('demo_seeded', ${JSON.stringify({ seed, districtId })}::jsonb)
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`);
    return { districtId, orgs: orgCount, accounts };
  });
  // Fresh statistics for the planner: PGlite runs no autovacuum, and without them it plans the registry's
  // joins for one row (a list of 20 people took 12 s on the small demo instead of 0.3 s).
  await database.db.execute(sql`ANALYZE`);
  return summary;
}
