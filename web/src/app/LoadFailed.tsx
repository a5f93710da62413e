import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** The auth gate's "could not load" page (its own chunk: antd's Result carries the 403/404/500 illustrations). */
export function LoadFailed({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="error"
      title={t('error.loadFailed')}
      subTitle={message}
      extra={<Button onClick={onRetry}>{t('common.refresh')}</Button>}
    />
  );
}
