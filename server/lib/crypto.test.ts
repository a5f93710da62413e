import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPiiCipher, PiiCipher } from './crypto.ts';

const keyA = Buffer.alloc(16, 1);
const keyB = Buffer.alloc(32, 2);

describe('PII cipher (SM4 + HMAC-SM3)', () => {
  it('round-trips, uses a fresh IV each time and detects tampering', () => {
    const c = new PiiCipher(keyA, keyB);
    const a = c.encrypt('330102200001011234');
    const b = c.encrypt('330102200001011234');
    expect(a).not.toBe(b);
    expect(a.startsWith('v1.')).toBe(true);
    expect(a).not.toContain('330102');
    expect(c.decrypt(a)).toBe('330102200001011234');
    const raw = Buffer.from(a.slice(3), 'base64url');
    raw[20] ^= 1;
    expect(() => c.decrypt(`v1.${raw.toString('base64url')}`)).toThrow();
  });

  it('blind index is deterministic per key and separated by kind', () => {
    const c = new PiiCipher(keyA, keyB);
    expect(c.blindIndex('phone', '13812345678')).toBe(c.blindIndex('phone', '13812345678'));
    expect(c.blindIndex('phone', '13812345678')).not.toBe(c.blindIndex('idNumber', '13812345678'));
    expect(new PiiCipher(keyA, Buffer.alloc(32, 3)).blindIndex('phone', '13812345678')).not.toBe(
      c.blindIndex('phone', '13812345678'),
    );
    expect(c.verify('abc', c.sign('abc'))).toBe(true);
    expect(c.verify('abd', c.sign('abc'))).toBe(false);
  });

  it('reads keys from the environment, refuses half a configuration and production without keys', () => {
    const env = { JINGWEI_DATA_KEY: keyA.toString('hex'), JINGWEI_INDEX_KEY: keyB.toString('base64') };
    const c = loadPiiCipher(env, '/nonexistent');
    expect(c.blindIndex('phone', '1')).toBe(new PiiCipher(keyA, keyB).blindIndex('phone', '1'));
    expect(() => loadPiiCipher({ JINGWEI_DATA_KEY: env.JINGWEI_DATA_KEY }, '/nonexistent')).toThrow(/both/);
    expect(() => loadPiiCipher({ NODE_ENV: 'production' }, '/nonexistent')).toThrow(/required in production/);
    expect(() => loadPiiCipher({ JINGWEI_DATA_KEY: 'abcd', JINGWEI_INDEX_KEY: 'abcd' }, '/x')).toThrow(/16 bytes/);
  });

  it('makes development keys once under the data dir and warns', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jw-keys-'));
    const warnings: unknown[] = [];
    const first = loadPiiCipher({}, dir, { warn: (o) => warnings.push(o) });
    const second = loadPiiCipher({}, dir);
    expect(second.decrypt(first.encrypt('x'))).toBe('x');
    expect(warnings).toHaveLength(1);
    const file = path.join(dir, 'secrets', 'dev-keys.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
