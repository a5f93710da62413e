import { TreeSelect } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgTreeNode } from '../../../domain/org.ts';
import { useOrgTree } from '../features/orgs/api.ts';

type Option = { value: number; title: string; name: string; disabled?: boolean; children: Option[] };

type Props = {
  value?: number | null;
  onChange?: (value: number | undefined) => void;
  /** Options for which this returns true cannot be picked. */
  isDisabled?: (node: OrgTreeNode) => boolean;
  /** Deactivated orgs are left out unless asked for. */
  includeInactive?: boolean;
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
  'data-testid'?: string;
};

/** Picks an org from the caller's tree; searchable by name, virtualised for thousands of nodes. */
export function OrgTreeSelect({
  value,
  onChange,
  isDisabled,
  includeInactive,
  placeholder,
  allowClear,
  style,
  ...rest
}: Props) {
  const { t } = useTranslation();
  const tree = useOrgTree();
  const options = useMemo(() => {
    const convert = (node: OrgTreeNode): Option | null => {
      if (!includeInactive && !node.active) return null;
      return {
        value: node.id,
        title: `${node.name}（${t(`orgKind.${node.kind}`)}）`,
        name: node.name,
        disabled: isDisabled?.(node) ?? false,
        children: node.children.map(convert).filter((c): c is Option => c !== null),
      };
    };
    return (tree.data?.roots ?? []).map(convert).filter((c): c is Option => c !== null);
  }, [tree.data, includeInactive, isDisabled, t]);

  return (
    <TreeSelect<number>
      {...rest}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={options}
      loading={tree.isLoading}
      showSearch
      treeNodeFilterProp="title"
      allowClear={allowClear}
      placeholder={placeholder ?? t('orgPicker.placeholder')}
      treeDefaultExpandedKeys={options.map((o) => o.value)}
      listHeight={360}
      popupMatchSelectWidth={false}
      style={{ minWidth: 240, ...style }}
    />
  );
}
