import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PiiBatchCipher } from './pii-batch.ts';

/**
 * Protection of personal identifiers (GB/T 39786, PIPL): ID and mobile numbers are stored only as
 * SM4 ciphertext and found through an HMAC-SM3 blind index, both from node:crypto (OpenSSL 3).
 *
 * Keys:
 * - JINGWEI_DATA_KEY: 16+ bytes (32+ hex characters or base64) from which the SM4 key and the
 *   ciphertext MAC key are derived (HKDF-SM3).
 * - JINGWEI_INDEX_KEY: 16+ bytes (hex or base64); keys the blind index and signs QR tokens.
 * Without them (development and the embedded mode) random keys are made once and kept in
 * `<data dir>/secrets/dev-keys.json`, with a warning in the log. With NODE_ENV=production both are
 * required. Losing the keys loses the encrypted identifiers: back them up beside the database.
 */

const VERSION = 'v1';
const MAC_LENGTH = 16;

export type BlindIndexKind = 'phone' | 'idNumber';

export class PiiCipher {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;
  private readonly indexKey: Buffer;
  private readonly signKey: Buffer;

  constructor(dataKey: Buffer, indexKey: Buffer) {
    if (dataKey.length < 16 || indexKey.length < 16) throw new Error('PII keys must be at least 16 bytes');
    this.encKey = Buffer.from(crypto.hkdfSync('sm3', dataKey, Buffer.alloc(0), 'jingwei sm4 enc', 16));
    this.macKey = Buffer.from(crypto.hkdfSync('sm3', dataKey, Buffer.alloc(0), 'jingwei sm4 mac', 32));
    this.indexKey = Buffer.from(crypto.hkdfSync('sm3', indexKey, Buffer.alloc(0), 'jingwei blind index', 32));
    this.signKey = Buffer.from(crypto.hkdfSync('sm3', indexKey, Buffer.alloc(0), 'jingwei token sign', 32));
  }

  /**
   * SM4-CBC with a random IV, then HMAC-SM3 over version, IV and ciphertext (encrypt-then-MAC: this
   * OpenSSL has no SM4-GCM). Output: `v1.<base64url(iv | ciphertext | mac16)>`.
   */
  encrypt(plain: string): string {
    const iv = crypto.randomBytes(16);
    const cipher = crypto.createCipheriv('sm4-cbc', this.encKey, iv);
    const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([body, this.mac(body)]).toString('base64url')}`;
  }

  decrypt(sealed: string): string {
    const [version, payload] = sealed.split('.');
    if (version !== VERSION || !payload) throw new Error('unknown ciphertext version');
    const raw = Buffer.from(payload, 'base64url');
    const body = raw.subarray(0, raw.length - MAC_LENGTH);
    const tag = raw.subarray(raw.length - MAC_LENGTH);
    if (body.length < 32 || !crypto.timingSafeEqual(tag, this.mac(body))) throw new Error('ciphertext tampered');
    const decipher = crypto.createDecipheriv('sm4-cbc', this.encKey, body.subarray(0, 16));
    return Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]).toString('utf8');
  }

  /** HMAC-SM3 of a normalised identifier, separated by kind: equal values give equal indexes. */
  blindIndex(kind: BlindIndexKind, normalised: string): string {
    return crypto.createHmac('sm3', this.indexKey).update(`${kind}:${normalised}`).digest('hex');
  }

  /** HMAC-SM3 signature (16 bytes, base64url) for tokens handed out publicly (QR codes). */
  sign(value: string): string {
    return crypto.createHmac('sm3', this.signKey).update(value).digest().subarray(0, 16).toString('base64url');
  }

  /** Constant-time check of a signature made by {@link sign}. */
  verify(value: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(value));
    const given = Buffer.from(signature);
    return expected.length === given.length && crypto.timingSafeEqual(expected, given);
  }

  /** The same sealing and indexing for many values at once (bulk writes such as the ledger import; pii-batch.ts). */
  batch(): PiiBatchCipher {
    return new PiiBatchCipher({ encKey: this.encKey, macKey: this.macKey, indexKey: this.indexKey });
  }

  private mac(body: Buffer): Buffer {
    return crypto.createHmac('sm3', this.macKey).update(VERSION).update(body).digest().subarray(0, MAC_LENGTH);
  }
}

/** Parses a key given as hex (even length, hex digits only) or base64. */
export function parseKey(value: string, name: string): Buffer {
  const v = value.trim();
  const key = /^(?:[0-9a-fA-F]{2})+$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64');
  if (key.length < 16) throw new Error(`${name} must hold at least 16 bytes (32 hex characters)`);
  return key;
}

type Logger = { warn(obj: unknown, msg?: string): void };

/**
 * The keys from the environment, or the development keys kept under the data dir (made on first
 * use). Refuses to run in production without real keys.
 */
export function loadPiiCipher(env: NodeJS.ProcessEnv, dataDir: string, log?: Logger): PiiCipher {
  const dataKey = env.JINGWEI_DATA_KEY;
  const indexKey = env.JINGWEI_INDEX_KEY;
  if (dataKey && indexKey) {
    return new PiiCipher(parseKey(dataKey, 'JINGWEI_DATA_KEY'), parseKey(indexKey, 'JINGWEI_INDEX_KEY'));
  }
  if (dataKey || indexKey) throw new Error('Set both JINGWEI_DATA_KEY and JINGWEI_INDEX_KEY, or neither');
  if (env.NODE_ENV === 'production') {
    throw new Error('JINGWEI_DATA_KEY and JINGWEI_INDEX_KEY are required in production (see README)');
  }
  const file = path.join(dataDir, 'secrets', 'dev-keys.json');
  const keys = readOrCreateDevKeys(file);
  log?.warn(
    { file },
    'JINGWEI_DATA_KEY / JINGWEI_INDEX_KEY not set: personal identifiers are encrypted with DEVELOPMENT keys kept in this file. Set real keys in production.',
  );
  return new PiiCipher(Buffer.from(keys.dataKey, 'hex'), Buffer.from(keys.indexKey, 'hex'));
}

function readOrCreateDevKeys(file: string): { dataKey: string; indexKey: string } {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err: any) {
    if (err?.code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const keys = { dataKey: crypto.randomBytes(32).toString('hex'), indexKey: crypto.randomBytes(32).toString('hex') };
  try {
    // 'wx': when two servers start at once, the first file wins and the other reads it.
    fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600, flag: 'wx' });
    return keys;
  } catch (err: any) {
    if (err?.code === 'EEXIST') return JSON.parse(fs.readFileSync(file, 'utf8'));
    throw err;
  }
}

const cache = new Map<string, PiiCipher>();

/**
 * The process's cipher, made on first use (so apps that never touch personal data create no key
 * file). Keyed by data dir and key values, so tests with different settings get their own.
 */
export function piiCipherFor(dataDir: string, log?: Logger, env: NodeJS.ProcessEnv = process.env): PiiCipher {
  const key = `${dataDir}\u0000${env.JINGWEI_DATA_KEY ?? ''}\u0000${env.JINGWEI_INDEX_KEY ?? ''}`;
  let cipher = cache.get(key);
  if (!cipher) {
    cipher = loadPiiCipher(env, dataDir, log);
    cache.set(key, cipher);
  }
  return cipher;
}

/** Fails at start-up instead of at the first registration when production runs without keys. */
export function assertPiiKeysConfigured(env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === 'production' && !(env.JINGWEI_DATA_KEY && env.JINGWEI_INDEX_KEY)) {
    throw new Error('JINGWEI_DATA_KEY and JINGWEI_INDEX_KEY are required in production (see README)');
  }
}
