// The pages' languages (README "Languages"): one message catalogue per language (i18n/en.ts, the
// source, and i18n/zh-CN.ts), {placeholders} filled in by name, plural forms chosen by the
// locale's Intl.PluralRules. The server picks the page's language (?lang=, else Accept-Language) and
// sends the page built in it. Each language's page has its own script, carrying only its own
// catalogue: i18n/page.ts, which web/build.ts points at the page's language (type checks and unit
// tests see English). Node code that needs every language (the build, tests) reads catalogues.ts.
import type { en } from './i18n/en';
import { PAGE_CATALOGUE, PAGE_LANG } from './i18n/page';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
/** A message with plural forms: `${base}.one` (where the language has it) and `${base}.other`. */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer Base}.other` ? Base : never;
}[MessageKey];

/** The locale Intl formats with: British English (as before), Simplified Chinese of China. */
export const INTL_LOCALE: Record<Lang, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };

export function isLang(value: string): value is Lang {
  return (LANGS as readonly string[]).includes(value);
}

/** A placeholder's value. */
export type Param = string | number;

/** `message` with each {name} replaced by params[name] (a value is not read again for braces). */
export function fillMessage(message: string, params: Record<string, Param> = {}): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** The key of `base`'s plural form for n in a catalogue of `lang` (`.other` where it has no other). */
export function pluralKey(catalogue: Catalogue, lang: Lang, base: PluralBase, n: number): MessageKey {
  const key = `${base}.${new Intl.PluralRules(INTL_LOCALE[lang]).select(n)}`;
  return Object.hasOwn(catalogue, key) ? (key as MessageKey) : (`${base}.other` as MessageKey);
}

/** The page's language (its script is built for one). */
export function pageLang(): Lang {
  return PAGE_LANG;
}

/** The page's Intl locale. */
export function pageLocale(): string {
  return INTL_LOCALE[PAGE_LANG];
}

/** A message in the page's language. */
export function t(key: MessageKey, params?: Record<string, Param>): string {
  return fillMessage(PAGE_CATALOGUE[key], params);
}

/** A plural message in the page's language ({n} is n unless params give it formatted). */
export function tn(base: PluralBase, n: number, params?: Record<string, Param>): string {
  return fillMessage(PAGE_CATALOGUE[pluralKey(PAGE_CATALOGUE, PAGE_LANG, base, n)], { n, ...params });
}
