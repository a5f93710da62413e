import path from 'node:path';

/** Runtime configuration, read once from the environment (documented in README). */
export type Config = {
  port: number;
  host: string;
  /** Folder of the embedded database (PGlite) when no DATABASE_URL is set. */
  dataDir: string;
  databaseUrl: string | null;
  /** Production: the role owning the tables (migrations, restore); DATABASE_URL is then the narrower app role. */
  ownerDatabaseUrl: string | null;
  demoPassword: string;
  /** Minutes of inactivity after which a session ends. */
  idleTimeoutMinutes: number;
  /** Set the Secure flag on cookies (behind TLS). */
  secureCookies: boolean;
  logLevel: string;
  /** Folder with the built web console; served at / when present. */
  webDist: string | null;
  /** Login attempts per IP and minute. */
  loginRateLimit: number;
  /**
   * Whose X-Forwarded-* to believe (client IP for the audit log and every per-IP limit): false; the reverse
   * proxies' addresses or CIDRs (comma-separated; also `loopback`, `uniquelocal`), whose appended entry is then the
   * client; or true = every hop, the left-most entry — safe only if the proxy replaces the header (DAST, SECURITY.md).
   */
  trustProxy: boolean | string;
  /** How often the durable job queue looks for due jobs (ms); 0 = never (tests drive it by hand). */
  jobPollMs: number;
  /** Notice channels: an SMS gateway (HTTP, JSON) and a WeChat Work group robot; unset = development recorder. */
  smsGatewayUrl: string | null;
  smsGatewayToken: string | null;
  wecomWebhookKey: string | null;
  /** Audit rows are kept this many days (≥ 180, enforced by the database too); a daily job purges older ones. */
  auditRetentionDays: number;
  /**
   * Password profile (issue 11, docs/SECURITY.md): 'djbh' = 等保 level 3 (3 of 4 character classes, ≥ 8,
   * periodic change, TOTP for district and platform admins); 'modern' = ≥ 12 characters, not on the
   * common-password list, no forced change. Unset = 'standard' (letters + digits, ≥ 8: the base rule every
   * profile includes) for development and tests; a production install sets one of the two.
   */
  passwordProfile: 'djbh' | 'modern' | 'standard';
  /** 等保 profile: days after which a password must be changed. */
  passwordMaxAgeDays: number;
  /** Absolute session lifetime in hours, however active the session is. */
  sessionMaxHours: number;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.JINGWEI_DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || null,
    ownerDatabaseUrl: env.JINGWEI_OWNER_DATABASE_URL || null,
    demoPassword: env.JINGWEI_DEMO_PASSWORD ?? 'Jingwei2026',
    idleTimeoutMinutes: Number(env.JINGWEI_IDLE_TIMEOUT_MINUTES ?? 30),
    secureCookies: env.JINGWEI_SECURE_COOKIES === 'true',
    logLevel: env.LOG_LEVEL ?? 'info',
    webDist: path.resolve(env.JINGWEI_WEB_DIST ?? './web/dist'),
    loginRateLimit: Number(env.JINGWEI_LOGIN_RATE_LIMIT ?? 30),
    trustProxy:
      !env.JINGWEI_TRUST_PROXY?.trim() || env.JINGWEI_TRUST_PROXY === 'false'
        ? false
        : env.JINGWEI_TRUST_PROXY === 'true' || env.JINGWEI_TRUST_PROXY.trim(),
    jobPollMs: Number(env.JINGWEI_JOB_POLL_MS ?? 1000),
    smsGatewayUrl: env.JINGWEI_SMS_GATEWAY_URL || null,
    smsGatewayToken: env.JINGWEI_SMS_GATEWAY_TOKEN || null,
    wecomWebhookKey: env.JINGWEI_WECOM_WEBHOOK_KEY || null,
    auditRetentionDays: Math.max(180, Number(env.JINGWEI_AUDIT_RETENTION_DAYS ?? 180) || 180),
    passwordProfile:
      env.JINGWEI_PASSWORD_PROFILE === 'djbh' || env.JINGWEI_PASSWORD_PROFILE === 'modern'
        ? env.JINGWEI_PASSWORD_PROFILE
        : 'standard',
    passwordMaxAgeDays: Number(env.JINGWEI_PASSWORD_MAX_AGE_DAYS ?? 90) || 90,
    sessionMaxHours: Number(env.JINGWEI_SESSION_MAX_HOURS ?? 12) || 12,
  };
}
