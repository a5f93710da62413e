import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { LEAGUE_MAX_AGE, type PersonStatus } from '../../../../domain/person.ts';
import type { Person } from './api.ts';

const STATUS_COLORS: Record<PersonStatus, string> = {
  pending: 'orange',
  registered: 'green',
  inactive: 'default',
  withdrawn: 'default',
};

/** 状态 pending / registered / inactive / withdrawn. */
export function StatusTag({ person }: { person: Pick<Person, 'id' | 'status'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[person.status]} data-testid={`person-status-${person.id}`} data-status={person.status}>
      {t(`people.status.${person.status}`)}
    </Tag>
  );
}

/** 骨干 / 后备骨干 / 超龄离团 flags. */
export function PersonFlags({ person }: { person: Pick<Person, 'backbone' | 'reserveBackbone' | 'leaveReview'> }) {
  const { t } = useTranslation();
  return (
    <>
      {person.backbone && <Tag color="red">{t('people.field.backbone')}</Tag>}
      {person.reserveBackbone && <Tag color="volcano">{t('people.field.reserveBackbone')}</Tag>}
      {person.leaveReview && (
        <Tooltip title={t('people.leaveReviewTip', { age: LEAGUE_MAX_AGE })}>
          <Tag color="gold" data-testid="person-leave-review">
            {t('people.leaveReview')}
          </Tag>
        </Tooltip>
      )}
    </>
  );
}
