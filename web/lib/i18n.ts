// The pages' languages (README "Languages"): one message catalogue per language (i18n/en.ts, the
// source, and i18n/zh-CN.ts), {placeholders} filled in by name, plural forms chosen by the
// locale's Intl.PluralRules. The server picks the page's language (?lang=, else Accept-Language) and
// sends the page built in it: `<html lang>` says which, and the script reads it from there. No DOM
// is touched at import time, so web/build.ts (Node) reads the same catalogues.
import { en } from './i18n/en';
import { zhCN } from './i18n/zh-CN';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
export type MessageKey = keyof typeof en;
/** A message with plural forms: `${base}.one` (where the language has it) and `${base}.other`. */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer Base}.other` ? Base : never;
}[MessageKey];

export const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** The locale Intl formats with: British English (as before), Simplified Chinese of China. */
export const INTL_LOCALE: Record<Lang, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };

export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}

/** A placeholder's value: text, or (for messages laid out with elements) a node. */
export type Param = string | number;

/** The message `key` in `lang`, with each {name} replaced by params[name]. */
export function translate(lang: Lang, key: MessageKey, params: Record<string, Param> = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The plural form of `base` for n in `lang` ({n} is n as formatted by the caller, or n). */
export function translatePlural(
  lang: Lang,
  base: PluralBase,
  n: number,
  params: Record<string, Param> = {},
): string {
  const category = new Intl.PluralRules(INTL_LOCALE[lang]).select(n);
  const key = `${base}.${category}`;
  const chosen = isMessageKey(key) ? key : (`${base}.other` as MessageKey);
  return translate(lang, chosen, { n, ...params });
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** The {placeholders} a message names, sorted (the catalogue test compares them across languages). */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
}

let current: Lang | undefined;

/** The page's language, from `<html lang>` (English outside a browser, e.g. in unit tests). */
export function pageLang(): Lang {
  if (current) return current;
  const declared = typeof document === 'undefined' ? 'en' : document.documentElement.lang;
  current = isLang(declared) ? declared : 'en';
  return current;
}

/** The page's Intl locale. */
export function pageLocale(): string {
  return INTL_LOCALE[pageLang()];
}

/** A message in the page's language. */
export function t(key: MessageKey, params?: Record<string, Param>): string {
  return translate(pageLang(), key, params);
}

/** A plural message in the page's language. */
export function tn(base: PluralBase, n: number, params?: Record<string, Param>): string {
  return translatePlural(pageLang(), base, n, params);
}
