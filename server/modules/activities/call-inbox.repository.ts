import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { INBOX_LINK_DAYS, INBOX_LINK_RENEW_DAYS } from '../../../domain/activity-more.ts';
import type { Executor } from '../../db/sql.ts';
import { iso, many, one } from '../../db/sql.ts';
import { callRecipientRuleOfCall } from './teams.repository.ts';

/**
 * SQL of the youth's call inbox (我的召集令): personal links, the calls a person receives (the same
 * recipient rule as the count when the call is published: teams.repository.ts callRecipientRule) and
 * the SMS per call and recipient. *Seam*: reads `people` like the rest of the figures and calls.
 */

// ── personal links ───────────────────────────────────────────────────────────────────────────

/** The person's live link with more than the renewal margin left, else a new one. Returns its id. */
export async function ensureInboxLink(ex: Executor, districtId: number, personId: number): Promise<string> {
  const live = await one<{ id: string }>(
    ex,
    sql`SELECT id FROM youth_inbox_links
        WHERE person_id = ${personId} AND revoked_at IS NULL
          AND expires_at > now() + make_interval(days => ${INBOX_LINK_RENEW_DAYS})
        ORDER BY expires_at DESC LIMIT 1`,
  );
  if (live) return live.id;
  const id = crypto.randomBytes(16).toString('base64url');
  await ex.execute(sql`INSERT INTO youth_inbox_links (id, district_id, person_id, expires_at)
    VALUES (${id}, ${districtId}, ${personId}, now() + make_interval(days => ${INBOX_LINK_DAYS}))`);
  return id;
}

export async function findInboxLink(ex: Executor, id: string) {
  const r = await one<any>(
    ex,
    sql`SELECT l.id, l.district_id, l.person_id, l.expires_at, l.revoked_at, (l.expires_at <= now()) AS expired,
               p.name, (p.status = 'registered' AND p.withdrawn_at IS NULL) AS person_active
        FROM youth_inbox_links l JOIN people p ON p.id = l.person_id
        WHERE l.id = ${id}`,
  );
  if (!r) return undefined;
  return {
    id: r.id as string,
    districtId: Number(r.district_id),
    personId: Number(r.person_id),
    name: r.name as string,
    expiresAt: iso(r.expires_at),
    revoked: r.revoked_at !== null,
    expired: r.expired === true,
    personActive: r.person_active === true,
  };
}

// ── the inbox ────────────────────────────────────────────────────────────────────────────────

/** Calls the person receives whose activity is still taking sign-ups, newest first. */
export async function callsForPerson(ex: Executor, personId: number) {
  const rows = await many<any>(
    ex,
    sql`SELECT c.id, c.title, c.message, c.created_at, o.name AS org_name, a.id AS activity_id,
               a.title AS activity_title, a.venue, a.starts_at, a.ends_at, a.signup_closes_at,
               greatest(a.capacity - a.admitted_count, 0)::int AS places_left,
               EXISTS (SELECT 1 FROM activity_signups s WHERE s.activity_id = a.id AND s.person_id = p.id
                         AND s.status <> 'cancelled') AS signed_up
        FROM people p
        JOIN activity_calls c ON ${callRecipientRuleOfCall('p', 'c')}
        JOIN activities a ON a.id = c.activity_id
        JOIN orgs o ON o.id = c.org_id
        WHERE p.id = ${personId} AND a.status = 'open' AND a.signup_closes_at > now()
        ORDER BY c.created_at DESC, c.id DESC LIMIT 50`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    title: r.title as string,
    message: r.message as string,
    orgName: r.org_name as string,
    createdAt: iso(r.created_at),
    activity: {
      id: Number(r.activity_id),
      title: r.activity_title as string,
      venue: r.venue as string,
      startsAt: iso(r.starts_at),
      endsAt: iso(r.ends_at),
      signupClosesAt: iso(r.signup_closes_at),
      placesLeft: Number(r.places_left),
    },
    signedUp: r.signed_up === true,
  }));
}

// ── the SMS per call and recipient ───────────────────────────────────────────────────────────

export async function findCallForNotice(ex: Executor, callId: number) {
  return one<{ id: number; district_id: number; title: string; org_name: string; activity_status: string }>(
    ex,
    sql`SELECT c.id, c.district_id, c.title, o.name AS org_name, a.status AS activity_status
        FROM activity_calls c JOIN orgs o ON o.id = c.org_id JOIN activities a ON a.id = c.activity_id
        WHERE c.id = ${callId}`,
  );
}

/** Recipients of a call not told yet (by the shared rule), with their phone ciphertext. */
export async function untoldRecipients(ex: Executor, callId: number) {
  return many<{ id: number; district_id: number; phone_enc: string | null }>(
    ex,
    sql`SELECT p.id, p.district_id, p.phone_enc
        FROM activity_calls c JOIN people p ON ${callRecipientRuleOfCall('p', 'c')}
        WHERE c.id = ${callId}
          AND NOT EXISTS (SELECT 1 FROM activity_call_notices n WHERE n.call_id = c.id AND n.person_id = p.id)
        ORDER BY p.id`,
  );
}

/** Claims the notice of one recipient; false when it exists already (never texted twice). */
export async function claimNotice(
  ex: Executor,
  v: { districtId: number; callId: number; personId: number; status: string },
) {
  const rows = await many(
    ex,
    sql`INSERT INTO activity_call_notices (district_id, call_id, person_id, status)
        VALUES (${v.districtId}, ${v.callId}, ${v.personId}, ${v.status})
        ON CONFLICT (call_id, person_id) DO NOTHING RETURNING id`,
  );
  return rows.length === 1;
}

export async function finishNotice(ex: Executor, callId: number, personId: number, status: string, detail: string) {
  await ex.execute(sql`UPDATE activity_call_notices SET status = ${status}, detail = ${detail.slice(0, 500)}
    WHERE call_id = ${callId} AND person_id = ${personId}`);
}
