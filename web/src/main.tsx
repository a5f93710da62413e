import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
// the first requests (the build runs it before this module, as a script of its own: vite.config.ts)
import './boot.ts';
import { i18nReady } from './lib/i18n.ts';
// antd's styles of the first screen, extracted at build time (vite.config.ts): antd does not build them again
import 'virtual:antd-first-screen.css';
import { makeQueryClient, Providers } from './app/providers.tsx';
import { AppRouter } from './app/router.tsx';
import { canSeeConsole, ME_KEY, type Me, primeSession } from './features/auth/session.ts';
import { primeOverview } from './features/dashboard/api.ts';

// The CSP forbids eval; without this zod probes `new Function` once and the browser logs a violation.
z.config({ jitless: true });

// At once for zh-CN; an English visitor's strings are fetched first (lib/i18n.ts). The session is filled in first
// too (its answer is usually there: boot.ts), and where the console lands the dashboard's figures are on their way.
// Rendered as a transition: React then renders in slices of a few milliseconds and the page stays responsive
// while antd builds the first screen (issue 10: one render was a single main-thread task of 0.6 s on a throttled
// phone CPU).
const client = makeQueryClient();
void Promise.all([i18nReady, primeSession(client)]).finally(() => {
  const me = client.getQueryData<Me | null>(ME_KEY);
  if (me && window.location.pathname === '/' && canSeeConsole(me)) primeOverview(client, me);
  const root = createRoot(document.getElementById('root')!);
  startTransition(() =>
    root.render(
      <StrictMode>
        <Providers client={client}>
          <AppRouter />
        </Providers>
      </StrictMode>,
    ),
  );
});
