import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isCircleKind } from '../../../../domain/grid.ts';
import { useGridSearch } from './api.ts';

type Ref = { id: number; name: string };

type Props = {
  /** grids: territorial grids only; circles: circles only; any: both */
  kind?: 'grids' | 'circles' | 'any';
  /** Grids already chosen, shown before any search. */
  initial?: Ref[];
  placeholder?: string;
  allowClear?: boolean;
  style?: React.CSSProperties;
  id?: string;
  'data-testid'?: string;
} & (
  | { multiple?: false; value?: number | null; onChange?: (value: number | undefined) => void }
  | { multiple: true; value?: number[]; onChange?: (value: number[]) => void }
);

/** Picks a grid (or circles) of the caller's scope by code or name. */
export function GridSelect(props: Props) {
  const { t } = useTranslation();
  const { kind = 'any', initial, placeholder, allowClear = true, style, multiple, value, onChange, ...rest } = props;
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const search = useGridSearch(q, open || q !== '' || kind !== 'any');
  const options = useMemo(() => {
    const list = (search.data?.items ?? [])
      .filter((g) => kind === 'any' || (kind === 'circles') === isCircleKind(g.kind))
      .map((g) => ({ value: g.id, label: `${g.name}（${g.code}）` }));
    for (const r of initial ?? [])
      if (!list.some((o) => o.value === r.id)) list.unshift({ value: r.id, label: r.name });
    return list;
  }, [search.data, initial, kind]);
  const common = {
    ...rest,
    showSearch: true,
    allowClear,
    filterOption: false,
    onSearch: setQ,
    onDropdownVisibleChange: setOpen,
    loading: search.isFetching,
    options,
    placeholder: placeholder ?? t('people.form.gridPlaceholder'),
    style: { minWidth: 200, ...style },
  };
  if (multiple) {
    return (
      <Select<number[]>
        {...common}
        mode="multiple"
        value={value ?? []}
        onChange={(v) => (onChange as (v: number[]) => void)?.(v ?? [])}
      />
    );
  }
  return (
    <Select<number>
      {...common}
      value={(value as number | null | undefined) ?? undefined}
      onChange={(v) => (onChange as (v: number | undefined) => void)?.(v ?? undefined)}
    />
  );
}
