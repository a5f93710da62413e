import type { Problem } from '../../../domain/common.ts';
import { currentLang, i18n } from './i18n.ts';

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

  /** Field errors listed by the server, keyed by the API field name. */
  get fieldErrors(): { field: string; message: string }[] {
    return this.problem.errors ?? [];
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token handed out by login or /api/me; every write sends it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Listener = (error: ApiError) => void;
const sessionListeners = new Set<Listener>();

/** Called when the server says the session is gone or a password change is required. */
export function onSessionProblem(listener: Listener): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

export const SESSION_CODES = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED', 'PASSWORD_CHANGE_REQUIRED']);

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds "?a=1&b=2" from the defined, non-empty values. */
export function toSearch(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The answer of a GET that web/src/boot.ts sent before the console's scripts had loaded, if any (once). */
function takeEarly(url: string) {
  const early = window.__jingweiEarly;
  const taken = early?.[url];
  if (taken) delete early[url];
  return taken;
}

/** Calls the API with the UI language, the session cookie and (for writes) the CSRF token. */
export async function api<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options: { body?: unknown; query?: Query; silentSession?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    'accept-language': currentLang(),
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const url = `${path}${toSearch(options.query)}`;
  const started = method === 'GET' ? takeEarly(url) : undefined;
  let response: Response;
  try {
    // an early refusal may predate a login since: asked again, unless any answer will do
    const taken = started && (await started.response.catch(() => null));
    response =
      taken && (taken.ok || started.anyStatus)
        ? taken
        : await fetch(url, {
            method,
            headers,
            credentials: 'same-origin',
            body: options.body === undefined ? undefined : JSON.stringify(options.body),
          });
  } catch {
    throw new ApiError({ type: 'about:blank', title: i18n.t('error.network'), status: 0, code: 'NETWORK' });
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await response.json().catch(() => null) : null;
  if (response.ok) return payload as T;
  const problem = isProblem(payload)
    ? payload
    : {
        type: 'about:blank',
        title: i18n.t('error.http', { status: response.status }),
        status: response.status,
        code: 'HTTP_ERROR',
      };
  const error = new ApiError(problem);
  if (!options.silentSession && SESSION_CODES.has(error.code)) {
    for (const listener of sessionListeners) listener(error);
  }
  throw error;
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Problem).title === 'string' &&
    typeof (value as Problem).code === 'string'
  );
}

/** A paged list as the API answers it. */
export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };
