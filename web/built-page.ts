// What web/build.ts makes of each page, and what the server sends (shared/http/resources/pages.ts).
import type { Lang } from './lib/i18n';

export interface BuiltPage {
  /** One self-contained document: the style and the module script inline. */
  html: string;
  /** Allows exactly this document's inline script and style (by SHA-256) and calls to its own origin. */
  contentSecurityPolicy: string;
  /** The browser features this page may use (geolocation on the driver's page, none elsewhere). */
  permissionsPolicy: string;
  /** A strong validator of `html`. */
  etag: string;
}

/** A page in each language it is built in: English always (the fallback), others where translated. */
export type LocalisedPage = { en: BuiltPage } & Partial<Record<Exclude<Lang, 'en'>, BuiltPage>>;
