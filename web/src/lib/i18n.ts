import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import 'dayjs/locale/en';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './locales/en.ts';
import { zhCN } from './locales/zh-CN.ts';

dayjs.extend(utc);
dayjs.extend(timezone);

export type UiLang = 'zh-CN' | 'en';
const STORAGE_KEY = 'jingwei.lang';

function storedLang(): UiLang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export const i18n = i18next.createInstance();

const initial = storedLang();
void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
applyDocumentLang(initial);

function applyDocumentLang(lang: UiLang): void {
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = lang;
  document.title = lang === 'en' ? 'Jingwei' : '经纬 Jingwei';
}

/** Switches the UI language, persists it and keeps dayjs and <html lang> in step. */
export async function setLanguage(lang: UiLang): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
  applyDocumentLang(lang);
  await i18n.changeLanguage(lang);
}

export function currentLang(): UiLang {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

/** Formats an ISO timestamp in Asia/Shanghai, where the League works. */
export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  return dayjs(iso)
    .tz('Asia/Shanghai')
    .format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}
