/**
 * The phone pages' API client: the console's web/src/lib/api.ts without i18next or sessions (these pages have no
 * login, so no CSRF token and no session listeners). Errors are the server's problem+json, in the page's language.
 */
import type { Problem } from '../../../domain/common.ts';
import { CAPTCHA_CODES } from './contract.ts';
import { lang, t } from './i18n.ts';

/** An error answered by the API (application/problem+json), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }

  /** Field errors listed by the server, keyed by the API field name ("idNumber", "body.guardianConsent.relation" …). */
  get fieldErrors(): { field: string; message: string }[] {
    return this.problem.errors ?? [];
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).title === 'string' &&
    typeof (value as Problem).code === 'string'
  );
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'accept-language': lang,
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ type: 'about:blank', title: t('error.network'), status: 0, code: 'NETWORK' });
  }
  const type = response.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await response.json().catch(() => null) : null;
  if (response.ok) return payload as T;
  throw new ApiError(
    isProblem(payload)
      ? payload
      : {
          type: 'about:blank',
          title: t('error.http', { status: response.status }),
          status: response.status,
          code: 'HTTP_ERROR',
        },
  );
}

/** Whether an API error asks the page to show (a new) captcha. */
export function isCaptchaProblem(error: unknown): boolean {
  return error instanceof ApiError && (CAPTCHA_CODES as readonly string[]).includes(error.code);
}

/** Field errors of an API error by the page's field name; `rename` maps API names to the page's. */
export function fieldErrorsOf(error: unknown, rename: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const { field, message } of error.fieldErrors) {
    const parts = field.replace(/^(body|query|params)[./]/, '').split(/[./]/);
    const name =
      parts[0] === 'guardianConsent'
        ? parts[1] === 'relation'
          ? 'guardianRelation'
          : 'guardianName'
        : (rename[parts[0]] ?? parts[0]);
    out[name] = out[name] ? `${out[name]}${lang === 'en' ? '; ' : '；'}${message}` : message;
  }
  return out;
}
