import { z } from 'zod';

/**
 * 图形验证码 — asked for on public forms after repeated attempts (server/modules/captcha). The answer is
 * a few characters drawn as distorted strokes; it is typed case-insensitively and used once.
 */

/** Seconds a challenge may be answered after it was drawn. */
export const CAPTCHA_TTL_SECONDS = 300;
/** Characters of an answer: digits and capitals that cannot be taken for one another (no 0/O, 1/I). */
export const CAPTCHA_ALPHABET = '2345679ACEFHKMNPRTXY';
export const CAPTCHA_LENGTH = 5;

/** What the form sends back: the challenge id and the characters the person read. */
export const CaptchaAnswerSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/),
    text: z.string().trim().min(1).max(10),
  })
  .strict()
  .describe('The captcha the form showed (GET /api/public/captcha) and its answer');
export type CaptchaAnswer = z.infer<typeof CaptchaAnswerSchema>;

export const CaptchaSchema = z.object({
  id: z.string(),
  /** data:image/svg+xml;base64,… — strokes only, the answer is never text in the image */
  image: z.string(),
  expiresInSeconds: z.number().int(),
});

/** The answer as compared: upper case, no spaces, full-width characters folded. */
export function normaliseCaptchaText(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toUpperCase();
}

/** Problem codes that mean "show the captcha (again)". */
export const CAPTCHA_CODES = ['CAPTCHA_REQUIRED', 'CAPTCHA_INVALID'] as const;
