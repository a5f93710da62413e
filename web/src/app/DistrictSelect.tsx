import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useDistrict } from './district.tsx';

/** The header's district choice of a platform admin (AppLayout loads it only for them). */
export function DistrictSelect() {
  const { t } = useTranslation();
  const district = useDistrict();
  return (
    <Select
      data-testid="district-select"
      size="small"
      style={{ minWidth: 140 }}
      placeholder={t('header.districtPlaceholder')}
      value={district.districtId}
      onChange={(id: number) => {
        district.choose(id);
      }}
      options={district.districts.map((d) => ({ value: d.id, label: d.name }))}
    />
  );
}
