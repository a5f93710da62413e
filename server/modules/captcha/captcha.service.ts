import crypto from 'node:crypto';
import { CAPTCHA_TTL_SECONDS, type CaptchaAnswer, normaliseCaptchaText } from '../../../domain/captcha.ts';
import type { ErrorCode } from '../../../domain/messages.ts';
import type { Database } from '../../db/client.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { drawCaptcha, randomCaptchaText } from './captcha.image.ts';
import { bumpAttempts, insertChallenge, takeChallenge } from './captcha.repository.ts';

/**
 * 图形验证码 for public forms, shared by every module (registrations, public orders …). State lives in the
 * database, not in memory, because several app servers answer behind one proxy:
 * - `captcha_challenges`: the answer's keyed hash (HMAC-SM3 with the signing key, PiiCipher.sign), 5
 *   minutes, used once — taken by a DELETE, so a second use or a guess after a wrong answer finds nothing;
 * - `attempt_counters`: attempts per scope and fixed window. A form names its scopes (per IP and
 *   target, per target as a whole …) and {@link requireCaptchaIfNeeded} counts one attempt in each with
 *   ONE upsert; only when a count is over its threshold is a captcha asked for and checked (a second query).
 *
 * Env (read on each call): JINGWEI_CAPTCHA_AFTER (attempts per IP and QR code in 10 minutes before a
 * captcha is asked for, default 5), JINGWEI_CAPTCHA_TOKEN_PER_MINUTE (registrations through one QR code
 * in a minute before everybody is asked, default 300), JINGWEI_QR_TOKEN_PER_MINUTE (registrations through
 * one code in a minute before it answers 429, default 1200), JINGWEI_CAPTCHA_ORDER_IP_AFTER and
 * JINGWEI_CAPTCHA_ORDER_PHONE_AFTER (public orders per IP / per phone in 10 minutes, default 20 / 8: a
 * service point's shared network places many; a phone's SMS code already locks after 5 wrong tries).
 */

/** One counter a form checks. */
export type AttemptRule = {
  /** e.g. `qr:<token id>:ip:<ip>`, `order:phone:<blind index>`; at most 200 characters */
  scope: string;
  windowSeconds: number;
  /** attempts in the window after which a captcha is required (the n+1-th attempt needs one) */
  captchaAfter: number;
  /** attempts in the window after which the form is refused whatever the captcha (hard rate limit) */
  limit?: number;
  /** the code of that refusal (default RATE_LIMITED) */
  limitCode?: ErrorCode;
};

const envNumber = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};

/** The configured thresholds (see the module comment). */
export function captchaSettings() {
  return {
    captchaAfter: envNumber('JINGWEI_CAPTCHA_AFTER', 5),
    tokenCaptchaPerMinute: envNumber('JINGWEI_CAPTCHA_TOKEN_PER_MINUTE', 300),
    tokenLimitPerMinute: envNumber('JINGWEI_QR_TOKEN_PER_MINUTE', 1200),
    orderIpAfter: envNumber('JINGWEI_CAPTCHA_ORDER_IP_AFTER', 20),
    orderPhoneAfter: envNumber('JINGWEI_CAPTCHA_ORDER_PHONE_AFTER', 8),
  };
}

const answerHash = (pii: PiiCipher, id: string, text: string) =>
  pii.sign(`captcha:${id}:${normaliseCaptchaText(text)}`);

/** Draws a new challenge and stores its answer's hash. `text` is for tests only: routes never send it. */
export async function issueCaptcha(database: Database, pii: PiiCipher) {
  const id = crypto.randomBytes(16).toString('base64url');
  const text = randomCaptchaText();
  await insertChallenge(database.db, id, answerHash(pii, id, text), CAPTCHA_TTL_SECONDS);
  const image = `data:image/svg+xml;base64,${Buffer.from(drawCaptcha(text)).toString('base64')}`;
  return { id, image, expiresInSeconds: CAPTCHA_TTL_SECONDS, text };
}

/**
 * Counts this attempt in every rule's scope and, when a count is over its threshold, demands a right
 * captcha: none → 429 CAPTCHA_REQUIRED, wrong / expired / used → 422 CAPTCHA_INVALID (both name the field
 * `captcha`; the page shows a new image). Over a hard `limit` → 429 (the rule's code). A captcha sent
 * while none is required is ignored (not used up). The common case is one upsert round trip.
 */
export async function requireCaptchaIfNeeded(
  database: Database,
  pii: PiiCipher,
  rules: AttemptRule[],
  answer: CaptchaAnswer | null | undefined,
): Promise<{ captchaChecked: boolean }> {
  const unique = [
    ...new Map(rules.map((r) => [r.scope.slice(0, 200), { ...r, scope: r.scope.slice(0, 200) }])).values(),
  ];
  if (!unique.length) return { captchaChecked: false };
  const counts = await bumpAttempts(
    database.db,
    unique.map((r) => ({ scope: r.scope, windowSeconds: r.windowSeconds })),
  );
  const countOf = (r: AttemptRule) => counts.get(r.scope) ?? 1;
  const over = unique.find((r) => r.limit !== undefined && countOf(r) > r.limit);
  if (over) throw new AppError(over.limitCode ?? 'RATE_LIMITED');
  if (!unique.some((r) => countOf(r) > r.captchaAfter)) return { captchaChecked: false };
  if (!answer) {
    throw new AppError('CAPTCHA_REQUIRED', { errors: [{ field: 'captcha', message: 'CAPTCHA_REQUIRED' }] });
  }
  const stored = await takeChallenge(database.db, answer.id);
  const given = Buffer.from(answerHash(pii, answer.id, answer.text));
  if (!stored || stored.length !== given.length || !crypto.timingSafeEqual(Buffer.from(stored), given)) {
    throw new AppError('CAPTCHA_INVALID', { errors: [{ field: 'captcha', message: 'CAPTCHA_INVALID' }] });
  }
  return { captchaChecked: true };
}
