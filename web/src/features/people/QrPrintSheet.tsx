import { PrinterOutlined } from '@ant-design/icons';
import { Button, Input, InputNumber, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useGrid } from '../grids/api.ts';
import type { RegistrationToken } from './api.ts';
import './qr-print.css';

const qrSrc = (id: string) => `/api/registration-tokens/${id}/qr?format=svg`;

/**
 * Printables of a registration code: an A4 poster (扫码报到) and Keqiao's 一张服务联系卡 — business cards with
 * the grid, its organisation, grid leader and contact person, a phone and the QR code, ten to a page.
 * The phone is typed for the print only (accounts hold no phone numbers).
 */
export function QrPrintSheet({ token, onClose }: { token: RegistrationToken; onClose: () => void }) {
  const { t } = useTranslation();
  const grid = useGrid(token.grid?.id ?? null);
  const [phone, setPhone] = useState('');
  const [count, setCount] = useState<number | null>(10);
  const place = token.grid?.name ?? token.org.name;
  const leader = grid.data?.leader?.name ?? '—';
  const contact = grid.data?.contact?.name ?? null;
  return (
    <Modal open width={820} title={t('people.qr.printTitle')} onCancel={onClose} footer={null} data-testid="qr-print">
      <div className="jw-qr-print">
        <Space className="jw-no-print" wrap style={{ marginBottom: 12 }}>
          <Input
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            placeholder={t('people.qr.cardPhoneHint')}
            maxLength={30}
            style={{ width: 260 }}
            data-testid="qr-print-phone"
          />
          <span>{t('people.qr.cardCount')}</span>
          <InputNumber min={0} max={10} precision={0} value={count} onChange={setCount} />
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="qr-print-now">
            {t('people.qr.printNow')}
          </Button>
        </Space>
        <div className="jw-qr-poster" data-testid="qr-poster">
          <h1>{t('people.qr.posterTitle')}</h1>
          <div className="jw-qr-lead">{t('people.qr.posterLead')}</div>
          <img src={qrSrc(token.id)} alt={t('people.qr.imageAlt')} />
          <div className="jw-qr-place">{place}</div>
          {token.grid && <div>{token.org.name}</div>}
          <div className="jw-qr-foot">{t('people.qr.posterFoot')}</div>
        </div>
        <div className="jw-qr-cards">
          {Array.from({ length: count ?? 0 }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: identical cards, only their position differs
            <div className="jw-qr-card" key={i} data-testid="qr-card">
              <div className="jw-qr-card-text">
                <div className="jw-qr-card-title">{t('people.qr.cardTitle')}</div>
                <div>
                  {t('people.qr.cardGrid')}：{place}
                </div>
                <div>
                  {t('people.qr.cardOrg')}：{token.org.name}
                </div>
                {token.grid && (
                  <div data-testid="qr-card-leader">
                    {t('people.qr.cardLeader')}：{leader}
                  </div>
                )}
                {contact && (
                  <div>
                    {t('people.qr.cardContact')}：{contact}
                  </div>
                )}
                <div>
                  {t('people.qr.cardPhone')}：{phone || '＿＿＿＿＿＿＿＿'}
                </div>
              </div>
              <div>
                <img src={qrSrc(token.id)} alt={t('people.qr.imageAlt')} />
                <div className="jw-qr-card-scan">{t('people.qr.cardScan')}</div>
              </div>
            </div>
          ))}
        </div>
        <Typography.Paragraph type="secondary" className="jw-no-print" style={{ marginTop: 8 }}>
          {token.url}
        </Typography.Paragraph>
      </div>
    </Modal>
  );
}
