import { GlobalOutlined } from '@ant-design/icons';
import { Button, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLang, setLanguage } from '../lib/i18n.ts';

/** Toggles 中文 ⇄ English; the label names the language it switches to. */
export function LangSwitch({ type = 'text' }: { type?: 'text' | 'default' }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('lang.tooltip')}>
      <Button
        type={type}
        data-testid="lang-switch"
        icon={<GlobalOutlined />}
        onClick={() => void setLanguage(currentLang() === 'en' ? 'zh-CN' : 'en')}
      >
        {t('lang.other')}
      </Button>
    </Tooltip>
  );
}
