/**
 * The phone entry's strings: only the sub-objects of the console's locales (web/src/lib/locales) the registration
 * page uses, with a tiny t() instead of i18next (issue 10: the phone page's first load must stay small).
 */
import { captchaEn, registerMoreEn } from '../lib/locales/captcha.en.ts';
import { captchaZhCN, registerMoreZhCN } from '../lib/locales/captcha.zh-CN.ts';
import { peopleEn, registerEn } from '../lib/locales/people.en.ts';
import { peopleZhCN, registerZhCN } from '../lib/locales/people.zh-CN.ts';

export type Lang = 'zh-CN' | 'en';

/** The few console strings (zh-CN.ts / en.ts app, common, error) the page shows, mirrored to keep those files out. */
const shell = {
  'zh-CN': {
    app: { fullName: '经纬 · 共青团双网互动平台' },
    common: { refresh: '刷新' },
    error: { network: '无法连接服务器，请检查网络', http: '请求失败（HTTP {{status}}）' },
  },
  en: {
    app: { fullName: 'Jingwei · Youth League twin-net platform' },
    common: { refresh: 'Refresh' },
    error: { network: 'Cannot reach the server; check the network', http: 'The request failed (HTTP {{status}})' },
  },
};

const pick = (people: typeof peopleZhCN) => ({
  gender: people.gender,
  political: people.political,
  category: people.category,
  field: { guardianName: people.field.guardianName, guardianRelation: people.field.guardianRelation },
  form: { relationPlaceholder: people.form.relationPlaceholder },
});

const resources = {
  'zh-CN': {
    ...shell['zh-CN'],
    register: registerZhCN,
    registerMore: registerMoreZhCN,
    captcha: captchaZhCN,
    people: pick(peopleZhCN),
  },
  en: { ...shell.en, register: registerEn, registerMore: registerMoreEn, captcha: captchaEn, people: pick(peopleEn) },
};

/** The phone's language: English when the browser asks for it, Chinese otherwise. */
function browserLang(): Lang {
  const langs = typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language]);
  return langs[0]?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export const lang: Lang = browserLang();

/** "register.result.pending" → the string in the page's language (zh-CN when missing); {{name}} filled from vars. */
export function t(key: string, vars?: Record<string, string | number>): string {
  const find = (root: unknown) =>
    key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], root);
  const found = find(resources[lang]) ?? find(resources['zh-CN']);
  const text = typeof found === 'string' ? found : key;
  return vars ? text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
}
