import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Safe headers for every file the API hands out as a download (issue 11: "served with safe headers").
 * Every download gets `nosniff` and a `sandbox` CSP (were it opened inline anyway, it has no origin and no
 * scripts). Uploaded files (routes with `config.uploadedContent`, e.g. notice attachments) carry the media type
 * the uploader claimed: a type a browser would run or render as a document (HTML, SVG, XML, JavaScript …) is
 * served as application/octet-stream, so it can never execute as a same-origin script or page. Files the server
 * generates itself (QR codes as SVG, spreadsheets) keep their type.
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
    if (reply.request.routeOptions.config.uploadedContent && isActiveContentType(type)) {
      reply.header('content-type', 'application/octet-stream');
    }
    reply.header('x-content-type-options', 'nosniff');
    reply.header('content-security-policy', "sandbox; default-src 'none'; frame-ancestors 'none'");
    return payload;
  });
});
