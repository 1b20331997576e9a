// Every language's catalogue at once, for Node code: web/build.ts (each page's words in each
// language) and the tests. The pages' scripts import web/lib/i18n.ts instead, which carries only
// the page's own language.
import {
  type Catalogue,
  fillMessage,
  type Lang,
  type MessageKey,
  type Param,
  type PluralBase,
  pluralKey,
} from './i18n';
import { en } from './i18n/en';
import { zhCN } from './i18n/zh-CN';

export const CATALOGUES: Record<Lang, Catalogue> = { en, 'zh-CN': zhCN };

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** The message `key` in `lang`, with each {name} replaced by params[name]. */
export function translate(lang: Lang, key: MessageKey, params: Record<string, Param> = {}): string {
  return fillMessage(CATALOGUES[lang][key], params);
}

/** The plural form of `base` for n in `lang` ({n} is n unless params give it formatted). */
export function translatePlural(
  lang: Lang,
  base: PluralBase,
  n: number,
  params: Record<string, Param> = {},
): string {
  return translate(lang, pluralKey(CATALOGUES[lang], lang, base, n), { n, ...params });
}

/** The {placeholders} a message names, sorted (the catalogue test compares them across languages). */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}
