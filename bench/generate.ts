/**
 * Deterministic benchmark data at three sizes, loaded with COPY:
 *
 *   district  1 district  (Keqiao scale: 20 towns, ~380 orgs, 1,217 grids, 138,723 youth of whom ~45k members)
 *   city      10 districts of that size (1.39 M youth, 12,170 grids)
 *   province  90 districts, 111,111 youth each (10.0 M youth, 109,530 grids, 34,290 orgs)
 *
 *   npm run bench -- generate --size district|city|province [--db postgresql] [--seed 2026]
 *
 * On PostgreSQL it creates (replacing) the database `jw_gen_<size>` next to TEST_DATABASE_URL, migrates it and
 * streams every table with `COPY … FROM STDIN` (pg-copy-streams); the other benchmarks reuse it
 * (`bench/tree.ts --size province`). On PGlite (district size) it runs in process and COPYs from blobs.
 * Triggers are off during the load (session_replication_role = replica) and the people indexes are built after
 * it; the roll-up counters are then recounted once with jw_rollup_rebuild() — the same function a restore uses.
 *
 * Identifiers: every person has a unique, valid ID number and mobile number; their blind indexes are the real
 * HMAC-SM3 (PiiCipher.blindIndex) of those values, so de-duplication and lookups behave as in production. The
 * ciphertexts are real PiiCipher.encrypt output; at district size each is the person's own, at city and province
 * size (20 M encryptions would take longer than the load) they are drawn from 4,096 ciphertexts encrypted once,
 * i.e. synthetic ciphertext: decrypting one shows a pool number, not the person's. The key is fixed by the seed.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { from as copyFrom } from 'pg-copy-streams';
import { idCheckChar } from '../domain/identity.ts';
import { CONSENT_VERSION, PERSON_CATEGORIES } from '../domain/person.ts';
import { Database } from '../server/db/client.ts';
import { PiiCipher } from '../server/lib/crypto.ts';
import { pinyinKeys } from '../server/lib/pinyin.ts';
import { hashPassword } from '../server/modules/auth/password.ts';
import { chineseName, seededRandom } from '../server/seed/demo.ts';

export const SIZES = {
  district: { districts: 1, youthPerDistrict: 138_723 },
  city: { districts: 10, youthPerDistrict: 138_723 },
  province: { districts: 90, youthPerDistrict: 111_111 },
} as const;
export type Size = keyof typeof SIZES;

export const TOWNS_PER_DISTRICT = 20;
export const VILLAGES_PER_TOWN = 18;
export const GRIDS_PER_DISTRICT = 1217;
export const BENCH_PASSWORD = 'Bench2026pass';

/** The cipher of the generated data: keys derived from the seed, so a run is reproducible. */
export function benchCipher(seed: number): PiiCipher {
  const k = (label: string) => crypto.createHash('sha256').update(`${label}:${seed}`).digest();
  return new PiiCipher(k('data'), k('index'));
}

export type GenerateResult = {
  size: Size;
  districts: number;
  orgs: number;
  grids: number;
  people: number;
  members: number;
  accounts: number;
  seconds: Record<string, number>;
};

/** Text-format COPY field. Our generated values hold no tab, newline or backslash except where escaped here. */
const f = (v: string | number | boolean | null) =>
  v === null
    ? '\\N'
    : typeof v === 'string'
      ? v.replace(/[\\\t\n]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\\\'))
      : String(v);
const line = (values: (string | number | boolean | null)[]) => `${values.map(f).join('\t')}\n`;

type Copier = (table: string, columns: string[], rows: AsyncIterable<string> | Iterable<string>) => Promise<void>;

function copierFor(database: Database, client: any): Copier {
  if (database.pglite) {
    return async (table, columns, rows) => {
      let chunk: string[] = [];
      let size = 0;
      const flush = async () => {
        if (!chunk.length) return;
        await database.pglite!.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], {
          blob: new Blob(chunk),
        });
        chunk = [];
        size = 0;
      };
      for await (const r of rows as AsyncIterable<string>) {
        chunk.push(r);
        size += r.length;
        if (size > 8_000_000) await flush();
      }
      await flush();
    };
  }
  return async (table, columns, rows) => {
    const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
    // Batch lines into ~256 KB chunks so the stream is not dominated by per-line overhead.
    async function* batched() {
      let buf = '';
      for await (const r of rows as AsyncIterable<string>) {
        buf += r;
        if (buf.length > 262_144) {
          yield buf;
          buf = '';
        }
      }
      if (buf) yield buf;
    }
    await pipeline(Readable.from(batched()), stream);
  };
}

/** Loads the data set into an empty, migrated database. */
export async function generate(
  database: Database,
  size: Size,
  seed = 2026,
  log = console.log,
): Promise<GenerateResult> {
  const spec = SIZES[size];
  const rand = seededRandom(seed);
  const pii = benchCipher(seed);
  const seconds: Record<string, number> = {};
  let t0 = performance.now();
  const lap = (name: string) => {
    seconds[name] = +((performance.now() - t0) / 1000).toFixed(1);
    t0 = performance.now();
    log(`  ${name}: ${seconds[name]} s`);
  };
  const [{ n: existing }] = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM districts');
  if (existing > 0) throw new Error('generate needs an empty database');

  const run = async (client: any) => {
    const q = (text: string) => (client ? client.query(text) : database.query(text));
    const copy = copierFor(database, client);
    await q('SET session_replication_role = replica');
    // Build the people indexes after the load (faster than maintaining them row by row).
    const peopleIndexes = await database.query<{ name: string; def: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'people' AND indexname <> 'people_pkey'`,
    );
    for (const i of peopleIndexes) await q(`DROP INDEX ${i.name}`);

    // ── districts, orgs, grids, accounts (small: built in memory) ──────────────────────────────────────
    const districtLines: string[] = [];
    const orgLines: string[] = [];
    const gridLines: string[] = [];
    const accountLines: string[] = [];
    type Place = { districtId: number; gridId: number | null; orgId: number };
    const places: Place[][] = []; // per district
    let orgId = 0;
    let gridId = 0;
    let accountId = 0;
    const pinyinCache = new Map<string, { full: string; initials: string }>();
    const keys = (name: string) => {
      const base = name.replace(/\d+/g, '');
      const k = pinyinCache.get(base) ?? pinyinKeys(base);
      pinyinCache.set(base, k);
      return k;
    };
    const addOrg = (
      districtId: number,
      parent: { id: number; path: string; depth: number } | null,
      kind: string,
      name: string,
    ) => {
      orgId++;
      const path = `${parent?.path ?? '/'}${orgId}/`;
      const k = keys(name);
      orgLines.push(
        line([
          orgId,
          districtId,
          parent?.id ?? null,
          kind,
          name,
          true,
          path,
          parent ? parent.depth + 1 : 0,
          k.full,
          k.initials,
        ]),
      );
      return { id: orgId, path, depth: parent ? parent.depth + 1 : 0 };
    };
    const passwordHash = await hashPassword(BENCH_PASSWORD);
    const addAccount = (districtId: number, org: number, username: string, role: string) => {
      accountId++;
      accountLines.push(line([accountId, districtId, org, username, chineseName(rand), role, passwordHash, false]));
    };
    for (let d = 1; d <= spec.districts; d++) {
      districtLines.push(line([d, String(340000 + d), spec.districts === 1 ? '柯桥区' : `基准区${d}`]));
      const root = addOrg(d, null, 'district_committee', `共青团基准区${d}委员会`);
      addAccount(d, root.id, `d${d}_admin`, 'district_admin');
      const villages: { id: number; grids: number }[] = [];
      for (let t = 1; t <= TOWNS_PER_DISTRICT; t++) {
        const town = addOrg(
          d,
          root,
          t === TOWNS_PER_DISTRICT ? 'devzone_committee' : 'town_committee',
          `基准${t}镇团委`,
        );
        addAccount(d, town.id, `d${d}_t${t}`, 'org_admin');
        for (let v = 1; v <= VILLAGES_PER_TOWN; v++) {
          const community = v % 3 === 0;
          const village = addOrg(
            d,
            town,
            community ? 'community_branch' : 'village_branch',
            `${v}${community ? '社区团总支' : '村团总支'}`,
          );
          villages.push({ id: village.id, grids: 0 });
        }
      }
      // 1,217 grids over the villages (round robin), a few villages left without grids (people on their branch).
      const withGrids = villages.slice(0, villages.length - 20);
      for (let g = 0; g < GRIDS_PER_DISTRICT; g++) withGrids[g % withGrids.length].grids++;
      const ps: Place[] = [];
      for (const v of villages) {
        if (!v.grids) ps.push({ districtId: d, gridId: null, orgId: v.id });
        for (let i = 0; i < v.grids; i++) {
          gridId++;
          gridLines.push(line([gridId, d, `G${d}-${gridId}`, `第${gridId}网格`, 'village', v.id, '["wechat"]']));
          ps.push({ districtId: d, gridId, orgId: v.id });
        }
      }
      places.push(ps);
    }
    await copy('districts', ['id', 'code', 'name'], districtLines);
    await copy(
      'orgs',
      [
        'id',
        'district_id',
        'parent_id',
        'kind',
        'name',
        'hierarchical',
        'path',
        'depth',
        'name_pinyin',
        'name_initials',
      ],
      orgLines,
    );
    await copy(
      'accounts',
      ['id', 'district_id', 'org_id', 'username', 'display_name', 'role', 'password_hash', 'must_change_password'],
      accountLines,
    );
    await copy('grids', ['id', 'district_id', 'code', 'name', 'kind', 'org_id', 'channels'], gridLines);
    lap('orgs, grids, accounts');

    // ── people (streamed) ──────────────────────────────────────────────────────────────────────────────
    const pool = size === 'district' ? null : Array.from({ length: 4096 }, (_, i) => pii.encrypt(`pool-${i}`));
    const consentAt = '2026-01-01T08:00:00+08:00';
    let people = 0;
    let members = 0;
    const gridCounts = new Map<number, { youth: number; members: number }>();
    const categories = PERSON_CATEGORIES.slice(0, -1);
    function* peopleLines() {
      let serial = 0;
      for (const ps of places) {
        for (let i = 0; i < spec.youthPerDistrict; i++) {
          serial++;
          // Weighted to grids: 97 % in grids, the rest on a village branch without grids.
          const place = ps[Math.floor(rand.next() * ps.length)];
          // A unique (birth day, sequence) per person in the district: day spread over 1992–2009, sequence 0–999.
          const day = (i * 7919) % (18 * 365);
          const seqPart = Math.floor(i / (18 * 365)) % 1000;
          const birth = new Date(Date.UTC(1992, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
          const first17 =
            `${330000 + place.districtId}`.slice(0, 6) + birth.replaceAll('-', '') + String(seqPart).padStart(3, '0');
          const idNumber = first17 + idCheckChar(first17);
          const phone = `1${String(3_000_000_000 + serial * 7).slice(-10)}`;
          const age = 2026 - Number(birth.slice(0, 4));
          const member = age <= 28 && rand.next() < 0.45;
          people++;
          if (member) members++;
          if (place.gridId) {
            const c = gridCounts.get(place.gridId) ?? { youth: 0, members: 0 };
            c.youth++;
            if (member) c.members++;
            gridCounts.set(place.gridId, c);
          }
          const enc = (v: string) => (pool ? pool[serial % pool.length] : pii.encrypt(v));
          yield line([
            place.districtId,
            chineseName(rand),
            Number(first17[16]) % 2 === 1 ? 'male' : 'female',
            birth,
            enc(phone),
            pii.blindIndex('phone', phone),
            enc(idNumber),
            pii.blindIndex('idNumber', idNumber),
            member ? 'league_member' : rand.next() < 0.06 ? 'party_member' : 'masses',
            categories[Math.floor(rand.next() * categories.length)],
            place.gridId,
            place.gridId ? null : place.orgId,
            'import',
            'registered',
            CONSENT_VERSION,
            consentAt,
            'paper',
          ]);
          if (people % 1_000_000 === 0) log(`  … ${people.toLocaleString('en')} people`);
        }
      }
    }
    await copy(
      'people',
      [
        'district_id',
        'name',
        'gender',
        'birth_date',
        'phone_enc',
        'phone_idx',
        'id_enc',
        'id_idx',
        'political_status',
        'category',
        'home_grid_id',
        'branch_org_id',
        'source',
        'status',
        'consent_version',
        'consent_at',
        'consent_channel',
      ],
      (async function* () {
        yield* peopleLines();
      })(),
    );
    lap('people COPY');
    for (const i of peopleIndexes) await q(i.def);
    lap('people indexes');
    // Grid figures as a ledger would have them (capacity and the dashboard read them).
    const updates = [...gridCounts.entries()];
    for (let i = 0; i < updates.length; i += 20_000) {
      const part = updates.slice(i, i + 20_000);
      await q(
        `UPDATE grids g SET youth_count = v.y, member_count = v.m FROM (VALUES ${part.map(([id, c]) => `(${id}, ${c.youth}, ${c.members})`).join(',')}) AS v(id, y, m) WHERE g.id = v.id`,
      );
    }
    for (const [table, col] of [
      ['districts', 'id'],
      ['orgs', 'id'],
      ['grids', 'id'],
      ['accounts', 'id'],
      ['people', 'id'],
    ]) {
      await q(`SELECT setval(pg_get_serial_sequence('${table}', '${col}'), (SELECT max(${col}) FROM ${table}))`);
    }
    await q('SET session_replication_role = origin');
    await q('SELECT jw_rollup_rebuild()');
    lap('roll-up rebuild');
    await q('ANALYZE');
    lap('analyze');
    return { people, members, orgs: orgId, grids: gridId, accounts: accountId };
  };

  let counts: Awaited<ReturnType<typeof run>>;
  if (database.pool) {
    const client = await database.pool.connect();
    try {
      counts = await run(client);
    } finally {
      client.release();
    }
  } else {
    counts = await run(null);
  }
  return { size, districts: spec.districts, ...counts, seconds };
}

/** The PostgreSQL database holding a generated size (created by `generate --db postgresql`). */
export function generatedUrl(size: Size): string {
  const u = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  u.pathname = `/jw_gen_${size}`;
  return u.toString();
}

/** Opens the generated database of a size, generating it first when it does not exist (PostgreSQL). */
export async function openGenerated(size: Size, seed = 2026): Promise<Database> {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = await Database.open({ kind: 'postgresql', url: adminUrl, poolSize: 1 });
  try {
    const [{ n }] = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [
      `jw_gen_${size}`,
    ]);
    if (n === 0) {
      await admin.query(`CREATE DATABASE jw_gen_${size}`);
      const database = await Database.open({ kind: 'postgresql', url: generatedUrl(size) });
      await database.migrate();
      await generate(database, size, seed);
      return database;
    }
  } finally {
    await admin.close();
  }
  const database = await Database.open({ kind: 'postgresql', url: generatedUrl(size) });
  await database.migrate();
  return database;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'pglite' },
      size: { type: 'string', default: 'district' },
      seed: { type: 'string', default: '2026' },
    },
  });
  const size = values.size as Size;
  if (!SIZES[size]) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const { writeResult } = await import('./_lib.ts');
  const started = performance.now();
  let database: Database;
  if (values.db === 'postgresql') {
    const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const admin = await Database.open({ kind: 'postgresql', url: adminUrl, poolSize: 1 });
    await admin.query(`DROP DATABASE IF EXISTS jw_gen_${size} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE jw_gen_${size}`);
    await admin.close();
    database = await Database.open({ kind: 'postgresql', url: generatedUrl(size) });
  } else {
    if (size !== 'district')
      throw new Error('PGlite takes the district size; use --db postgresql for city and province');
    database = await Database.open({ kind: 'pglite' });
  }
  await database.migrate();
  console.log(`generating ${size} (seed ${values.seed}) on ${values.db}…`);
  const result = await generate(database, size, Number(values.seed));
  const [{ bytes }] = await database.query<{ bytes: string }>(
    'SELECT pg_database_size(current_database())::text AS bytes',
  );
  await database.close();
  writeResult(`generate-${size}`, values.db!, {
    ...result,
    totalSeconds: +((performance.now() - started) / 1000).toFixed(1),
    databaseMB: Math.round(Number(bytes) / 1e6),
    loadAverage: (await import('node:os')).loadavg().map((l) => +l.toFixed(2)),
  });
}
