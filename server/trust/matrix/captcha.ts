/**
 * The captcha module (server/modules/captcha) has one route, public by decision: a phone page asks for a
 * new image after a form answered CAPTCHA_REQUIRED. It carries no personal data and is rate-limited per
 * IP; the answer is kept only as a keyed hash.
 */
export const CAPTCHA_PUBLIC_ROUTES = ['GET /api/public/captcha'] as const;
