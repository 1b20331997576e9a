// What web/build.ts makes of each page, and what the server sends (shared/http/pages.ts).
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
