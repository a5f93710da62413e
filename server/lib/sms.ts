import type { Config } from '../config.ts';

/**
 * Text messages to a phone number (verification codes to residents). Notices send to accounts
 * through their own channel adapters (modules/notices/channels.ts); both use the same gateway keys.
 */
export interface SmsSender {
  readonly name: string;
  /** Sends `text` to a normalised mainland mobile number; throws when the provider refuses. */
  send(phone: string, text: string, meta?: { code?: string }): Promise<void>;
}

type Logger = { info(obj: unknown, msg?: string): void };

/** The last code sent per phone by the development sender of this process (tests read it). */
const devCodes = new Map<string, string>();

/** The code the development sender last "sent" to `phone` in this process (tests and local use). */
export function lastDevSmsCode(phone: string): string | undefined {
  return devCodes.get(phone);
}

/**
 * Development sender: writes the message to the server log and keeps the last code per phone in
 * memory. Used when JINGWEI_SMS_GATEWAY_URL is not set.
 */
export class DevSmsSender implements SmsSender {
  readonly name = 'dev';
  constructor(private readonly log?: Logger) {}
  async send(phone: string, text: string, meta?: { code?: string }): Promise<void> {
    if (meta?.code) devCodes.set(phone, meta.code);
    if (devCodes.size > 10_000) devCodes.delete(devCodes.keys().next().value!);
    this.log?.info({ sms: { phone, text } }, 'development SMS (not sent)');
  }
}

/**
 * The district's SMS gateway (JINGWEI_SMS_GATEWAY_URL, bearer JINGWEI_SMS_GATEWAY_TOKEN): POST JSON
 * `{ phone, text }`. The same gateway takes `{ accountId, username, text }` from notices.
 */
export class HttpSmsSender implements SmsSender {
  readonly name = 'sms-gateway';
  constructor(
    private readonly url: string,
    private readonly token: string | null,
  ) {}
  async send(phone: string, text: string): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ phone, text }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
  }
}

/** The sender the configuration names: the gateway when its URL is set, else the development sender. */
export function smsSenderFromConfig(config: Config, log?: Logger): SmsSender {
  return config.smsGatewayUrl ? new HttpSmsSender(config.smsGatewayUrl, config.smsGatewayToken) : new DevSmsSender(log);
}
