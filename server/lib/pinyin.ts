import { pinyin } from 'pinyin-pro';

/** Search keys of a Chinese name: full pinyin ("keqiaojiedao") and initials ("kqjd"), lower case, no spaces. */
export function pinyinKeys(name: string): { full: string; initials: string } {
  const syllables = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive' });
  const clean = syllables.map((s) => s.toLowerCase().replace(/\s+/g, ''));
  return { full: clean.join(''), initials: clean.map((s) => s.charAt(0)).join('') };
}
