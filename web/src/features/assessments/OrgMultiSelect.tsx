import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgKind, OrgTreeNode } from '../../../../domain/org.ts';
import { useOrgTree } from '../orgs/api.ts';

type Option = { value: number; title: string; children: Option[] };

/** Org kinds usually assessed together (the towns, streets and development zones). */
export const TOWN_KINDS: readonly OrgKind[] = ['town_committee', 'devzone_committee'];

type Props = {
  value?: number[];
  onChange?: (value: number[]) => void;
  placeholder?: string;
  id?: string;
  'data-testid'?: string;
};

/** Picks several orgs of the caller's tree (active ones), searchable by name, like OrgTreeSelect. */
export function OrgMultiSelect({ value, onChange, placeholder, ...rest }: Props) {
  const { t } = useTranslation();
  const tree = useOrgTree();
  const options = useMemo(() => {
    const convert = (node: OrgTreeNode): Option | null =>
      node.active
        ? {
            value: node.id,
            title: `${node.name}（${t(`orgKind.${node.kind}`)}）`,
            children: node.children.map(convert).filter((c): c is Option => c !== null),
          }
        : null;
    return (tree.data?.roots ?? []).map(convert).filter((c): c is Option => c !== null);
  }, [tree.data, t]);

  return (
    <TreeSelect<number[]>
      {...rest}
      multiple
      value={value ?? []}
      onChange={(v) => onChange?.(v ?? [])}
      treeData={options}
      loading={tree.isLoading}
      showSearch
      treeNodeFilterProp="title"
      allowClear
      maxTagCount="responsive"
      placeholder={placeholder ?? t('orgPicker.placeholder')}
      treeDefaultExpandedKeys={options.map((o) => o.value)}
      listHeight={360}
      popupMatchSelectWidth={false}
      style={{ width: '100%' }}
    />
  );
}

/** Ids of the active orgs of the given kinds, in tree order. */
export function orgIdsOfKinds(roots: OrgTreeNode[], kinds: readonly OrgKind[]): number[] {
  const ids: number[] = [];
  const walk = (node: OrgTreeNode) => {
    if (!node.active) return;
    if (kinds.includes(node.kind)) ids.push(node.id);
    for (const child of node.children) walk(child);
  };
  for (const root of roots) walk(root);
  return ids;
}
