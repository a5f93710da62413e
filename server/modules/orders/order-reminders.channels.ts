import type { ReminderChannel } from '../../../domain/order-reminders.ts';
import type { Config } from '../../config.ts';
import { type DeliveryOutcome, SmsGatewayAdapter } from '../notices/channels.ts';

/**
 * Channels of the order reminders. The shape is the notices' channel abstraction (an adapter sends
 * one message to one account and answers sent/recorded, or throws); SMS reuses its gateway adapter
 * (the gateway of server/lib/sms.ts, which maps an account to its number), WeChat is a template
 * message of the district's Official Account (公众号模板消息). Without keys each channel is the
 * development adapter: it writes the message to the log and records the delivery.
 */

export type ReminderMessage = {
  deliveryId: number;
  channel: ReminderChannel;
  accountId: number;
  username: string;
  text: string;
  trackingNo: string;
};

export interface ReminderAdapter {
  readonly name: string;
  send(message: ReminderMessage): Promise<DeliveryOutcome>;
}

type Logger = { info(obj: unknown, msg?: string): void };

/** Development adapter: logs the message (like the development SMS sender) and keeps the last ones. */
export class DevLogReminderAdapter implements ReminderAdapter {
  readonly name = 'dev';
  readonly sent: ReminderMessage[] = [];
  constructor(private readonly log?: Logger) {}
  async send(message: ReminderMessage): Promise<DeliveryOutcome> {
    this.sent.push(message);
    if (this.sent.length > 10_000) this.sent.splice(0, this.sent.length - 10_000);
    this.log?.info(
      { reminder: { channel: message.channel, to: message.username, text: message.text } },
      'development order reminder (not sent)',
    );
    return { status: 'recorded', detail: `dev:${message.channel}` };
  }
}

/** SMS through the district's gateway: the notices adapter (POST `{ accountId, username, text }`). */
export class SmsReminderAdapter implements ReminderAdapter {
  readonly name = 'sms-gateway';
  private readonly gateway: SmsGatewayAdapter;
  constructor(url: string, token: string | null) {
    this.gateway = new SmsGatewayAdapter(url, token);
  }
  send(m: ReminderMessage): Promise<DeliveryOutcome> {
    return this.gateway.send({
      deliveryId: m.deliveryId,
      channel: 'sms',
      accountId: m.accountId,
      username: m.username,
      text: m.text,
    });
  }
}

export type WechatKeys = {
  appId: string;
  appSecret: string;
  templateId: string;
  /** username → OpenID of the cadre's follow of the Official Account */
  openids: Record<string, string>;
};

/**
 * WeChat template message (公众号模板消息): an access token from appid + secret (cached until shortly
 * before it expires), then `message/template/send` to the cadre's OpenID with the template's
 * `first` / `keyword1` (tracking number) / `remark` fields. A cadre without a bound OpenID fails.
 */
export class WechatTemplateAdapter implements ReminderAdapter {
  readonly name = 'wechat-template';
  private token: { value: string; until: number } | null = null;
  constructor(
    private readonly keys: WechatKeys,
    private readonly base = 'https://api.weixin.qq.com/cgi-bin',
  ) {}

  private async accessToken(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const url = `${this.base}/token?grant_type=client_credential&appid=${encodeURIComponent(this.keys.appId)}&secret=${encodeURIComponent(this.keys.appSecret)}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      errcode?: number;
    };
    if (!res.ok || !body.access_token) throw new Error(`WeChat token: ${res.status} ${body.errcode ?? ''}`);
    this.token = { value: body.access_token, until: Date.now() + Math.max(60, (body.expires_in ?? 7200) - 300) * 1000 };
    return body.access_token;
  }

  async send(m: ReminderMessage): Promise<DeliveryOutcome> {
    const openid = this.keys.openids[m.username];
    if (!openid) throw new Error(`no WeChat OpenID bound for ${m.username}`);
    const res = await fetch(
      `${this.base}/message/template/send?access_token=${encodeURIComponent(await this.accessToken())}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          touser: openid,
          template_id: this.keys.templateId,
          data: {
            first: { value: m.text },
            keyword1: { value: m.trackingNo },
            remark: { value: '经纬平台 · 件件有回音' },
          },
        }),
        signal: AbortSignal.timeout(10_000),
      },
    );
    const body = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string; msgid?: number };
    if (body.errcode === 40001 || body.errcode === 42001) this.token = null; // token revoked or expired early
    if (!res.ok || body.errcode !== 0) throw new Error(`WeChat template: ${res.status} ${body.errcode} ${body.errmsg}`);
    return { status: 'sent', detail: `wechat-template:${body.msgid ?? 0}` };
  }
}

/**
 * WeChat keys from the environment: JINGWEI_WECHAT_APPID, JINGWEI_WECHAT_SECRET,
 * JINGWEI_WECHAT_TEMPLATE_ID and JINGWEI_WECHAT_OPENIDS (JSON `{ "username": "openid" }`); null
 * unless the first three are set. (*Deviation*: read here, not in config.ts, to keep that file untouched.)
 */
export function wechatKeysFromEnv(env: NodeJS.ProcessEnv = process.env): WechatKeys | null {
  const appId = env.JINGWEI_WECHAT_APPID?.trim();
  const appSecret = env.JINGWEI_WECHAT_SECRET?.trim();
  const templateId = env.JINGWEI_WECHAT_TEMPLATE_ID?.trim();
  if (!appId || !appSecret || !templateId) return null;
  let openids: Record<string, string> = {};
  try {
    const parsed = JSON.parse(env.JINGWEI_WECHAT_OPENIDS ?? '{}');
    if (parsed && typeof parsed === 'object') openids = parsed;
  } catch {
    openids = {};
  }
  return { appId, appSecret, templateId, openids };
}

export type ReminderChannelSet = Record<ReminderChannel, ReminderAdapter>;

/** The adapters the configuration names; a channel without keys uses the development adapter. */
export function reminderChannelsFromConfig(
  config: Config,
  dev: ReminderAdapter,
  env: NodeJS.ProcessEnv = process.env,
): ReminderChannelSet {
  const wechat = wechatKeysFromEnv(env);
  return {
    sms: config.smsGatewayUrl ? new SmsReminderAdapter(config.smsGatewayUrl, config.smsGatewayToken) : dev,
    wechat: wechat ? new WechatTemplateAdapter(wechat) : dev,
  };
}
