import { Select } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccountSearch } from './api.ts';

type Props = {
  value?: number | null;
  onChange?: (value: number | null) => void;
  /** The account already chosen, shown before any search. */
  initial?: { id: number; name: string } | null;
  id?: string;
  'data-testid'?: string;
};

/** Picks an account of the caller's scope by name or username (grid leader, contact person). */
export function AccountSelect({ value, onChange, initial, ...rest }: Props) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const search = useAccountSearch(q, open || q !== '');
  const options = useMemo(() => {
    const list = (search.data?.items ?? [])
      .filter((a) => a.active)
      .map((a) => ({ value: a.id, label: `${a.displayName}（${a.username}）` }));
    if (initial && !list.some((o) => o.value === initial.id)) list.unshift({ value: initial.id, label: initial.name });
    return list;
  }, [search.data, initial]);
  return (
    <Select<number>
      {...rest}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      showSearch
      allowClear
      filterOption={false}
      onSearch={setQ}
      onDropdownVisibleChange={setOpen}
      loading={search.isFetching}
      options={options}
      placeholder={t('grids.form.accountPlaceholder')}
      notFoundContent={search.isError ? t('grids.form.accountsUnavailable') : undefined}
    />
  );
}
