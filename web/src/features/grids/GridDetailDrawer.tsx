import { EditOutlined, PoweroffOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Drawer, Result, Space, Spin, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isCircleKind } from '../../../../domain/grid.ts';
import { boundsOf, formatArea } from '../../components/map/leaflet.ts';
import { MapView } from '../../components/map/MapView.tsx';
import { useApiError } from '../../components/useApiError.ts';
import { api } from '../../lib/api.ts';
import { formatTime } from '../../lib/i18n.ts';
import { useCan } from '../auth/session.ts';
import { type Grid, gridKeys, useGrid } from './api.ts';
import { GridPolygons } from './GridPolygons.tsx';
import { CapacityTag, FourOnesChecklist } from './state.tsx';

/** 网格详情 every field of a grid, its polygon, and the edit / (de)activate actions. */
export function GridDetailDrawer({
  id,
  onClose,
  onEdit,
}: {
  id: number;
  onClose: () => void;
  onEdit: (grid: Grid) => void;
}) {
  const { t } = useTranslation();
  const grid = useGrid(id);
  const canWrite = useCan('org.write');
  const { message } = App.useApp();
  const showError = useApiError();
  const client = useQueryClient();
  const [toggling, setToggling] = useState(false);
  const data = grid.data;
  const fit = useMemo(() => boundsOf([data?.boundary ?? null]), [data]);
  const single = useMemo(() => (data ? [data] : []), [data]);

  const toggle = async (g: Grid) => {
    setToggling(true);
    try {
      if (g.active) await api('DELETE', `/api/grids/${g.id}`);
      else await api('PATCH', `/api/grids/${g.id}`, { body: { active: true } });
      await client.invalidateQueries({ queryKey: gridKeys.all });
      message.success(t(g.active ? 'grids.detail.deactivated' : 'grids.detail.activated', { name: g.name }));
    } catch (error) {
      showError(error);
    } finally {
      setToggling(false);
    }
  };

  const empty = t('common.empty');
  return (
    <Drawer
      open
      width="min(720px, 100vw)"
      onClose={onClose}
      data-testid="grid-detail"
      title={
        data ? (
          <Space wrap>
            <Typography.Text strong data-testid="grid-detail-name">
              {data.name}
            </Typography.Text>
            <Tag>{data.code}</Tag>
            {!data.active && <Tag>{t('common.inactive')}</Tag>}
          </Space>
        ) : (
          t('grids.detail.title')
        )
      }
      extra={
        data &&
        canWrite && (
          <Space>
            <Button icon={<EditOutlined />} onClick={() => onEdit(data)} data-testid="grid-edit">
              {t('common.edit')}
            </Button>
            <Button
              danger={data.active}
              icon={<PoweroffOutlined />}
              loading={toggling}
              onClick={() => void toggle(data)}
              data-testid="grid-deactivate"
            >
              {data.active ? t('grids.detail.deactivate') : t('grids.detail.activate')}
            </Button>
          </Space>
        )
      }
    >
      {grid.isPending ? (
        <Spin style={{ display: 'block', margin: '48px auto' }} />
      ) : grid.isError ? (
        <Result status="warning" title={grid.error.message} />
      ) : (
        data && (
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Descriptions column={2} size="small" bordered styles={{ label: { whiteSpace: 'nowrap' } }}>
              <Descriptions.Item label={t('grids.field.code')}>{data.code}</Descriptions.Item>
              <Descriptions.Item label={t('grids.field.kind')}>
                {t(`grids.kind.${data.kind}`)}
                {isCircleKind(data.kind) && <Tag style={{ marginLeft: 6 }}>{t('grids.circle')}</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.name')} span={2}>
                {data.name}
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.org')} span={2}>
                {data.orgName}
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.leader')}>{data.leader?.name ?? empty}</Descriptions.Item>
              <Descriptions.Item label={t('grids.field.contact')}>{data.contact?.name ?? empty}</Descriptions.Item>
              <Descriptions.Item label={t('grids.field.venue')} span={2}>
                {data.venue || empty}
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.channels')} span={2}>
                {data.channels.length === 0 ? (
                  empty
                ) : (
                  <Space direction="vertical" size={2}>
                    {data.channels.map((c, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: channels have no id; their order is stable
                      <span key={i}>
                        <Tag>{t(`grids.channel.${c.type}`)}</Tag>
                        {c.name}
                        {c.ident ? ` · ${c.ident}` : ''}
                        {c.admin ? ` · ${t('grids.channelField.admin')}: ${c.admin}` : ''}
                      </span>
                    ))}
                  </Space>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.serviceProject')} span={2}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                  {data.serviceProject || empty}
                </Typography.Paragraph>
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.youthCount')}>{data.youthCount ?? empty}</Descriptions.Item>
              <Descriptions.Item label={t('grids.field.memberCount')}>{data.memberCount ?? empty}</Descriptions.Item>
              <Descriptions.Item label={t('grids.field.registered')}>
                {data.registeredYouth} / {data.registeredMembers}
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.capacity')}>
                <CapacityTag grid={data} />
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.area')}>{formatArea(data.areaM2)}</Descriptions.Item>
              <Descriptions.Item label={t('grids.field.linkedOrgs')} span={2}>
                {data.linkedOrgs.length === 0
                  ? empty
                  : data.linkedOrgs.map((o) => (
                      <Tag key={o.id} color="purple">
                        {o.name} · {t(`orgKind.${o.kind}`, { defaultValue: o.kind })}
                      </Tag>
                    ))}
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.fourOnes')} span={2}>
                <FourOnesChecklist grid={data} />
              </Descriptions.Item>
              <Descriptions.Item label={t('grids.field.updatedAt')} span={2}>
                {formatTime(data.updatedAt)}
              </Descriptions.Item>
            </Descriptions>
            {data.boundary ? (
              <MapView style={{ height: 300 }} fit={fit} data-testid="grid-detail-map">
                <GridPolygons grids={single} labelZoom={13} />
              </MapView>
            ) : (
              <Typography.Text type="secondary">
                {isCircleKind(data.kind) ? t('grids.detail.circleNoBoundary') : t('grids.detail.noBoundary')}
              </Typography.Text>
            )}
          </Space>
        )
      )}
    </Drawer>
  );
}
