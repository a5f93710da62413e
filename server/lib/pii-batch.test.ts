import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PiiCipher } from './crypto.ts';
import { PiiBatchCipher } from './pii-batch.ts';

/** The batch sealer (pii-batch.ts) chains SM4-CBC itself: it must give exactly what node:crypto's CBC gives. */
describe('PII batch sealing', () => {
  it('sealed values of every length open with PiiCipher.decrypt and with a plain sm4-cbc decipher', () => {
    const dataKey = crypto.randomBytes(32);
    const pii = new PiiCipher(dataKey, crypto.randomBytes(32));
    const encKey = Buffer.from(crypto.hkdfSync('sm3', dataKey, Buffer.alloc(0), 'jingwei sm4 enc', 16));
    const values = [
      '13812345678',
      '33062119940101001X',
      '张三丰',
      ...Array.from({ length: 81 }, (_, len) =>
        crypto
          .randomBytes(len)
          .toString('latin1')
          .replace(/[^\x20-\x7e]/g, 'a'),
      ),
      ...Array.from({ length: 200 }, () => crypto.randomBytes(crypto.randomInt(0, 60)).toString('base64')),
    ];
    const sealed = pii.batch().encryptMany(values);
    expect(sealed).toHaveLength(values.length);
    sealed.forEach((s, i) => {
      expect(s.startsWith('v1.')).toBe(true);
      expect(pii.decrypt(s)).toBe(values[i]);
      // the same length as PiiCipher.encrypt, and a standard CBC underneath
      expect(s.length).toBe(pii.encrypt(values[i]).length);
      const raw = Buffer.from(s.slice(3), 'base64url');
      const body = raw.subarray(0, raw.length - 16);
      const d = crypto.createDecipheriv('sm4-cbc', encKey, body.subarray(0, 16));
      expect(Buffer.concat([d.update(body.subarray(16)), d.final()]).toString('utf8')).toBe(values[i]);
    });
  });

  it('blind indexes equal PiiCipher.blindIndex, also when built from the key material (a worker thread)', () => {
    const pii = new PiiCipher(crypto.randomBytes(32), crypto.randomBytes(32));
    const copy = new PiiBatchCipher(structuredClone(pii.batch().keyMaterial()));
    for (const v of ['13812345678', '33062119940101001X', '', '张三']) {
      expect(pii.batch().blindIndex('phone', v)).toBe(pii.blindIndex('phone', v));
      expect(copy.blindIndex('idNumber', v)).toBe(pii.blindIndex('idNumber', v));
    }
    expect(pii.decrypt(copy.encryptMany(['13812345678'])[0])).toBe('13812345678');
  });

  it('gives each value a fresh IV, and a tampered value does not open', () => {
    const pii = new PiiCipher(crypto.randomBytes(32), crypto.randomBytes(32));
    const [a, b] = pii.batch().encryptMany(['13812345678', '13812345678']);
    expect(a).not.toBe(b);
    expect(a.slice(3, 25)).not.toBe(b.slice(3, 25));
    const raw = Buffer.from(a.slice(3), 'base64url');
    raw[20] ^= 1;
    expect(() => pii.decrypt(`v1.${raw.toString('base64url')}`)).toThrow('tampered');
    expect(pii.batch().encryptMany([])).toEqual([]);
  });
});
