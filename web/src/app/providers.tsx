import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ME_KEY, SESSION_NOTICE_KEY } from '../features/auth/session.ts';
import { ApiError, onSessionProblem, setCsrfToken } from '../lib/api.ts';
import { antdLocale } from '../lib/i18n.ts';
import { THEME } from './theme.ts';

/** The console's query cache (main.tsx makes it, to fill in the session before the first render). */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        // retrying a refusal never helps; retry only network trouble and server errors, once
        retry: (failures, error) =>
          failures < 1 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      },
      mutations: { retry: false },
    },
  });
}

/** Query cache, antd theme and locale (following the i18next language), and session-loss handling. */
export function Providers({ client, children }: { client: QueryClient; children: ReactNode }) {
  // re-renders on a language change (English loads first), so antd's strings follow
  useTranslation();

  useEffect(
    () =>
      onSessionProblem((error) => {
        if (error.code === 'PASSWORD_CHANGE_REQUIRED') {
          void client.invalidateQueries({ queryKey: ME_KEY });
          return;
        }
        // UNAUTHENTICATED / SESSION_EXPIRED: drop everything; the auth gate sends the user to /login,
        // which says why
        try {
          sessionStorage.setItem(SESSION_NOTICE_KEY, error.problem.title);
        } catch {
          // storage unavailable: the login page just shows no reason
        }
        setCsrfToken(null);
        client.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
        client.setQueryData(ME_KEY, null);
      }),
    [client],
  );

  return (
    <ConfigProvider locale={antdLocale()} theme={THEME}>
      <AntApp>
        <QueryClientProvider client={client}>{children}</QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
