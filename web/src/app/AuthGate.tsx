import { lazy, Suspense, useDeferredValue } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { PageSpinner } from '../components/PageSpinner.tsx';
import { useMe } from '../features/auth/session.ts';
import { AppLayout } from './AppLayout.tsx';
import { DistrictProvider } from './district.tsx';

// Seen once in an account's life (first login, TOTP enrolment): not in the bundle every visit downloads
const ChangePasswordPage = lazy(() =>
  import('../features/auth/ChangePasswordPage.tsx').then((m) => ({ default: m.ChangePasswordPage })),
);
const LoadFailed = lazy(() => import('./LoadFailed.tsx').then((m) => ({ default: m.LoadFailed })));
const TotpPage = lazy(() => import('../features/auth/TotpPage.tsx').then((m) => ({ default: m.TotpPage })));

/** Lets only a logged-in account in; one that must change its password or set up TOTP sees nothing else. */
export function AuthGate() {
  const me = useMe();
  const location = useLocation();
  // The session's arrival re-renders synchronously (react-query): the spinner stays for that render and the
  // layout and page are built in a deferred, time-sliced one (no long main-thread task, issue 10). A session
  // that ends (null) is acted on at once.
  const settled = useDeferredValue(!!me.data);
  if (me.isPending || (me.data && !settled)) return <PageSpinner />;
  if (me.isError) {
    return (
      <Suspense fallback={<PageSpinner />}>
        <LoadFailed message={me.error.message} onRetry={() => void me.refetch()} />
      </Suspense>
    );
  }
  if (!me.data) {
    const from = location.pathname + location.search;
    return <Navigate to="/login" replace state={from === '/' ? undefined : { from }} />;
  }
  if (me.data.account.mustChangePassword)
    return (
      <Suspense fallback={<PageSpinner />}>
        <ChangePasswordPage forced />
      </Suspense>
    );
  if (me.data.secondFactor.pending)
    return (
      <Suspense fallback={<PageSpinner />}>
        <TotpPage forced />
      </Suspense>
    );
  return (
    <DistrictProvider>
      <AppLayout />
    </DistrictProvider>
  );
}
