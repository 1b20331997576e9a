// The catalogue a page's script carries: English here, for the type check and unit tests; web/build.ts
// replaces this module with the page's own language when it bundles each language's script, so a
// page carries one catalogue, not all of them.
import type { Lang } from '../i18n';
import { en } from './en';

export const PAGE_CATALOGUE: Record<keyof typeof en, string> = en;
export const PAGE_LANG: Lang = 'en';
