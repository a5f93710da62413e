import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import {
  ERROR_MESSAGES,
  type ErrorCode,
  type FieldIssue,
  fieldIssueMessage,
  type Lang,
  pickLang,
} from '../../domain/messages.ts';
import { AppError, type FieldError, pgErrorOf } from '../lib/errors.ts';

/** Unique constraints whose violation means a user-facing conflict, not a bug. */
const CONSTRAINT_CODES: Record<string, ErrorCode> = {
  orgs_sibling_name_uq: 'DUPLICATE_NAME',
  accounts_username_uq: 'DUPLICATE_USERNAME',
  districts_code_unique: 'DUPLICATE_DISTRICT',
};

/** Sends an RFC 9457 problem in the request's language. */
export function sendProblem(
  reply: FastifyReply,
  lang: Lang,
  code: ErrorCode,
  extra: { detail?: string; errors?: FieldError[] } = {},
) {
  const status = ERROR_MESSAGES[code].status;
  return reply
    .code(status)
    .type('application/problem+json; charset=utf-8')
    .serializer(JSON.stringify)
    .send({
      type: `https://jingwei.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`,
      title: ERROR_MESSAGES[code][lang],
      status,
      code,
      ...(extra.detail ? { detail: extra.detail } : {}),
      ...(extra.errors?.length
        ? { errors: extra.errors.map((e) => ({ field: e.field, message: translateFieldMessage(e.message, lang) })) }
        : {}),
    });
}

function translateFieldMessage(message: string, lang: Lang): string {
  if (message in ERROR_MESSAGES) return ERROR_MESSAGES[message as ErrorCode][lang];
  if (message === 'required') return lang === 'en' ? 'Required' : '必填';
  if (message === 'invalid_character') return lang === 'en' ? 'Contains an invalid character' : '包含无效字符';
  return message;
}

/** U+0000 and unpaired surrogates: text PostgreSQL cannot store (22021, or 22P05 inside jsonb). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what this must find.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The dotted path of the first unstorable string in a parsed request part, if any (iterative: bodies nest deep). */
function unstorableField(root: unknown): string | null {
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return path;
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) stack.push([inner, path ? `${path}.${key}` : key]);
    }
  }
  return null;
}

export default fp(async (app: FastifyInstance) => {
  // Refuse text PostgreSQL cannot store as a field error, before it fails a query with a 500.
  app.addHook('preHandler', async (req) => {
    const field = unstorableField(req.params) ?? unstorableField(req.query) ?? unstorableField(req.body);
    if (field !== null)
      throw new AppError('VALIDATION', { errors: [{ field: field || 'body', message: 'invalid_character' }] });
  });
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const lang = pickLang(req.headers['accept-language']);
    if (err instanceof AppError) return sendProblem(reply, lang, err.code, err.details);
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = (err as any).validationContext as string | undefined;
      const errors = err.validation.flatMap((v) => {
        const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const issue = { code: v.keyword, message: v.message, ...(v.params as object) } as FieldIssue;
        const message = fieldIssueMessage(issue, lang);
        // An unknown field is blamed on itself, not on the object that holds it.
        if (issue.code === 'unrecognized_keys' && issue.keys?.length)
          return issue.keys.map((key) => ({ field: path ? `${path}.${key}` : key, message }));
        return [{ field: path || context || 'body', message }];
      });
      return sendProblem(reply, lang, 'VALIDATION', { errors });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: (err as any).cause?.issues }, 'response does not match its schema');
      return sendProblem(reply, lang, 'INTERNAL');
    }
    const pgError = pgErrorOf(err);
    if (pgError?.code === '23505' && pgError.constraint && CONSTRAINT_CODES[pgError.constraint]) {
      return sendProblem(reply, lang, CONSTRAINT_CODES[pgError.constraint]);
    }
    // An integer beyond the column's range (e.g. an id of 2^40) names a record that cannot exist.
    if (pgError?.code === '22003') return sendProblem(reply, lang, 'NOT_FOUND');
    if (err.statusCode === 413) return sendProblem(reply, lang, 'PAYLOAD_TOO_LARGE');
    if (err.statusCode === 429) return sendProblem(reply, lang, 'RATE_LIMITED');
    if (err.statusCode === 415) return sendProblem(reply, lang, 'UNSUPPORTED_MEDIA_TYPE');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Malformed JSON, wrong content type, empty body …: Fastify's own 4xx.
      return sendProblem(reply, lang, 'BAD_REQUEST', { detail: err.message });
    }
    req.log.error({ err }, 'unhandled error');
    return sendProblem(reply, lang, 'INTERNAL');
  });
});
