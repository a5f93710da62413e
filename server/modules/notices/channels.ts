import type { DeliveryChannel } from '../../../domain/notice.ts';
import type { Config } from '../../config.ts';

/** One message for one account on one channel. */
export type OutgoingMessage = {
  deliveryId: number;
  channel: DeliveryChannel;
  accountId: number | null;
  username: string | null;
  text: string;
};

export type DeliveryOutcome = { status: 'sent' | 'recorded'; detail: string };

/**
 * A channel adapter: SMS gateway, WeChat Work group robot, or the development recorder. Adapters
 * throw on failure; the outbox marks the delivery failed and keeps the error.
 */
export interface ChannelAdapter {
  readonly name: string;
  send(message: OutgoingMessage): Promise<DeliveryOutcome>;
}

/**
 * Development adapter: sends nothing, the delivery row itself is the record (status `recorded`).
 * Used when no production keys are configured, and by the tests.
 */
export class DevRecorderAdapter implements ChannelAdapter {
  readonly name = 'dev';
  readonly sent: OutgoingMessage[] = [];
  async send(message: OutgoingMessage): Promise<DeliveryOutcome> {
    this.sent.push(message);
    if (this.sent.length > 10000) this.sent.splice(0, this.sent.length - 10000);
    return { status: 'recorded', detail: `dev:${message.channel}` };
  }
}

/**
 * SMS through the district's gateway (JINGWEI_SMS_GATEWAY_URL, bearer JINGWEI_SMS_GATEWAY_TOKEN):
 * POST JSON `{ accountId, username, text }`. Cadre phone numbers are not in the accounts table, so the
 * gateway maps the account to its number.
 */
export class SmsGatewayAdapter implements ChannelAdapter {
  readonly name = 'sms-gateway';
  constructor(
    private readonly url: string,
    private readonly token: string | null,
  ) {}
  async send(message: OutgoingMessage): Promise<DeliveryOutcome> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ accountId: message.accountId, username: message.username, text: message.text }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    return { status: 'sent', detail: `sms-gateway:${res.status}` };
  }
}

/** WeChat Work group robot (企业微信群机器人), keyed by JINGWEI_WECOM_WEBHOOK_KEY. */
export class WecomWebhookAdapter implements ChannelAdapter {
  readonly name = 'wecom-webhook';
  constructor(
    private readonly key: string,
    private readonly base = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send',
  ) {}
  async send(message: OutgoingMessage): Promise<DeliveryOutcome> {
    const res = await fetch(`${this.base}?key=${encodeURIComponent(this.key)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ msgtype: 'text', text: { content: message.text } }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
    if (!res.ok || body.errcode !== 0) throw new Error(`WeCom webhook: ${res.status} ${body.errcode} ${body.errmsg}`);
    return { status: 'sent', detail: 'wecom-webhook:0' };
  }
}

export type ChannelSet = Record<DeliveryChannel, ChannelAdapter>;

/** The adapters the configuration names; channels without keys use the development recorder. */
export function channelsFromConfig(config: Config, dev = new DevRecorderAdapter()): ChannelSet {
  return {
    in_app: dev,
    sms: config.smsGatewayUrl ? new SmsGatewayAdapter(config.smsGatewayUrl, config.smsGatewayToken) : dev,
    wecom: config.wecomWebhookKey ? new WecomWebhookAdapter(config.wecomWebhookKey) : dev,
  };
}
