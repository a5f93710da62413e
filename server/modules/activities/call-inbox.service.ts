import { maskName } from '../../../domain/activity.ts';
import { callSmsText, type Inbox } from '../../../domain/activity-more.ts';
import type { Database } from '../../db/client.ts';
import type { Executor } from '../../db/sql.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import type { PiiCipher } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import type { SmsSender } from '../../lib/sms.ts';
import { liveActivityToken } from '../registrations/registrations.service.ts';
import * as repo from './call-inbox.repository.ts';

/**
 * 我的召集令 the youth's call inbox: "recipients in the platform see it". A youth has no account; he
 * is identified by a **personal link** — `<base>/y/<random id>.<HMAC-SM3 signature>` naming a
 * `youth_inbox_links` row (revocable, 90 days) — which reaches him by SMS (server/lib/sms.ts) when a
 * call he receives is published. Nothing guessable: the id is 128 random bits and the signature is
 * checked before any query; the person's database id never appears. The page lists the open calls
 * whose filter he matches, by the same rule that counted the recipients (teams.repository.ts).
 */

export const CALL_NOTICE_JOB = 'activity.call.notice';
type NoticePayload = { callId: number; baseUrl: string };

/** Signed string of a link id; `inbox:` keeps it apart from QR tokens signed with the same key. */
export const inboxToken = (pii: PiiCipher, id: string) => `${id}.${pii.sign(`inbox:${id}`)}`;
export const inboxUrl = (baseUrl: string, token: string) => `${baseUrl.replace(/\/+$/, '')}/y/${token}`;

/** Schedules the SMS to a new call's recipients; call inside the transaction that creates the call. */
export async function enqueueCallNotices(tx: Executor, callId: number, baseUrl: string): Promise<void> {
  await enqueueJob(tx, CALL_NOTICE_JOB, { callId, baseUrl } satisfies NoticePayload, new Date());
}

/**
 * The job: tells every recipient not told yet (a row per call and person, unique — a retried or
 * doubled job texts nobody twice) with his personal link. A send that fails is recorded as failed,
 * not retried (the youth still sees the call through the next link he gets).
 */
export async function runCallNoticeJob(
  ex: Executor,
  pii: PiiCipher,
  sms: SmsSender,
  payload: NoticePayload,
): Promise<number> {
  const call = await repo.findCallForNotice(ex, payload.callId);
  if (call?.activity_status !== 'open') return 0;
  let told = 0;
  for (const p of await repo.untoldRecipients(ex, call.id)) {
    const base = { districtId: p.district_id, callId: call.id, personId: p.id };
    if (!p.phone_enc) {
      await repo.claimNotice(ex, { ...base, status: 'no_phone' });
      continue;
    }
    if (!(await repo.claimNotice(ex, { ...base, status: 'failed' }))) continue;
    const token = inboxToken(pii, await repo.ensureInboxLink(ex, p.district_id, p.id));
    try {
      const phone = pii.decrypt(p.phone_enc);
      // meta.code: the development sender keeps the last "code" per phone — here the link token
      await sms.send(phone, callSmsText(call.org_name, call.title, inboxUrl(payload.baseUrl, token)), { code: token });
      await repo.finishNotice(ex, call.id, p.id, sms.name === 'dev' ? 'recorded' : 'sent', sms.name);
      told++;
    } catch (err) {
      await repo.finishNotice(ex, call.id, p.id, 'failed', String((err as Error)?.message ?? err));
    }
  }
  return told;
}

/** Checks a personal link: signature first (a forged one costs no query), then existence, expiry, the person. */
async function resolveLink(database: Database, pii: PiiCipher, token: string) {
  const [id, signature, extra] = token.split('.');
  if (!id || !signature || extra !== undefined || !pii.verify(`inbox:${id}`, signature)) {
    throw new AppError('INBOX_LINK_INVALID');
  }
  const link = await repo.findInboxLink(database.db, id);
  if (!link) throw new AppError('INBOX_LINK_INVALID');
  if (link.revoked || link.expired || !link.personActive) throw new AppError('INBOX_LINK_EXPIRED');
  return link;
}

/** The phone page: the open calls he receives, with the sign-up link of each (the activity's code + call). */
export async function getInbox(database: Database, pii: PiiCipher, token: string, baseUrl: string): Promise<Inbox> {
  const link = await resolveLink(database, pii, token);
  const calls = await repo.callsForPerson(database.db, link.personId);
  const items = [];
  for (const c of calls) {
    const live = await liveActivityToken(database.db, pii, c.activity.id, baseUrl);
    items.push({ ...c, signupUrl: live ? `${live.url}?call=${c.id}` : null });
  }
  return { name: maskName(link.name), expiresAt: link.expiresAt, items };
}
