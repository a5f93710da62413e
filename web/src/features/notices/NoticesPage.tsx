import { Card, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useCan } from '../auth/session.ts';
import { ComposePanel } from './ComposePanel.tsx';
import { InboxPanel } from './InboxPanel.tsx';
import { SentPanel } from './SentPanel.tsx';
import { TowersPanel } from './TowersPanel.tsx';

/** 塔群通知: my inbox (live), sending, what was sent, and the tower registry. */
export function NoticesPage() {
  const { t } = useTranslation();
  const canSend = useCan('notice.send');
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'inbox';
  const setTab = (key: string) =>
    setParams(
      (p) => {
        p.set('tab', key);
        return p;
      },
      { replace: true },
    );
  const items = [
    { key: 'inbox', label: t('notices.tab.inbox'), children: <InboxPanel /> },
    ...(canSend
      ? [
          { key: 'compose', label: t('notices.tab.compose'), children: <ComposePanel onSent={() => setTab('sent')} /> },
          { key: 'sent', label: t('notices.tab.sent'), children: <SentPanel /> },
          { key: 'towers', label: t('notices.tab.towers'), children: <TowersPanel /> },
        ]
      : []),
  ];
  return (
    <Card>
      <Typography.Title level={4}>{t('notices.title')}</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        destroyInactiveTabPane
        items={items.map((i) => ({ ...i, label: <span data-testid={`notices-tab-${i.key}`}>{i.label}</span> }))}
      />
    </Card>
  );
}
