import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet } from 'react-router-dom';
import type { Permission } from '../../../../domain/account.ts';
import { useCan } from '../auth/session.ts';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('error.notFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('common.home')}</Button>
        </Link>
      }
    />
  );
}

/** Renders the child route only for an account holding the permission. */
export function RequirePermission({ permission }: { permission: Permission }) {
  const { t } = useTranslation();
  const allowed = useCan(permission);
  if (!allowed) {
    return (
      <Result
        status="403"
        title="403"
        subTitle={t('error.forbidden')}
        extra={
          <Link to="/">
            <Button type="primary">{t('common.home')}</Button>
          </Link>
        }
      />
    );
  }
  return <Outlet />;
}
