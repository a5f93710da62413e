import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import './lib/i18n.ts';
import { Providers } from './app/providers.tsx';
import { AppRouter } from './app/router.tsx';

// The CSP forbids eval; without this zod probes `new Function` once and the browser logs a violation.
z.config({ jitless: true });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers>
      <AppRouter />
    </Providers>
  </StrictMode>,
);
