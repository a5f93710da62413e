import { Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgTreeNode } from '../../../../domain/org.ts';

/** "12 组织 · 3 账号": the roll-up counters of a node, known ones first, zero extras left out. */
export function formatCounts(counts: Record<string, number>, t: TFunction): string {
  const known = ['orgs', 'accounts'];
  const parts = known.filter((k) => k in counts).map((k) => t(`counts.${k}`, { count: counts[k] }));
  for (const [key, count] of Object.entries(counts)) {
    if (known.includes(key) || !count) continue;
    parts.push(t('counts.other', { count, key: t(`counts.label_${key}`, { defaultValue: key }) }));
  }
  return parts.join(' · ');
}

const tagStyle = { marginInlineStart: 6, marginInlineEnd: 0, fontSize: 11, lineHeight: '16px', paddingInline: 4 };

/** One line of the org tree: name (plain text), kind, non-hierarchical and inactive marks, roll-up counts. */
export const OrgTitle = memo(function OrgTitle({ node, highlight }: { node: OrgTreeNode; highlight?: boolean }) {
  const { t } = useTranslation();
  return (
    <span style={{ whiteSpace: 'nowrap', opacity: node.active ? 1 : 0.5 }}>
      <span
        data-testid={`org-node-${node.id}`}
        style={{
          fontWeight: highlight ? 600 : undefined,
          textDecoration: node.active ? undefined : 'line-through',
          color: node.active ? undefined : '#8c8c8c',
        }}
      >
        {node.name}
      </span>
      <Tag style={tagStyle} color={node.hierarchical ? 'red' : 'geekblue'}>
        {t(`orgKind.${node.kind}`)}
      </Tag>
      {!node.hierarchical && (
        <Tag style={tagStyle} color="purple">
          {t('orgs.nonHierarchical')}
        </Tag>
      )}
      {!node.active && <Tag style={tagStyle}>{t('orgs.inactive')}</Tag>}
      <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
        {formatCounts(node.counts, t)}
      </Typography.Text>
    </span>
  );
});
