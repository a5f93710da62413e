import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Form, Modal, Progress, Radio, Space, Table, Typography, Upload } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../../../../domain/common.ts';
import { LEDGER_COLUMNS, LEDGER_MAX_BYTES, type LedgerImportResult } from '../../../../domain/ledger.ts';
import { OrgTreeSelect } from '../../components/OrgTreeSelect.tsx';
import { toSearch } from '../../lib/api.ts';
import { currentLang } from '../../lib/i18n.ts';
import { useSession } from '../auth/session.ts';
import { peopleKeys } from './api.ts';

/** What POST /api/people/imports answers. */
export type PeopleImportResult = LedgerImportResult;

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function contentTypeOf(file: File): string | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  if (name.endsWith('.csv')) return 'text/csv';
  return null;
}

/** Sends the raw file with XMLHttpRequest (fetch reports no upload progress). */
function upload(
  url: string,
  file: File,
  headers: Record<string, string>,
  onProgress: (percent: number) => void,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}

/** 台账导入: an .xlsx or .csv ledger; valid rows only or all-or-nothing; a row-level report. */
export function PeopleImportModal({ defaultOrgId, onClose }: { defaultOrgId?: number; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useSession();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [orgId, setOrgId] = useState<number | undefined>(defaultOrgId ?? me.account.orgId ?? undefined);
  const [mode, setMode] = useState<'valid' | 'all'>('valid');
  const [phase, setPhase] = useState<'idle' | 'uploading' | 'processing'>('idle');
  const [percent, setPercent] = useState(0);
  const [result, setResult] = useState<PeopleImportResult | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const busy = phase !== 'idle';
  const running = useRef(false);

  const choose = (f: File) => {
    setResult(null);
    setProblem(null);
    setFile(f);
    setFileError(
      !contentTypeOf(f)
        ? t('people.import.badType')
        : f.size > LEDGER_MAX_BYTES
          ? t('people.import.tooLarge', { max: LEDGER_MAX_BYTES / 1024 / 1024 })
          : null,
    );
  };

  const run = async () => {
    if (!file || !orgId || running.current) return;
    const type = contentTypeOf(file);
    if (!type) return;
    running.current = true;
    setPhase('uploading');
    setPercent(0);
    setResult(null);
    setProblem(null);
    try {
      const url = `/api/people/imports${toSearch({ orgId, mode, fileName: file.name })}`;
      const response = await upload(
        url,
        file,
        {
          'content-type': type,
          accept: 'application/json, application/problem+json',
          'accept-language': currentLang(),
          'x-csrf-token': me.csrfToken,
        },
        (p) => {
          setPercent(p);
          if (p >= 100) setPhase('processing');
        },
      );
      const body = response.body as PeopleImportResult | Problem | null;
      if (response.status >= 200 && response.status < 300 && body && 'total' in body) {
        setResult(body);
        await client.invalidateQueries({ queryKey: peopleKeys.all });
      } else if (body && 'title' in body) {
        setProblem(body);
      } else {
        setProblem({
          type: 'about:blank',
          title: t('error.http', { status: response.status }),
          status: response.status,
          code: 'HTTP_ERROR',
        });
      }
    } catch {
      setProblem({ type: 'about:blank', title: t('error.network'), status: 0, code: 'NETWORK' });
    } finally {
      running.current = false;
      setPhase('idle');
    }
  };

  return (
    <Modal
      open
      width={820}
      title={t('people.import.title')}
      onCancel={busy ? undefined : onClose}
      closable={!busy}
      maskClosable={false}
      data-testid="people-import-modal"
      footer={
        <Space>
          <Button onClick={onClose} disabled={busy}>
            {result ? t('common.ok') : t('common.cancel')}
          </Button>
          <Button
            type="primary"
            disabled={!file || !!fileError || !orgId || result?.status === 'imported'}
            loading={busy}
            onClick={() => void run()}
            data-testid="people-import-run"
          >
            {t('people.import.run')}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t('people.import.intro')}{' '}
          <Typography.Link href="/api/people/import-template.xlsx" download data-testid="people-import-template">
            <DownloadOutlined /> {t('people.action.template')}
          </Typography.Link>
        </Typography.Paragraph>
        <Upload.Dragger
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(f) => {
            choose(f);
            return false;
          }}
          data-testid="people-import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{file?.name ?? t('people.import.drop')}</p>
          {file && (
            <Typography.Text type="secondary">
              {t('people.import.size', { size: (file.size / 1024).toFixed(1) })}
            </Typography.Text>
          )}
        </Upload.Dragger>
        {fileError && <Alert type="error" showIcon message={fileError} />}
        <Form layout="vertical">
          <Form.Item label={t('people.import.org')} tooltip={t('people.import.orgHint')} required>
            <OrgTreeSelect
              value={orgId}
              onChange={setOrgId}
              style={{ width: '100%' }}
              data-testid="people-import-org"
            />
          </Form.Item>
          <Form.Item label={t('people.import.mode')} style={{ marginBottom: 0 }}>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} data-testid="people-import-mode">
              <Space direction="vertical">
                <Radio value="valid">{t('people.import.modeValid')}</Radio>
                <Radio value="all">{t('people.import.modeAll')}</Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
        </Form>
        {busy && (
          <div data-testid="people-import-progress">
            <Progress percent={percent} status="active" />
            <Typography.Text type="secondary">
              {phase === 'uploading' ? t('people.import.uploading') : t('people.import.processing')}
            </Typography.Text>
          </div>
        )}
        {problem && (
          <Alert
            type="error"
            showIcon
            data-testid="people-import-problem"
            message={problem.detail ? `${problem.title}: ${problem.detail}` : problem.title}
            description={
              problem.errors?.length ? (
                <Space direction="vertical" size={0}>
                  {problem.errors.slice(0, 20).map((e) => (
                    <span key={`${e.field}-${e.message}`}>{e.message}</span>
                  ))}
                </Space>
              ) : undefined
            }
          />
        )}
        {result && (
          <>
            <Alert
              type={result.status === 'refused' ? 'error' : result.rejected > 0 ? 'warning' : 'success'}
              showIcon
              data-testid="people-import-result"
              data-status={result.status}
              message={result.status === 'refused' ? t('people.import.refused') : t('people.import.imported')}
              description={
                <Descriptions size="small" column={3}>
                  <Descriptions.Item label={t('people.import.total')}>{result.total}</Descriptions.Item>
                  <Descriptions.Item label={t('people.import.created')}>{result.created}</Descriptions.Item>
                  <Descriptions.Item label={t('people.import.updated')}>{result.updated}</Descriptions.Item>
                  <Descriptions.Item label={t('people.import.review')}>{result.review}</Descriptions.Item>
                  <Descriptions.Item label={t('people.import.rejected')}>{result.rejected}</Descriptions.Item>
                </Descriptions>
              }
              action={
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  href={`/api/people/imports/${result.id}/report.xlsx`}
                  download
                  data-testid="people-import-report"
                >
                  {t('people.import.report')}
                </Button>
              }
            />
            {result.errorsTruncated && (
              <Typography.Text type="secondary">{t('people.import.truncated')}</Typography.Text>
            )}
            {result.errors.length > 0 && (
              <Table
                size="small"
                rowKey={(e, i) => `${e.row}-${e.column}-${i}`}
                dataSource={result.errors}
                pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
                data-testid="people-import-errors"
                columns={[
                  { title: t('people.import.row'), dataIndex: 'row', width: 80 },
                  {
                    title: t('people.import.column'),
                    width: 160,
                    render: (_, e) => {
                      const col = LEDGER_COLUMNS.find((c) => c.field === e.field);
                      const label = col ? (currentLang() === 'en' ? col.en : col.zh) : null;
                      return [e.column, label && `（${label}）`].filter(Boolean).join('') || t('common.empty');
                    },
                  },
                  { title: t('people.import.reason'), dataIndex: 'message' },
                ]}
              />
            )}
          </>
        )}
      </Space>
    </Modal>
  );
}
