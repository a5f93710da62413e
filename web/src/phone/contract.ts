/**
 * The registration contract's constants (domain/person.ts) as the phone entry uses them. Importing them from
 * domain/person.ts would bundle zod and every person schema (~32 KB gzip, measured) into the page, because
 * the module builds its schemas at load time; so they are repeated here, and tsc fails when they drift:
 * each one must have exactly the domain's type (same literals, same order).
 */
import type { CAPTCHA_CODES as DOMAIN_CAPTCHA_CODES } from '../../../domain/captcha.ts';
import type {
  CONSENT_VERSION as DOMAIN_CONSENT_VERSION,
  GENDERS as DOMAIN_GENDERS,
  PERSON_CATEGORIES as DOMAIN_PERSON_CATEGORIES,
  POLITICAL_STATUSES as DOMAIN_POLITICAL_STATUSES,
  YOUTH_MIN_AGE as DOMAIN_YOUTH_MIN_AGE,
} from '../../../domain/person.ts';

/** Fails to compile unless A and B are the same type. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? A : never) : never;
const same =
  <D>() =>
  <V>(value: V & Same<V, D>): V =>
    value;

export const GENDERS = same<typeof DOMAIN_GENDERS>()(['male', 'female'] as const);
export const POLITICAL_STATUSES = same<typeof DOMAIN_POLITICAL_STATUSES>()([
  'league_member',
  'party_member',
  'masses',
] as const);
export const PERSON_CATEGORIES = same<typeof DOMAIN_PERSON_CATEGORIES>()([
  'urban',
  'white_collar',
  'agricultural',
  'migrant_worker',
  'student',
  'village_official',
  'other',
] as const);
export const YOUTH_MIN_AGE = same<typeof DOMAIN_YOUTH_MIN_AGE>()(14 as const);
export const CONSENT_VERSION = same<typeof DOMAIN_CONSENT_VERSION>()('2026-01' as const);
/** Problem codes that mean "show the captcha (again)" (domain/captcha.ts). */
export const CAPTCHA_CODES = same<typeof DOMAIN_CAPTCHA_CODES>()(['CAPTCHA_REQUIRED', 'CAPTCHA_INVALID'] as const);
