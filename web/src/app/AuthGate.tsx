import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router-dom';
import { PageSpinner } from '../components/PageSpinner.tsx';
import { ChangePasswordPage } from '../features/auth/ChangePasswordPage.tsx';
import { useMe } from '../features/auth/session.ts';
import { TotpPage } from '../features/auth/TotpPage.tsx';
import { AppLayout } from './AppLayout.tsx';
import { DistrictProvider } from './district.tsx';

/** Lets only a logged-in account in; one that must change its password or set up TOTP sees nothing else. */
export function AuthGate() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageSpinner />;
  if (me.isError) {
    return (
      <Result
        status="error"
        title={t('error.loadFailed')}
        subTitle={me.error.message}
        extra={<Button onClick={() => void me.refetch()}>{t('common.refresh')}</Button>}
      />
    );
  }
  if (!me.data) {
    const from = location.pathname + location.search;
    return <Navigate to="/login" replace state={from === '/' ? undefined : { from }} />;
  }
  if (me.data.account.mustChangePassword) return <ChangePasswordPage forced />;
  if (me.data.secondFactor.pending) return <TotpPage forced />;
  return (
    <DistrictProvider>
      <AppLayout />
    </DistrictProvider>
  );
}
