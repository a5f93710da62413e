import { lazy, Suspense } from 'react';
import { Outlet } from 'react-router-dom';
import type { Permission } from '../../../../domain/account.ts';
import { PageSpinner } from '../../components/PageSpinner.tsx';
import { useCan } from '../auth/session.ts';

// The 403 page (antd Result and its illustration) loads only when someone is refused
const Forbidden = lazy(() => import('./NotFoundPage.tsx').then((m) => ({ default: m.ForbiddenPage })));

/** Renders the child route only for an account holding the permission. */
export function RequirePermission({ permission }: { permission: Permission }) {
  const allowed = useCan(permission);
  if (!allowed)
    return (
      <Suspense fallback={<PageSpinner />}>
        <Forbidden />
      </Suspense>
    );
  return <Outlet />;
}
