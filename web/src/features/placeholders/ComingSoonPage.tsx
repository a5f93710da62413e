import { Card, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ModuleDef } from '../../app/modules.tsx';

/** An honest placeholder for a module that is not built yet: what it will hold, no fake data. */
export function ComingSoonPage({ module }: { module: ModuleDef }) {
  const { t } = useTranslation();
  return (
    <Card data-testid={`coming-soon-${module.key}`}>
      <Result
        icon={<span style={{ fontSize: 64, color: '#c8161d' }}>{module.icon}</span>}
        title={
          <span>
            {t(`nav.${module.key}`)} · {t('placeholder.title')}
          </span>
        }
        subTitle={t('placeholder.subtitle')}
      >
        <Typography.Paragraph style={{ maxWidth: 720, margin: '0 auto', fontSize: 15 }}>
          {t(`placeholder.${module.key}`)}
        </Typography.Paragraph>
      </Result>
    </Card>
  );
}
