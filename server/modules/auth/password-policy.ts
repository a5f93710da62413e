import { COMMON_PASSWORDS } from './common-passwords.ts';

/**
 * The two password profiles of issue 11, chosen by JINGWEI_PASSWORD_PROFILE (server/config.ts):
 *
 * - `djbh` — GB/T 22239-2019 level 3 (等保三级) as assessors read it: at least 8 characters from at
 *   least three of the four classes (upper, lower, digit, symbol), changed periodically (90 days by
 *   default, JINGWEI_PASSWORD_MAX_AGE_DAYS) and a second factor (TOTP) for district and platform admins.
 * - `modern` — NIST SP 800-63B: at least 12 characters, refused when on a list of common passwords,
 *   no composition rules beyond the base rule, no forced periodic change.
 * - `standard` (unset) — only the base rule every profile includes (`PasswordSchema`: ≥ 8, letters + digits).
 *
 * Every profile refuses a password that contains the username.
 */
export type PasswordProfile = 'djbh' | 'modern' | 'standard';

export function passwordClasses(password: string): number {
  return [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** Normalised for the common-password check: lower case, trailing digits/symbols kept (they are in the list). */
function isCommon(password: string): boolean {
  const p = password.toLowerCase();
  if (COMMON_PASSWORDS.has(p)) return true;
  // The list's words with digits or symbols appended ("password2026", "woaini1314520").
  const stem = p.replace(/[0-9!@#$%^&*.]+$/, '');
  return stem.length >= 4 && stem !== p && COMMON_PASSWORDS.has(stem);
}

/** Issue codes (messages in domain/messages.ts) of a new password under a profile; empty when it is accepted. */
export function passwordIssues(profile: PasswordProfile, password: string, username?: string): string[] {
  const issues: string[] = [];
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) {
    issues.push('password.username');
  }
  if (profile === 'djbh') {
    if (password.length < 8) issues.push('password.djbhLength');
    if (passwordClasses(password) < 3) issues.push('password.djbhClasses');
  }
  if (profile === 'modern') {
    if ([...password].length < 12) issues.push('password.modernLength');
    if (isCommon(password)) issues.push('password.common');
  }
  return issues;
}

/** Whether the profile forces a change of a password this many days old. */
export function passwordExpired(profile: PasswordProfile, maxAgeDays: number, changedAt: Date, now = new Date()) {
  return profile === 'djbh' && now.getTime() - changedAt.getTime() > maxAgeDays * 24 * 3600 * 1000;
}

/** Roles that must use a second factor under the 等保 profile. */
export const TOTP_ROLES = new Set(['platform_admin', 'district_admin']);

export function totpRequired(profile: PasswordProfile, role: string): boolean {
  return profile === 'djbh' && TOTP_ROLES.has(role);
}
