import {
  AlertOutlined,
  CheckOutlined,
  EditOutlined,
  EyeOutlined,
  PoweroffOutlined,
  StopOutlined,
  UndoOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Drawer, Result, Space, Spin, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan } from '../auth/session.ts';
import { type Person, type PersonIdentifiers, peopleKeys, usePerson } from './api.ts';
import { KeyYouthModal } from './KeyYouthPanel.tsx';
import { PersonFlags, StatusTag } from './tags.tsx';

type Transition = 'confirm' | 'deactivate' | 'reactivate' | 'withdraw-consent';

/** 青年详情 every field of a person, with edit, confirm, (de)activate, withdraw consent and the audited unmasked view. */
export function PersonDetailDrawer({
  id,
  onClose,
  onEdit,
}: {
  id: number;
  onClose: () => void;
  onEdit: (person: Person) => void;
}) {
  const { t } = useTranslation();
  const person = usePerson(id);
  const canWrite = useCan('person.write');
  const canPii = useCan('person.pii');
  const canKeyYouth = useCan('person.key_youth');
  const [keyYouth, setKeyYouth] = useState(false);
  const { message, modal } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [busy, setBusy] = useState<Transition | 'pii' | null>(null);
  const [shown, setShown] = useState<{ values: PersonIdentifiers; updatedAt: string } | null>(null);
  const data = person.data;
  // shown only for the version of the person they were read for: an edit hides them again
  const identifiers =
    shown && data && shown.values.id === data.id && shown.updatedAt === data.updatedAt ? shown.values : null;

  const transition = async (p: Person, action: Transition) => {
    setBusy(action);
    try {
      const updated = await api<Person>('POST', `/api/people/${p.id}/${action}`);
      client.setQueryData(peopleKeys.one(p.id), updated);
      await client.invalidateQueries({ queryKey: peopleKeys.all });
      message.success(t(`people.detail.done.${action}`, { name: p.name }));
      if (action === 'withdraw-consent') onClose();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  const withdraw = (p: Person) =>
    modal.confirm({
      title: t('people.detail.withdrawTitle', { name: p.name }),
      content: t('people.detail.withdrawHint'),
      okText: t('people.detail.withdraw'),
      okButtonProps: { danger: true, 'data-testid': 'person-withdraw-ok' },
      onOk: () => transition(p, 'withdraw-consent'),
    });

  const showIdentifiers = async (p: Person) => {
    setBusy('pii');
    try {
      const values = await api<PersonIdentifiers>('GET', `/api/people/${p.id}/identifiers`);
      setShown({ values, updatedAt: p.updatedAt });
    } catch (error) {
      showError(error);
    } finally {
      setBusy(null);
    }
  };

  const empty = t('common.empty');
  return (
    <Drawer
      open
      width="min(720px, 100vw)"
      onClose={onClose}
      data-testid="person-detail"
      title={
        data ? (
          <Space wrap>
            <Typography.Text strong data-testid="person-detail-name">
              {data.name}
            </Typography.Text>
            <StatusTag person={data} />
            <PersonFlags person={data} />
          </Space>
        ) : (
          t('people.detail.title')
        )
      }
      extra={
        data &&
        canWrite &&
        data.status !== 'withdrawn' && (
          <Space wrap>
            <Button icon={<EditOutlined />} onClick={() => onEdit(data)} data-testid="person-edit">
              {t('common.edit')}
            </Button>
            {data.status === 'pending' && (
              <Button
                type="primary"
                icon={<CheckOutlined />}
                loading={busy === 'confirm'}
                onClick={() => void transition(data, 'confirm')}
                data-testid="person-confirm"
              >
                {t('people.detail.confirm')}
              </Button>
            )}
            {data.status === 'inactive' ? (
              <Button
                icon={<UndoOutlined />}
                loading={busy === 'reactivate'}
                onClick={() => void transition(data, 'reactivate')}
                data-testid="person-reactivate"
              >
                {t('people.detail.reactivate')}
              </Button>
            ) : (
              <Button
                icon={<PoweroffOutlined />}
                loading={busy === 'deactivate'}
                onClick={() => void transition(data, 'deactivate')}
                data-testid="person-deactivate"
              >
                {t('people.detail.deactivate')}
              </Button>
            )}
            {canKeyYouth && (
              <Button icon={<AlertOutlined />} onClick={() => setKeyYouth(true)} data-testid="person-key-youth">
                {t('people.tab.keyYouth')}
              </Button>
            )}
            <Button
              danger
              icon={<StopOutlined />}
              loading={busy === 'withdraw-consent'}
              onClick={() => withdraw(data)}
              data-testid="person-withdraw"
            >
              {t('people.detail.withdraw')}
            </Button>
          </Space>
        )
      }
    >
      {person.isPending ? (
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      ) : person.isError ? (
        <Result status="warning" title={person.error.message} />
      ) : (
        data && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Descriptions column={2} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
              <Descriptions.Item label={t('people.field.name')}>{data.name}</Descriptions.Item>
              <Descriptions.Item label={t('people.field.gender')}>
                {data.gender ? t(`people.gender.${data.gender}`) : empty}
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.birthDate')}>{data.birthDate ?? empty}</Descriptions.Item>
              <Descriptions.Item label={t('people.field.age')}>{data.age ?? empty}</Descriptions.Item>
              <Descriptions.Item label={t('people.field.phone')}>
                <span data-testid="person-detail-phone">{data.phone ?? empty}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.idNumber')}>
                <span data-testid="person-detail-id-number">{data.idNumber ?? empty}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.politicalStatus')}>
                {t(`people.political.${data.politicalStatus}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.category')}>
                {t(`people.category.${data.category}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.skills')} span={2}>
                {data.skills.length ? data.skills.map((s) => <Tag key={s}>{s}</Tag>) : empty}
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.homeGrid')}>{data.homeGrid?.name ?? empty}</Descriptions.Item>
              <Descriptions.Item label={t('people.field.branchOrg')}>{data.branchOrg?.name ?? empty}</Descriptions.Item>
              <Descriptions.Item label={t('people.field.circles')} span={2}>
                {data.circles.length
                  ? data.circles.map((c) => (
                      <Tag key={c.id} color="purple">
                        {c.name}
                      </Tag>
                    ))
                  : empty}
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.org')} span={2}>
                {data.org.name}
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.source')}>
                {t(`people.source.${data.source}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.status')}>
                <StatusTag person={data} />
              </Descriptions.Item>
              <Descriptions.Item label={t('people.field.consent')} span={2}>
                {data.consent
                  ? t('people.detail.consentText', {
                      version: data.consent.version,
                      at: formatTime(data.consent.at),
                      channel: t(`people.channel.${data.consent.channel}`),
                    })
                  : empty}
              </Descriptions.Item>
              {data.guardianConsent && (
                <Descriptions.Item label={t('people.field.guardianConsent')} span={2}>
                  {`${data.guardianConsent.guardianName}（${data.guardianConsent.relation}） · ${formatTime(data.guardianConsent.at)}`}
                </Descriptions.Item>
              )}
              <Descriptions.Item label={t('people.field.updatedAt')} span={2}>
                {formatTime(data.updatedAt)}
              </Descriptions.Item>
            </Descriptions>
            {data.leaveReview && <Alert type="warning" showIcon message={t('people.detail.leaveReviewHint')} />}
            {canPii && (data.phone || data.idNumber) && (
              <div>
                {identifiers ? (
                  <Alert
                    type="info"
                    showIcon
                    data-testid="person-identifiers"
                    message={
                      <Space direction="vertical" size={0}>
                        <span>
                          {t('people.field.phone')}：
                          <Typography.Text copyable data-testid="person-identifiers-phone">
                            {identifiers.phone ?? empty}
                          </Typography.Text>
                        </span>
                        <span>
                          {t('people.field.idNumber')}：
                          <Typography.Text copyable data-testid="person-identifiers-id-number">
                            {identifiers.idNumber ?? empty}
                          </Typography.Text>
                        </span>
                      </Space>
                    }
                    description={t('people.detail.piiAudited')}
                    action={
                      <Button size="small" onClick={() => setShown(null)} data-testid="person-identifiers-hide">
                        {t('people.detail.hide')}
                      </Button>
                    }
                  />
                ) : (
                  <Space direction="vertical" size={4}>
                    <Button
                      icon={<EyeOutlined />}
                      loading={busy === 'pii'}
                      onClick={() => void showIdentifiers(data)}
                      data-testid="person-view-identifiers"
                    >
                      {t('people.detail.viewIdentifiers')}
                    </Button>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('people.detail.piiAuditedHint')}
                    </Typography.Text>
                  </Space>
                )}
              </div>
            )}
          </Space>
        )
      )}
      {keyYouth && data && (
        <KeyYouthModal personId={data.id} personName={data.name} onClose={() => setKeyYouth(false)} />
      )}
    </Drawer>
  );
}
