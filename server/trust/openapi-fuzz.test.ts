/** The fuzz bridge itself: what it calls valid is valid, what it calls invalid is not. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalize, type Schema, schemaCompiler, valueArb } from './openapi-fuzz.ts';

const doc = {
  paths: {},
  components: {
    schemas: {
      Node: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
        },
        required: ['id', 'children'],
        additionalProperties: false,
      },
    },
  },
};

const SCHEMAS: Record<string, Schema> = {
  account: {
    type: 'object',
    properties: {
      username: { type: 'string', minLength: 3, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' },
      password: {
        type: 'string',
        minLength: 8,
        maxLength: 128,
        allOf: [
          { type: 'string', pattern: '[A-Za-z]' },
          { type: 'string', pattern: '[0-9]' },
        ],
      },
      orgId: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 2147483647 },
      role: { type: 'string', enum: ['youth', 'org_admin'] },
      note: { nullable: true, type: 'string', maxLength: 5 },
      code: { type: 'string', pattern: '^\\d{6}$' },
      at: { type: 'string', format: 'date-time' },
      ids: { type: 'array', items: { type: 'integer', minimum: 1 }, maxItems: 3 },
    },
    required: ['username', 'password', 'orgId', 'role'],
    additionalProperties: false,
  },
  tree: { type: 'object', properties: { roots: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } },
};

describe('openapi-fuzz bridge', () => {
  it.each(Object.keys(SCHEMAS))('valid values of %s satisfy the schema', (name) => {
    const validate = schemaCompiler(doc)(SCHEMAS[name]);
    fc.assert(
      fc.property(valueArb(SCHEMAS[name], doc), (value) => {
        expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('normalizes OpenAPI 3.0 nullable and boolean exclusive bounds', () => {
    const validate = schemaCompiler(doc)(SCHEMAS.account);
    const ok = { username: 'abc', password: 'abcdefg1', orgId: 1, role: 'youth', note: null };
    expect(validate(ok)).toBe(true);
    expect(validate({ ...ok, orgId: 0 })).toBe(false);
    expect(validate({ ...ok, note: 'toolong' })).toBe(false);
    expect(validate({ ...ok, extra: 1 })).toBe(false);
    expect(normalize({ type: 'string', nullable: true })).toEqual({ anyOf: [{ type: 'string' }, { type: 'null' }] });
  });
});
