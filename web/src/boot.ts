/**
 * The console's first requests, sent before its scripts have loaded (issue 10: the dashboard's figures waited for
 * ~300 KB of script, then the session, then the layout's first render). The build makes this file a tiny script
 * of its own that index.html runs while the console's modules load (vite.config.ts, `earlyRequests`); main.tsx
 * imports it too, for the dev server (in the build it finds them already sent). lib/api.ts hands each answer to
 * the first `api('GET', path)` of that URL. A script, not a module: no imports.
 */
interface Window {
  /** Answers of the early requests by path, until taken (lib/api.ts) or 20 s have passed. */
  __jingweiEarly?: Record<string, { response: Promise<Response>; anyStatus: boolean }>;
}

(() => {
  if (window.__jingweiEarly) return;
  const early: NonNullable<Window['__jingweiEarly']> = {};
  window.__jingweiEarly = early;
  const stored = (key: string) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  };
  // the UI language as lib/i18n.ts starts with it (its storage key), so the answer is the one api() would get
  const lang = stored('jingwei.lang') === 'en' ? 'en' : 'zh-CN';
  /** anyStatus: a refusal is an answer too (else api() asks again: a refusal may predate a login since). */
  const get = (path: string, anyStatus: boolean) => {
    const response = fetch(path, {
      headers: { accept: 'application/json, application/problem+json', 'accept-language': lang },
      credentials: 'same-origin',
    });
    response.catch(() => undefined); // a network failure surfaces when (if) the page asks
    early[path] = { response, anyStatus };
    setTimeout(() => {
      if (early[path]?.response === response) delete early[path];
    }, 20_000);
    return response;
  };
  // The session (this takes index.html's preload of it); its answer, 401 included, is the session check's.
  const session = get('/api/me', true);
  // Where the console lands, the dashboard's figures: only for a session that may see them, and not for a
  // platform admin (the dashboard asks for the district chosen, ?districtId=, another URL).
  type Session = { account?: { role?: string; mustChangePassword?: boolean }; secondFactor?: { pending?: boolean } };
  if (location.pathname === '/')
    session
      .then((r) => (r.ok ? (r.clone().json() as Promise<Session>) : null))
      .then((me) => {
        const sees = me && !me.account?.mustChangePassword && !me.secondFactor?.pending;
        if (sees && me.account?.role !== 'platform_admin') get('/api/dashboard/overview', false);
      })
      .catch(() => undefined);
})();
