// Building blocks of the two web pages (driver's finder and staff dashboard). Each page is one
// self-contained HTML document: inline CSS and one inline module script, no CDN, no fonts, no
// tiles, nothing fetched but the app's own API. The script is plain JavaScript kept in a string (it
// runs in the browser, not in Node); it avoids template literals so that this TypeScript module can
// hold it in template strings without escaping. The content security policy allows exactly this
// script and style (by hash) and connections to the page's own origin.
import { createHash } from 'node:crypto';

export interface PageSource {
  title: string;
  description: string;
  css: string;
  body: string;
  script: string;
  /** Extra Permissions-Policy features this page may use (e.g. geolocation on the driver's page). */
  permissions?: string[];
}

export interface BuiltPage {
  html: string;
  headers: Record<string, string>;
  etag: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

export function buildPage(page: PageSource): BuiltPage {
  const css = BASE_CSS + page.css;
  const script = CLIENT_HELPERS + page.script;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${page.description}">
<meta name="theme-color" content="#0b3d5c">
<title>${page.title}</title>
<link rel="icon" href="data:,">
<style>${css}</style>
</head>
<body>
${page.body}
<script type="module">${script}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(script)}'`,
    `style-src 'sha256-${sha256(css)}'`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const allowed = page.permissions ?? [];
  const permissions = ['geolocation', 'camera', 'microphone', 'payment']
    .map((f) => `${f}=${allowed.includes(f) ? '(self)' : '()'}`)
    .join(', ');
  return {
    html,
    etag: `"${sha256(html).slice(0, 27)}"`,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'permissions-policy': permissions,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      // Small pages: revalidate every time (ETag makes that a 304), so a deploy shows at once.
      'cache-control': 'no-cache',
    },
  };
}

/** Shared look: system fonts, a brand bar, cards, forms, status colours that always come with text. */
const BASE_CSS = `
:root{--brand:#0b3d5c;--ink:#1b1f24;--muted:#4f5b66;--line:#d0d7de;--bg:#f4f6f8;--card:#fff;
--ok:#0a7d32;--busy:#b25e00;--full:#b3261e;--stale:#7a5c00;--none:#5f6b76;--focus:#1a73e8;
font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0}
a{color:#0b5cad}
.wrap{max-width:72rem;margin:0 auto;padding:0 1rem}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem;z-index:9}
.skip:focus{left:.5rem}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
header.bar{background:var(--brand);color:#fff}
header.bar .wrap{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.25rem 1rem;
padding-top:.7rem;padding-bottom:.7rem}
header.bar h1{margin:0;font-size:1.25rem}
header.bar p{margin:0;opacity:.9;font-size:.9rem}
header.bar a{color:#fff}
header.bar button{background:transparent;color:#fff;border-color:#ffffffb0;min-height:2.2rem;padding:.25rem .8rem}
header.bar nav{display:flex;gap:.8rem;align-items:center}
main.wrap{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr);padding-top:1rem;padding-bottom:2rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:.8rem 1rem}
h2{font-size:1.1rem;margin:0 0 .5rem}
h3{font-size:1rem;margin:0}
label{font-size:.85rem;color:var(--muted);display:flex;flex-direction:column;gap:.15rem}
input,select,button{font:inherit;color:inherit}
input,select{padding:.4rem .5rem;border:1px solid #8c959f;border-radius:6px;background:#fff;min-height:2.5rem}
input[type=checkbox],input[type=radio]{min-height:0;width:1.1rem;height:1.1rem;margin:0}
button{padding:.45rem .9rem;border:1px solid #8c959f;border-radius:6px;background:#fff;cursor:pointer;min-height:2.5rem}
button.primary{background:var(--brand);border-color:var(--brand);color:#fff}
button:hover{filter:brightness(.95)}
button:disabled{opacity:.55;cursor:default}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend{font-size:.85rem;color:var(--muted);padding:0;margin-bottom:.2rem}
.row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end}
.check{flex-direction:row;align-items:center;gap:.35rem;color:var(--ink);font-size:.9rem}
.state{margin:0;padding:.6rem .8rem;border-radius:8px;background:var(--card);border:1px solid var(--line)}
.state.error{border-color:var(--full);background:#fdf1f0;color:#7d1a14}
.state.busy{color:var(--muted)}
.badge{display:inline-block;font-size:.78rem;font-weight:650;padding:.1rem .45rem;border-radius:999px;
border:1px solid currentColor;white-space:nowrap}
.s-available{color:var(--ok)}.s-full{color:var(--full)}.s-stale{color:var(--stale)}
.s-nodata,.s-closed{color:var(--none)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e4e8ec;vertical-align:top}
th{font-weight:650;color:var(--muted);font-size:.8rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
svg text{font-family:inherit}
@media (prefers-reduced-motion:no-preference){html{scroll-behavior:smooth}}
`;

/** Browser helpers both scripts start with (plain JavaScript). */
const CLIENT_HELPERS = `
const $ = (id) => document.getElementById(id);
const SVG_NS = 'http://www.w3.org/2000/svg';
function build(ns, tag, attrs, children) {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children || []) if (c !== null && c !== undefined) node.append(c);
  return node;
}
const el = (tag, attrs, ...children) => build(null, tag, attrs, children);
const sv = (tag, attrs, ...children) => build(SVG_NS, tag, attrs, children);
function fmtAge(s) {
  if (s === null || s === undefined) return 'never';
  if (s < 90) return Math.max(0, Math.round(s)) + ' s ago';
  if (s < 5400) return Math.round(s / 60) + ' min ago';
  if (s < 172800) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' days ago';
}
function fmtDistance(m) { return m < 1000 ? Math.round(m) + ' m' : Number((m / 1000).toFixed(m < 10000 ? 1 : 0)) + ' km'; }
function fmtPct(x, digits) { return x === null || x === undefined ? '–' : (x * 100).toFixed(digits || 0) + '%'; }
function fmtInt(n) { return n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-GB'); }
function fmtClock(iso) { return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' }); }
const STATUS_TEXT = { available: 'Free spaces', full: 'Full', stale: 'Old data', nodata: 'No data', closed: 'Closed' };
const FEATURE_TEXT = { ev: 'EV charging', accessible: 'Accessible', covered: 'Covered', '24h': 'Open 24 h', bicycle: 'Bicycles' };
const TYPE_TEXT = { garage: 'Multi-storey', surface: 'Surface car park', underground: 'Underground', on_street: 'On-street bays', park_and_ride: 'Park & ride' };
function badge(status) { return el('span', { class: 'badge s-' + status, text: STATUS_TEXT[status] || status }); }
/** Metres east/north of an origin (equirectangular; fine at city scale, wraps at the antimeridian). */
function offset(origin, p) {
  const dLon = ((p.lon - origin.lon + 540) % 360) - 180;
  return { x: dLon * 111320 * Math.cos(origin.lat * Math.PI / 180), y: (p.lat - origin.lat) * 111320 };
}
/** The detail of a problem+json answer, or a plain sentence. */
async function problemText(res) {
  try {
    const body = await res.json();
    const fields = (body.errors || []).map((e) => e.path + ' ' + e.message).join('; ');
    return (body.detail || body.title || 'error ' + res.status) + (fields ? ' (' + fields + ')' : '');
  } catch { return 'the service answered ' + res.status + ' ' + res.statusText; }
}
`;
