/** Rows of the TOTP second factor (issue 11): any logged-in account may enrol its own authenticator. */
import { generate } from 'otplib';
import { ANY_SESSION, type RouteRule } from './common.ts';

/** A fixed secret planted as every account's pending enrolment, so the request can carry a valid code. */
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export const authRules: Record<string, RouteRule> = {
  'POST /api/auth/totp/setup': { request: () => ({ url: '/api/auth/totp/setup' }), expect: ANY_SESSION },
  'POST /api/auth/totp/enable': {
    request: async (t) => {
      // Pending (not enabled) for everyone: logins of the matrix's accounts stay password-only, and the
      // previous cell's enrolment is undone so each cell starts alike.
      await t.database.query('UPDATE accounts SET totp_secret = $1, totp_enabled_at = NULL, totp_last_step = NULL', [
        t.pii.encrypt(SECRET),
      ]);
      return { url: '/api/auth/totp/enable', payload: { code: await generate({ secret: SECRET }) } };
    },
    expect: ANY_SESSION,
  },
};
