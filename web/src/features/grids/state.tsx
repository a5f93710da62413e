import { CheckCircleFilled, CloseCircleOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { CapacityStatus, Grid } from '../../../../domain/grid.ts';

/** What the map colours grids by. */
export type ColorBy = 'capacity' | 'fourOnes';

export const CAPACITY_COLORS: Record<CapacityStatus, string> = {
  ok: '#389e0d',
  over: '#cf1322',
  under_used: '#d48806',
  unknown: '#8c8c8c',
};
const CAPACITY_TAG: Record<CapacityStatus, string> = {
  ok: 'green',
  over: 'red',
  under_used: 'gold',
  unknown: 'default',
};

/** Colour of a grid by how many of the four ones it has (index = count). */
export const FOUR_ONES_COLORS = ['#a8071a', '#cf1322', '#d46b08', '#7cb305', '#389e0d'];

export function gridColor(grid: Grid, by: ColorBy): string {
  return by === 'capacity' ? CAPACITY_COLORS[grid.capacity.status] : FOUR_ONES_COLORS[grid.fourOnes.count];
}

/** Legend entries of a colouring. */
export function legendOf(by: ColorBy, t: TFunction): { color: string; label: string }[] {
  if (by === 'capacity') {
    return (['ok', 'over', 'under_used', 'unknown'] as const).map((s) => ({
      color: CAPACITY_COLORS[s],
      label: t(`grids.capacity.${s}`),
    }));
  }
  return [4, 3, 2, 1, 0].map((n) => ({ color: FOUR_ONES_COLORS[n], label: t('grids.fourOnes.countOf', { count: n }) }));
}

/** 容量状态 tag of a grid: OK / over / under-used, with the rule that lets it pass. */
export function CapacityTag({ grid }: { grid: Grid }) {
  const { t } = useTranslation();
  const { status, basis } = grid.capacity;
  return (
    <Tooltip title={basis ? t(`grids.capacity.basis.${basis}`) : undefined}>
      <Tag color={CAPACITY_TAG[status]} data-testid={`grid-state-${grid.code}`} data-state={status}>
        {t(`grids.capacity.${status}`)}
      </Tag>
    </Tooltip>
  );
}

export function FourOnesTag({ grid }: { grid: Grid }) {
  const { t } = useTranslation();
  const f = grid.fourOnes;
  return (
    <Tooltip
      title={(['leader', 'physicalVenue', 'onlineVenue', 'serviceProject'] as const)
        .map((k) => `${f[k] ? '✓' : '✗'} ${t(`grids.fourOnes.${k}`)}`)
        .join('  ')}
    >
      <Tag color={f.complete ? 'green' : f.count >= 2 ? 'orange' : 'red'} data-testid={`grid-fourones-${grid.code}`}>
        {f.count}/4
      </Tag>
    </Tooltip>
  );
}

function Check({ ok, label }: { ok: boolean; label: string }) {
  return (
    <Space size={4}>
      {ok ? <CheckCircleFilled style={{ color: '#389e0d' }} /> : <CloseCircleOutlined style={{ color: '#bfbfbf' }} />}
      <span style={{ color: ok ? undefined : '#8c8c8c' }}>{label}</span>
    </Space>
  );
}

/** 四个一 and 三一 as a checklist. */
export function FourOnesChecklist({ grid }: { grid: Grid }) {
  const { t } = useTranslation();
  const f = grid.fourOnes;
  const th = grid.threeOnes;
  return (
    <Space direction="vertical" size={2} data-testid="grid-fourones-checklist">
      <Check ok={f.leader} label={t('grids.fourOnes.leader')} />
      <Check ok={f.physicalVenue} label={t('grids.fourOnes.physicalVenue')} />
      <Check ok={f.onlineVenue} label={t('grids.fourOnes.onlineVenue')} />
      <Space size={12} wrap style={{ paddingLeft: 20 }}>
        <span>{t('grids.threeOnes.title')}</span>
        <Check ok={th.qqGroup} label={t('grids.channel.qq_group')} />
        <Check ok={th.weibo} label={t('grids.channel.weibo')} />
        <Check ok={th.wechatGroup} label={t('grids.channel.wechat_group')} />
      </Space>
      <Check ok={f.serviceProject} label={t('grids.fourOnes.serviceProject')} />
    </Space>
  );
}
