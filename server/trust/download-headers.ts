import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Safe headers for every file the API hands out as a download (issue 11: "served with safe headers").
 * Uploaded files (notice attachments) carry the media type the uploader claimed; a type a browser would
 * run or render as a document (HTML, SVG, XML, JavaScript …) is served as application/octet-stream, so that
 * with `nosniff` it can never execute as a same-origin script or page, and every download gets a
 * `sandbox` CSP (were it opened inline anyway, it has no origin and no scripts).
 */
const ACTIVE =
  /^(text\/(html|xml|javascript|ecmascript|xsl)|application\/(xhtml\+xml|xml|javascript|ecmascript|x-javascript|json\+ld)|image\/svg\+xml|multipart\/|application\/x-shockwave-flash)/i;

export function isActiveContentType(type: string): boolean {
  return ACTIVE.test(type.trim()) || /\+xml\b/i.test(type);
}

export const downloadHeaders = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', async (_req, reply, payload) => {
    const disposition = reply.getHeader('content-disposition');
    if (typeof disposition !== 'string' || !/^\s*attachment/i.test(disposition)) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (isActiveContentType(type)) reply.header('content-type', 'application/octet-stream');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', "sandbox; default-src 'none'; frame-ancestors 'none'");
    return payload;
  });
});
