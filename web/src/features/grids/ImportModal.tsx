import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Form, Modal, Select, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Crs, MAX_IMPORT_FEATURES } from '../../../../domain/grid.ts';
import { useDistrict } from '../../app/district.tsx';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { ApiError, api } from '../../lib/api.ts';
import { gridKeys, type ImportResult } from './api.ts';

type Collection = { type: 'FeatureCollection'; features: unknown[] };
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/**
 * 导入 GeoJSON: reads a FeatureCollection, checks it with a dry run (every broken feature listed),
 * then imports every feature or none.
 */
export function ImportModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { districtId } = useDistrict();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [fileName, setFileName] = useState<string | null>(null);
  const [collection, setCollection] = useState<Collection | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [orgId, setOrgId] = useState<number | undefined>();
  const [crs, setCrs] = useState<Crs>('wgs84');
  const [repair, setRepair] = useState(true);
  const [busy, setBusy] = useState(false);
  const [checked, setChecked] = useState<ImportResult | null>(null);
  const [problems, setProblems] = useState<{ field: string; message: string }[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const reset = () => {
    setChecked(null);
    setProblems(null);
    setFailure(null);
  };

  const readFile = async (file: File) => {
    reset();
    setCollection(null);
    setReadError(null);
    setFileName(file.name);
    if (file.size > MAX_FILE_BYTES) {
      setReadError(t('grids.import.tooLarge'));
      return;
    }
    try {
      const parsed = JSON.parse(await file.text()) as Partial<Collection>;
      if (parsed?.type !== 'FeatureCollection' || !Array.isArray(parsed.features)) {
        setReadError(t('grids.import.notCollection'));
      } else if (parsed.features.length === 0 || parsed.features.length > MAX_IMPORT_FEATURES) {
        setReadError(t('grids.import.featureCount', { max: MAX_IMPORT_FEATURES }));
      } else setCollection(parsed as Collection);
    } catch {
      setReadError(t('grids.import.notJson'));
    }
  };

  const send = async (dryRun: boolean) => {
    if (!collection) return;
    setBusy(true);
    reset();
    try {
      const result = await api<ImportResult>('POST', '/api/grids/import', {
        body: { districtId, orgId, crs, repair, dryRun, collection },
      });
      if (dryRun) setChecked(result);
      else {
        await client.invalidateQueries({ queryKey: gridKeys.all });
        message.success(t('grids.import.done', { created: result.created, updated: result.updated }));
        onClose();
      }
    } catch (error) {
      if (error instanceof ApiError && error.fieldErrors.length > 0) setProblems(error.fieldErrors);
      else setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={760}
      title={t('grids.import.title')}
      onCancel={onClose}
      data-testid="grid-import-modal"
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            disabled={!collection}
            loading={busy && !checked}
            onClick={() => void send(true)}
            data-testid="grid-import-check"
          >
            {t('grids.import.check')}
          </Button>
          <Button
            type="primary"
            disabled={!checked}
            loading={busy && !!checked}
            onClick={() => void send(false)}
            data-testid="grid-import-run"
          >
            {t('grids.import.run')}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('grids.import.intro')}
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".geojson,.json,application/geo+json,application/json"
          multiple={false}
          showUploadList={false}
          beforeUpload={(file) => {
            void readFile(file);
            return false;
          }}
          data-testid="grid-import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{fileName ?? t('grids.import.drop')}</p>
          {collection && (
            <Typography.Text type="secondary">
              {t('grids.import.features', { count: collection.features.length })}
            </Typography.Text>
          )}
        </Upload.Dragger>
        {readError && <Alert type="error" showIcon message={readError} />}
        <Form layout="inline">
          <Form.Item label={t('grids.import.defaultOrg')} tooltip={t('grids.import.defaultOrgHint')}>
            <OrgTreeSelect
              value={orgId}
              onChange={(v) => {
                setOrgId(v);
                setChecked(null);
              }}
              allowClear
              style={{ width: 240 }}
            />
          </Form.Item>
          <Form.Item label={t('grids.import.crs')}>
            <Select<Crs>
              value={crs}
              onChange={(v) => {
                setCrs(v);
                setChecked(null);
              }}
              style={{ width: 160 }}
              options={[
                { value: 'wgs84', label: t('grids.import.wgs84') },
                { value: 'gcj02', label: t('grids.import.gcj02') },
              ]}
            />
          </Form.Item>
          <Form.Item>
            <Checkbox
              checked={repair}
              onChange={(e) => {
                setRepair(e.target.checked);
                setChecked(null);
              }}
            >
              {t('grids.form.repair')}
            </Checkbox>
          </Form.Item>
        </Form>
        {failure && <Alert type="error" showIcon message={failure} />}
        {problems && (
          <>
            <Alert type="error" showIcon message={t('grids.import.invalid', { count: problems.length })} />
            <Table
              size="small"
              rowKey={(_, i) => String(i)}
              dataSource={problems}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              data-testid="grid-import-errors"
              columns={[
                {
                  title: t('grids.import.feature'),
                  width: 200,
                  render: (_, p) => {
                    const m = /^(?:collection\.)?features\.(\d+)(?:\.(.*))?$/.exec(p.field);
                    return m ? `#${Number(m[1]) + 1}${m[2] ? ` · ${m[2]}` : ''}` : p.field;
                  },
                },
                { title: t('grids.import.reason'), dataIndex: 'message' },
              ]}
            />
          </>
        )}
        {checked && (
          <Alert
            type={checked.repaired.length ? 'warning' : 'success'}
            showIcon
            data-testid="grid-import-ok"
            message={t('grids.import.checked', { created: checked.created, updated: checked.updated })}
            description={
              checked.repaired.length > 0 && (
                <Space direction="vertical" size={0}>
                  {checked.repaired.slice(0, 20).map((r) => (
                    <span key={r.index}>
                      {t('grids.import.repairedOne', { index: r.index + 1, code: r.code, reason: r.reason })}
                    </span>
                  ))}
                </Space>
              )
            }
          />
        )}
      </Space>
    </Modal>
  );
}
