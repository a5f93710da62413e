import type { Locale } from 'antd/es/locale';
import antdZhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import i18next, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
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

/** antd's strings (pagination, pickers, empty states) of each loaded language. */
const antdLocales: Partial<Record<UiLang, Locale>> = { 'zh-CN': antdZhCN };

/**
 * zh-CN (the default and the fallback) is in the bundle; English, with antd's English strings, is fetched when
 * it is first chosen (issue 10: both locales were downloaded and parsed on every visit). Every path that
 * switches the language (`setLanguage`, `i18n.changeLanguage`) waits for it.
 */
const englishOnDemand: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, _namespace, callback) {
    if (language !== 'en') return callback(null, language === 'zh-CN' ? zhCN : {});
    Promise.all([import('./locales/en.ts'), import('antd/es/locale/en_US')]).then(
      ([strings, antd]) => {
        antdLocales.en = antd.default;
        callback(null, strings.en);
      },
      (error: Error) => callback(error, null),
    );
  },
};

const initial = storedLang();
/** Resolves once the initial language's strings are loaded (at once for zh-CN); main.tsx renders after it. */
export const i18nReady: Promise<unknown> = i18n
  .use(englishOnDemand)
  .use(initReactI18next)
  .init({
    resources: { 'zh-CN': { translation: zhCN } },
    partialBundledLanguages: true,
    lng: initial,
    fallbackLng: 'zh-CN',
    supportedLngs: ['zh-CN', 'en'],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });
applyDocumentLang(initial);

/** antd's locale for the current language (zh-CN until English has loaded). */
export function antdLocale(): Locale {
  return antdLocales[currentLang()] ?? antdZhCN;
}

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
  // (i18next sets its language once its init has run: until then, the stored choice it starts with)
  return (i18n.language ?? initial) === 'en' ? 'en' : 'zh-CN';
}

/** Formats an ISO timestamp in Asia/Shanghai, where the League works. */
export function formatTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  return dayjs(iso)
    .tz('Asia/Shanghai')
    .format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}
