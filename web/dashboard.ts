// `/dashboard`: the city staff's view. Asks for a staff key (kept in sessionStorage for this tab,
// sent only in the Authorization header, never in a URL), then shows: every lot in a box around a
// centre on a map-like SVG plot coloured by occupancy (stale lots flagged) with the same lots as a
// sortable table; a lot's or zone's utilization over time (hour/day) with a CSV download; the
// weekday × hour heatmap; and the health list. Uses only the public API (CONTRACT §2, §4, §6).
import { type BuiltPage, buildPage } from './page';

const CSS = `
.alert:empty{display:none}
#app{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
.alert{margin:0;padding:.7rem .9rem;border-radius:8px;border:1px solid var(--full);background:#fdf1f0;color:#7d1a14;
font-weight:600}
#signin form{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end}
#signin input{min-width:min(26rem,100%)}
.hint{font-size:.85rem;color:var(--muted);margin:.5rem 0 0}
nav.sections{display:flex;flex-wrap:wrap;gap:.4rem 1rem;font-size:.95rem}
.note{font-size:.85rem;color:var(--muted);margin:.4rem 0}
.note.error{color:#7d1a14;font-weight:600}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.6rem;margin:.6rem 0}
.tile{border:1px solid var(--line);border-radius:8px;padding:.5rem .7rem;background:#fafbfc}
.tile b{display:block;font-size:1.35rem;font-variant-numeric:tabular-nums}
.tile span{font-size:.8rem;color:var(--muted)}
.city{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
@media(min-width:64rem){.city{grid-template-columns:minmax(0,5fr) minmax(0,7fr);align-items:start}}
#lots-table{font-size:.85rem}#lots-table th{white-space:nowrap}
@media(max-width:40rem){#lots-table th:nth-child(2),#lots-table td:nth-child(2){display:none}}#lots-table th,#lots-table td{padding:.3rem .4rem}
figure{margin:0}
#map{width:100%;height:auto;display:block;background:#f7f9fb;border:1px solid var(--line);border-radius:8px}
#map .lot{cursor:pointer}
#map .lot:hover{stroke:#000;stroke-width:2}
.legend{display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.8rem;color:var(--muted);margin-top:.4rem;align-items:center}
.legend i{display:inline-block;width:.8rem;height:.8rem;border-radius:50%;margin-right:.3rem;vertical-align:-.1rem;
background:var(--c);border:1.5px solid var(--b,transparent)}
.legend .o1{--c:#2e7d32}.legend .o2{--c:#f9a825}.legend .o3{--c:#ef6c00}.legend .o4{--c:#c62828}
.legend .st{--c:#c9ced3;--b:#222;border-style:dashed}.legend .nd{--c:#fff;--b:#5f6b76}.legend .cl{--c:#5f6b76}
/* positioned, so that visually hidden text inside is clipped with the rest */
.scroll{overflow:auto;max-height:34rem;border:1px solid var(--line);border-radius:8px;position:relative}
.scroll thead th{position:sticky;top:0;background:#fff;z-index:1}
th button{all:unset;cursor:pointer;color:inherit;font:inherit}
th button:focus-visible{outline:3px solid var(--focus)}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
td button.link{all:unset;cursor:pointer;color:#0b5cad;text-decoration:underline;font-weight:600}
td button.link:focus-visible{outline:3px solid var(--focus)}
.occ{display:flex;align-items:center;gap:.4rem;justify-content:flex-end}
.occ meter{width:3rem;height:.7rem}
.flag{font-size:.75rem;color:var(--full);font-weight:600;display:block}
#report{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end}
#report .check{min-height:2.5rem}
#report input[type=date]{min-width:9.5rem}
#report #tz{width:10rem}
#chart{width:100%;height:auto;display:block}
#chart .bar{fill:#2b6cb0}#chart .bar.over{fill:#b3261e}
#chart text{font-size:11px;fill:#4f5b66}
.summary{margin:.3rem 0 .6rem;font-size:.95rem}
details summary{cursor:pointer;color:#0b5cad;margin:.4rem 0}
.heat{overflow-x:auto;position:relative}
.heat table{font-size:.72rem;min-width:44rem;table-layout:fixed}
.heat th,.heat td{padding:.25rem 0;text-align:center;border:1px solid #fff}
.heat td{font-variant-numeric:tabular-nums;background:#eef1f4;color:#1b1f24}
.heat td.dark{color:#fff}
.heat caption{text-align:left;font-size:.85rem;color:var(--muted);margin-bottom:.3rem}
.ramp{display:inline-block;width:8rem;height:.7rem;border-radius:3px;background:linear-gradient(90deg,#eef4fb,#6baed6,#08306b);
vertical-align:-.1rem;margin:0 .3rem}
`;

const BODY = `
<a class="skip" href="#main">Skip to the content</a>
<header class="bar"><div class="wrap">
  <div><h1>Parking finder — staff dashboard</h1><p>Occupancy across the city, utilization, data health.</p></div>
  <nav aria-label="Other pages"><a href="/">Driver's page</a><a href="/docs">API</a>
    <button type="button" id="signout" hidden>Sign out</button></nav>
</div></header>
<main id="main" class="wrap">
  <noscript><p class="state error">This page needs JavaScript. The same figures are in the API: see /docs.</p></noscript>
  <p id="alert" class="alert" role="alert"></p>
  <section id="signin" class="card" aria-labelledby="signin-title">
    <h2 id="signin-title">Sign in</h2>
    <form id="signin-form" novalidate>
      <label for="key">Staff key</label>
      <input id="key" type="password" autocomplete="off" autocapitalize="off" spellcheck="false" required
        aria-describedby="key-hint">
      <button type="submit" id="signin-btn" class="primary">Sign in</button>
    </form>
    <p id="key-hint" class="hint">The key stays in this browser tab only (session storage, cleared when the tab
      closes) and is sent only in the Authorization header. <code>npm start</code> prints where the admin key is.</p>
  </section>
  <div id="app" hidden>
    <nav class="sections card" aria-label="Sections"><a href="#city">City overview</a><a href="#util">Utilization</a>
      <a href="#heat">Weekday × hour</a><a href="#health">Data health</a></nav>
    <section id="city" class="card" aria-labelledby="city-title">
      <h2 id="city-title">City overview</h2>
      <form id="area" class="row" novalidate>
        <label>Centre latitude <input id="clat" inputmode="decimal" value="52.4797" size="9"></label>
        <label>Centre longitude <input id="clon" inputmode="decimal" value="-1.9026" size="9"></label>
        <label>Area <select id="half">
          <option value="2">4 × 4 km</option><option value="5">10 × 10 km</option>
          <option value="10" selected>20 × 20 km</option><option value="20">40 × 40 km</option>
          <option value="35">70 × 70 km</option></select></label>
        <button type="submit">Show lots</button>
      </form>
      <p id="city-note" class="note" role="status"></p>
      <div id="totals" class="tiles"></div>
      <div class="city">
        <figure>
          <svg id="map" role="img" aria-labelledby="map-label"><title id="map-label">Map of the lots</title></svg>
          <figcaption class="legend" id="map-legend">
            <span><i class="o1"></i>under 50% full</span><span><i class="o2"></i>50–80%</span>
            <span><i class="o3"></i>80–95%</span><span><i class="o4"></i>95% or more</span>
            <span><i class="st"></i>stale (dashed, last known)</span><span><i class="nd"></i>no data</span>
            <span><i class="cl"></i>closed</span><span>Size: capacity. Select a lot for its utilization.</span>
          </figcaption>
        </figure>
        <div class="scroll" tabindex="0" role="region" aria-label="All lots as a table">
          <table id="lots-table"><caption class="vh">Every lot in the area, with its status and occupancy</caption>
            <thead><tr>
              <th scope="col" data-sort="name"><button type="button">Lot</button></th>
              <th scope="col" data-sort="zone"><button type="button">Zone</button></th>
              <th scope="col" data-sort="status"><button type="button">Status</button></th>
              <th scope="col" class="num" data-sort="occupancy"><button type="button">Occupancy</button></th>
              <th scope="col" class="num" data-sort="free"><button type="button">Free / capacity</button></th>
              <th scope="col" class="num" data-sort="age"><button type="button">Updated</button></th>
            </tr></thead><tbody></tbody></table>
        </div>
      </div>
    </section>
    <section id="util" class="card" aria-labelledby="util-title">
      <h2 id="util-title" tabindex="-1">Utilization over time</h2>
      <form id="report" novalidate>
        <fieldset class="row"><legend>Show</legend>
          <label class="check"><input type="radio" name="scope" value="lot" checked> one lot</label>
          <label class="check"><input type="radio" name="scope" value="zone"> a zone</label>
        </fieldset>
        <label id="lot-label">Lot <select id="lot"></select></label>
        <label id="zone-label" hidden>Zone <select id="zone"></select></label>
        <label>From <input type="date" id="from" required></label>
        <label>To (inclusive) <input type="date" id="to" required></label>
        <label>Buckets <select id="bucket"><option value="hour">hours</option><option value="day">days</option></select></label>
        <label>Time zone <input id="tz" placeholder="the lots' own" autocomplete="off" spellcheck="false"></label>
        <button type="submit" class="primary">Show</button>
        <button type="button" id="csv">Download CSV</button>
      </form>
      <p id="util-note" class="note" role="status"></p>
      <p id="util-summary" class="summary"></p>
      <figure>
        <svg id="chart" viewBox="0 0 960 300" role="img" aria-labelledby="chart-label"><title id="chart-label">Utilization chart</title></svg>
        <figcaption class="note">Bars: time-weighted mean utilization of each bucket (occupied ÷ capacity; red at 100% or
          more). The strip under the axis shows coverage: the darker, the more of the bucket had live data.</figcaption>
      </figure>
      <details><summary>The figures as a table</summary><div class="scroll"><table id="util-table"></table></div></details>
    </section>
    <section id="heat" class="card" aria-labelledby="heat-title">
      <h2 id="heat-title">Weekday × hour</h2>
      <p class="note">Mean utilization by local weekday and hour over the same range and lot or zone.
        0%<span class="ramp" aria-hidden="true"></span>100%; “·” where there was no data.</p>
      <p id="heat-note" class="note" role="status"></p>
      <div class="heat"><table id="heatmap"></table></div>
    </section>
    <section id="health" class="card" aria-labelledby="health-title">
      <h2 id="health-title">Data health</h2>
      <p id="health-note" class="note" role="status"></p>
      <div class="scroll"><table id="health-table"></table></div>
    </section>
  </div>
</main>`;

const SCRIPT = `
const KEY_STORE = 'parking.staffKey';
const DAY_MS = 86400000;
let key = sessionStorage.getItem(KEY_STORE);
let lots = [];
let sort = { col: 'occupancy', dir: -1 };
let cityTimer = 0;
let reportSeq = 0;
let pickersReady = false;

class AuthError extends Error {}

function alertBox(text) { $('alert').textContent = text || ''; }
function note(id, text, error) { $(id).textContent = text; $(id).classList.toggle('error', !!error); }

async function api(path, accept) {
  let res;
  try {
    res = await fetch(path, { headers: { authorization: 'Bearer ' + key, accept: accept || 'application/json' } });
  } catch {
    throw new Error('the service cannot be reached; check that it is running and try again');
  }
  if (res.status === 401 || res.status === 403 || res.status === 429) {
    const detail = await problemText(res);
    const text = res.status === 401
      ? 'The service did not accept this staff key (401 Unauthorized: ' + detail + '). Sign in with a valid key.'
      : res.status === 403
        ? 'This key is valid but is not a staff key (403 Forbidden: ' + detail + '). Sign in with a staff key.'
        : 'Too many failed sign-ins from here (429). Try again in ' + (res.headers.get('retry-after') || 'a few') + ' s.';
    signOut(text);
    throw new AuthError(text);
  }
  if (!res.ok) throw new Error(await problemText(res));
  return accept === 'text/csv' ? res.blob() : res.json();
}

function signOut(text) {
  key = null;
  sessionStorage.removeItem(KEY_STORE);
  clearInterval(cityTimer);
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signout').hidden = true;
  alertBox(text);
  $('key').focus();
}

function start() {
  alertBox('');
  $('signin').hidden = true;
  $('app').hidden = false;
  $('signout').hidden = false;
  loadCity().then(() => { if (key && pickersReady) loadReport(); });
  loadHealth();
  clearInterval(cityTimer);
  cityTimer = setInterval(() => { if (!document.hidden && key) { loadCity(); loadHealth(); } }, 60000);
}

$('signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const candidate = $('key').value.trim();
  if (!candidate) { alertBox('Enter a staff key to sign in.'); $('key').focus(); return; }
  key = candidate;
  $('signin-btn').disabled = true;
  try {
    await api('/v1/reports/health');
  } catch (err) {
    if (!(err instanceof AuthError)) { key = null; alertBox('Could not sign in: ' + err.message + '.'); }
    return;
  } finally {
    $('signin-btn').disabled = false;
  }
  sessionStorage.setItem(KEY_STORE, key);
  $('key').value = '';
  start();
});
$('signout').addEventListener('click', () => signOut(''));

// ---- city overview -------------------------------------------------------------------------
function occClass(o) { return o === null || o === undefined ? 0 : o < 0.5 ? 1 : o < 0.8 ? 2 : o < 0.95 ? 3 : 4; }
const OCC_COLOUR = ['#ffffff', '#2e7d32', '#f9a825', '#ef6c00', '#c62828'];
const OCC_TEXT = ['no figure', 'under 50% full', '50–80% full', '80–95% full', '95% or more full'];

async function loadCity() {
  const lat = Number($('clat').value), lon = Number($('clon').value), half = Number($('half').value);
  if (!(Math.abs(lat) <= 85) || !(Math.abs(lon) <= 180) || $('clat').value === '' || $('clon').value === '') {
    note('city-note', 'Type the centre as a latitude (−85 to 85) and a longitude (−180 to 180).', true);
    return;
  }
  const dLat = half * 1000 / 111320, dLon = half * 1000 / (111320 * Math.cos(lat * Math.PI / 180));
  const wrap = (x) => ((x + 540) % 360) - 180;
  const bbox = [wrap(lon - dLon), lat - dLat, wrap(lon + dLon), lat + dLat].map((v) => v.toFixed(5)).join(',');
  if (!lots.length) note('city-note', 'Loading the lots…');
  let body;
  try {
    body = await api('/v1/lots?bbox=' + bbox + '&limit=1000');
  } catch (err) {
    if (!(err instanceof AuthError)) note('city-note', 'Could not load the lots: ' + err.message + '.', true);
    return;
  }
  lots = body.lots;
  const centre = { lat, lon };
  renderTotals();
  renderMap(centre, half);
  renderTable();
  fillPickers();
  note('city-note', lots.length + ' lots within ' + (2 * half) + ' × ' + (2 * half) + ' km of the centre' +
    (lots.length >= 1000 ? ' (the first 1,000: choose a smaller area)' : '') + '. Updated ' +
    fmtClock(new Date().toISOString()) + '; refreshes every minute.');
  performance.mark('parking:city');
}

function renderTotals() {
  const count = (s) => lots.filter((l) => l.status === s).length;
  const live = lots.filter((l) => l.status === 'available' || l.status === 'full');
  const cap = live.reduce((s, l) => s + l.capacity, 0);
  const occ = live.reduce((s, l) => s + (l.occupied || 0), 0);
  const attention = count('stale') + count('nodata');
  const tile = (value, label) => el('div', { class: 'tile' }, el('b', { text: value }), el('span', { text: label }));
  $('totals').replaceChildren(
    tile(fmtInt(lots.length), 'lots (' + count('available') + ' with space, ' + count('full') + ' full, ' + count('closed') + ' closed)'),
    tile(cap ? fmtPct(occ / cap) : '–', 'occupied across lots with live data'),
    tile(fmtInt(cap - occ), 'free spaces of ' + fmtInt(cap) + ' with live data'),
    tile(fmtInt(attention), 'need attention (' + count('stale') + ' stale, ' + count('nodata') + ' never reported)'));
}

function renderMap(centre, half) {
  const map = $('map');
  const title = map.querySelector('title');
  map.replaceChildren(title);
  const pts = lots.map((l) => offset(centre, l.location));
  const xs = pts.map((p) => p.x).concat([0]), ys = pts.map((p) => p.y).concat([0]);
  let minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
  const span = Math.max(maxX - minX, maxY - minY, 1000);
  const pad = span * 0.06;
  minX -= pad; maxX += pad; minY -= pad; maxY += pad;
  if (maxX - minX < span * 0.5) { const c = (minX + maxX) / 2; minX = c - span * 0.25; maxX = c + span * 0.25; }
  let s = 640 / (maxX - minX);
  if ((maxY - minY) * s > 640) s = 640 / (maxY - minY);
  const W = (maxX - minX) * s, H = Math.max(240, (maxY - minY) * s);
  map.setAttribute('viewBox', '0 0 ' + W.toFixed(0) + ' ' + H.toFixed(0));
  const X = (x) => (x - minX) * s, Y = (y) => H - (y - minY) * s;
  // Grid: a round step giving at most ~10 lines.
  const step = [250, 500, 1000, 2000, 5000, 10000, 20000].find((st) => (maxX - minX) / st <= 10) || 50000;
  const grid = sv('g', { stroke: '#e3e8ed', 'stroke-width': 1 });
  for (let gx = Math.ceil(minX / step) * step; gx <= maxX; gx += step) grid.append(sv('line', { x1: X(gx), x2: X(gx), y1: 0, y2: H }));
  for (let gy = Math.ceil(minY / step) * step; gy <= maxY; gy += step) grid.append(sv('line', { y1: Y(gy), y2: Y(gy), x1: 0, x2: W }));
  map.append(grid);
  map.append(
    sv('path', { d: 'M' + (X(0) - 6) + ' ' + Y(0) + 'h12M' + X(0) + ' ' + (Y(0) - 6) + 'v12', stroke: '#0b3d5c', 'stroke-width': 2 }),
    sv('text', { x: X(0) + 5, y: Y(0) + 14, 'font-size': 11, fill: '#0b3d5c', text: 'centre' }),
    sv('text', { x: 8, y: 16, 'font-size': 12, 'font-weight': 700, fill: '#4f5b66', text: 'N ↑' }),
    sv('path', { d: 'M10 ' + (H - 12) + 'h' + (step * s) + 'M10 ' + (H - 16) + 'v8M' + (10 + step * s) + ' ' + (H - 16) + 'v8', stroke: '#4f5b66', 'stroke-width': 1.5 }),
    sv('text', { x: 12, y: H - 18, 'font-size': 11, fill: '#4f5b66', text: fmtDistance(step) + ' (grid)' }));
  const maxCap = Math.max(1, ...lots.map((l) => l.capacity));
  const order = lots.map((l, i) => i).sort((a, b) => lots[b].capacity - lots[a].capacity); // small on top
  for (const i of order) {
    const l = lots[i];
    const r = 3.5 + 8 * Math.sqrt(l.capacity / maxCap);
    const c = occClass(l.occupancy);
    const attrs = { class: 'lot', 'data-id': l.id, 'data-status': l.status, cx: X(pts[i].x).toFixed(1), cy: Y(pts[i].y).toFixed(1), r: r.toFixed(1),
      fill: OCC_COLOUR[c], stroke: '#fff', 'stroke-width': 1 };
    if (l.status === 'stale') Object.assign(attrs, { 'fill-opacity': 0.45, stroke: '#222', 'stroke-width': 1.6, 'stroke-dasharray': '3 2' });
    if (l.status === 'nodata') Object.assign(attrs, { fill: '#fff', stroke: '#5f6b76', 'stroke-width': 1.6 });
    if (l.status === 'closed') Object.assign(attrs, { fill: '#5f6b76', stroke: '#fff' });
    const dot = sv('circle', attrs, sv('title', { text: describe(l) }));
    dot.addEventListener('click', () => pickLot(l.id));
    map.append(dot);
  }
  const stale = lots.filter((l) => l.status === 'stale').length;
  title.textContent = 'Map of ' + lots.length + ' lots around the centre, coloured by occupancy; ' + stale +
    ' stale lots drawn dashed. The table next to it lists the same lots.';
}

function describe(l) {
  const parts = [l.name + ' (' + l.id + ')', STATUS_TEXT[l.status] || l.status];
  if (l.occupancy !== null) parts.push(fmtPct(l.occupancy) + ' full, ' + fmtInt(l.free) + ' of ' + fmtInt(l.capacity) + ' free');
  parts.push('updated ' + fmtAge(l.dataAge));
  if (l.flags.length) parts.push('flags: ' + l.flags.join(', '));
  return parts.join(' · ');
}

const STATUS_ORDER = { full: 0, available: 1, stale: 2, nodata: 3, closed: 4 };
const SORT_KEY = {
  name: (l) => l.name.toLowerCase(),
  zone: (l) => l.zone,
  status: (l) => STATUS_ORDER[l.status],
  // Live figures first: a stale lot's last known occupancy sorts after every live one.
  occupancy: (l) => (l.status === 'available' || l.status === 'full' ? l.occupancy : null),
  free: (l) => (l.status === 'available' || l.status === 'full' ? l.free : null),
  age: (l) => l.dataAge,
};

function renderTable() {
  const k = SORT_KEY[sort.col];
  const rows = lots.slice().sort((a, b) => {
    const va = k(a), vb = k(b);
    if (va === vb) return a.name < b.name ? -1 : 1;
    if (va === null || va === undefined) return 1;
    if (vb === null || vb === undefined) return -1;
    return (va < vb ? -1 : 1) * sort.dir;
  });
  for (const th of document.querySelectorAll('#lots-table th')) {
    th.setAttribute('aria-sort', th.dataset.sort === sort.col ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
  }
  $('lots-table').tBodies[0].replaceChildren(...rows.map((l) => el('tr', { 'data-id': l.id, 'data-status': l.status },
    el('td', {}, el('button', { type: 'button', class: 'link', text: l.name, title: 'Utilization of ' + l.name, onclick: () => pickLot(l.id) })),
    el('td', { text: l.zone || '–' }),
    el('td', {}, badge(l.status), ...l.flags.map((f) => el('span', { class: 'flag', text: f.replace('_', ' ') }))),
    el('td', { class: 'num' }, el('span', { class: 'occ' },
      l.occupancy === null ? '–' : el('meter', { min: 0, max: 1, low: 0.8, high: 0.95, optimum: 0.3, value: Math.min(1, l.occupancy), 'aria-hidden': 'true' }),
      el('span', { text: fmtPct(l.occupancy) }))),
    el('td', { class: 'num', text: l.free === null ? '– / ' + fmtInt(l.capacity) : fmtInt(l.free) + ' / ' + fmtInt(l.capacity) }),
    el('td', { class: 'num', text: fmtAge(l.dataAge) }))));
}
for (const th of document.querySelectorAll('#lots-table th')) {
  th.querySelector('button').addEventListener('click', () => {
    const col = th.dataset.sort;
    sort = { col, dir: sort.col === col ? -sort.dir : col === 'name' || col === 'zone' ? 1 : -1 };
    renderTable();
  });
}
$('area').addEventListener('submit', (e) => { e.preventDefault(); lots = []; loadCity(); });

// ---- utilization and heatmap --------------------------------------------------------------
function isoDate(d) {
  return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
}
function addDays(date, n) { return new Date(Date.parse(date + 'T00:00:00Z') + n * DAY_MS).toISOString().slice(0, 10); }
function dayLabel(date, withYear) {
  return new Date(date + 'T12:00:00Z').toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'short', day: 'numeric',
    month: 'short', year: withYear ? 'numeric' : undefined });
}
function localTime(iso, tz) {
  return new Date(iso).toLocaleString('en-GB', { timeZone: tz, weekday: 'short', day: 'numeric', month: 'short',
    hour: '2-digit', minute: '2-digit' });
}

function fillPickers() {
  const lotSel = $('lot'), zoneSel = $('zone');
  const keepLot = lotSel.value, keepZone = zoneSel.value;
  const byName = lots.slice().sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  lotSel.replaceChildren(...byName.map((l) => el('option', { value: l.id, text: l.name + ' (' + l.id + ')' })));
  const zones = new Map();
  for (const l of lots) if (l.zone) zones.set(l.zone, (zones.get(l.zone) || 0) + 1);
  const zoneList = [...zones].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  zoneSel.replaceChildren(...zoneList.map(([z, n]) => el('option', { value: z, text: z + ' (' + n + ' lots)' })));
  document.querySelector('input[name=scope][value=zone]').disabled = zoneList.length === 0;
  if (keepLot && lots.some((l) => l.id === keepLot)) lotSel.value = keepLot;
  if (keepZone && zones.has(keepZone)) zoneSel.value = keepZone;
  if (!pickersReady) {
    pickersReady = true;
    const today = new Date();
    $('to').value = isoDate(today);
    $('from').value = addDays(isoDate(today), -6);
    if (zoneList.length) setScope('zone');
    else if (byName.length) {
      const busiest = lots.filter((l) => l.occupancy !== null).sort((a, b) => b.occupancy - a.occupancy)[0];
      if (busiest) lotSel.value = busiest.id;
    }
  }
}

function setScope(scope) {
  document.querySelector('input[name=scope][value=' + scope + ']').checked = true;
  $('lot-label').hidden = scope !== 'lot';
  $('zone-label').hidden = scope !== 'zone';
}
for (const r of document.querySelectorAll('input[name=scope]')) r.addEventListener('change', () => setScope(r.value));

function pickLot(id) {
  setScope('lot');
  $('lot').value = id;
  loadReport();
  $('util').scrollIntoView();
  $('util-title').focus({ preventScroll: true });
}

function reportSpec() {
  const scope = document.querySelector('input[name=scope]:checked').value;
  const from = $('from').value, last = $('to').value, bucket = $('bucket').value, tz = $('tz').value.trim();
  const which = scope === 'lot' ? $('lot').value : $('zone').value;
  if (!which) throw new Error('Choose a ' + scope + ' first.');
  if (!from || !last) throw new Error('Choose the first and last day.');
  if (last < from) throw new Error('The last day comes before the first.');
  const to = addDays(last, 1);
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  if (bucket === 'hour' && days > 31) throw new Error('Hourly figures cover at most 31 days: choose days or a shorter range.');
  if (days > 366) throw new Error('Reports cover at most 366 days.');
  const q = new URLSearchParams({ from, to });
  q.set(scope === 'lot' ? 'lotId' : 'zone', which);
  if (tz) q.set('tz', tz);
  const heat = new URLSearchParams(q);
  q.set('bucket', bucket);
  const lot = lots.find((l) => l.id === which);
  const name = scope === 'lot' ? (lot ? lot.name + ' (' + which + ')' : which) : 'zone ' + which;
  return { q, heat, name, which, from, last, bucket };
}

async function loadReport() {
  let spec;
  try { spec = reportSpec(); } catch (err) { note('util-note', err.message, true); return; }
  const seq = ++reportSeq;
  note('util-note', 'Loading ' + spec.name + '…');
  note('heat-note', 'Loading…');
  const [util, heat] = await Promise.allSettled([
    api('/v1/reports/utilization?' + spec.q), api('/v1/reports/heatmap?' + spec.heat)]);
  if (seq !== reportSeq || !key) return;
  if (util.status === 'fulfilled') { renderChart(util.value, spec); note('util-note', ''); }
  else {
    $('util-summary').textContent = '';
    clearChart('No figures');
    drawn = null;
    if (!(util.reason instanceof AuthError)) note('util-note', 'Could not load the utilization of ' + spec.name + ': ' + util.reason.message + '.', true);
  }
  if (heat.status === 'fulfilled') { renderHeatmap(heat.value, spec); note('heat-note', ''); }
  else if (!(heat.reason instanceof AuthError)) note('heat-note', 'Could not load the heatmap: ' + heat.reason.message + '.', true);
}
$('report').addEventListener('submit', (e) => { e.preventDefault(); loadReport(); });

function clearChart(label) {
  const chart = $('chart');
  chart.replaceChildren(chart.querySelector('title'));
  chart.querySelector('title').textContent = label;
  $('util-table').replaceChildren();
}

let drawn = null; // the chart on screen, redrawn to fit when the window is resized
let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { if (drawn) renderChart(drawn.body, drawn.spec); }, 150);
});

function renderChart(body, spec) {
  const rows = body.rows;
  clearChart('');
  drawn = { body, spec };
  const chart = $('chart');
  // One SVG unit per CSS pixel (960 at most), so that the text stays legible on a phone.
  const W = Math.round(Math.min(960, Math.max(320, chart.getBoundingClientRect().width || 960)));
  const H = W < 600 ? 240 : 300;
  chart.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  const L = 44, R = 10, T = 14, B = 50, pw = W - L - R, ph = H - T - B;
  const n = Math.max(rows.length, 1), bw = pw / n;
  const maxU = Math.max(1, ...rows.map((r) => r.utilization || 0));
  const yMax = Math.ceil(maxU * 4) / 4;
  const Y = (u) => T + ph - (Math.min(u, yMax) / yMax) * ph;
  const axis = sv('g', {});
  for (let u = 0; u <= yMax + 1e-9; u += 0.25) {
    axis.append(sv('line', { x1: L, x2: W - R, y1: Y(u), y2: Y(u), stroke: u === 1 ? '#8c959f' : '#e3e8ed',
      'stroke-dasharray': u === 1 && yMax > 1 ? '4 3' : null }));
    axis.append(sv('text', { x: L - 6, y: Y(u) + 4, 'text-anchor': 'end', text: Math.round(u * 100) + '%' }));
  }
  chart.append(axis);
  const bars = sv('g', {}), strip = sv('g', {}), labels = sv('g', {});
  const gap = bw > 4 ? 1 : 0;
  const every = spec.bucket === 'day' ? Math.ceil(n / Math.max(2, Math.floor(pw / 80))) : 0;
  let lastDay = '';
  let dayIndex = -1;
  const dayStep = Math.max(1, Math.ceil(70 / (bw * 24))); // label every day, or every 2nd, 3rd… on narrow screens
  rows.forEach((r, i) => {
    const x = L + i * bw;
    const date = r.start.slice(0, 10), hour = r.start.slice(11, 16);
    const span = spec.bucket === 'hour' ? dayLabel(date) + ' ' + hour + '–' + r.end.slice(11, 16) : dayLabel(date, true);
    const tip = span + ': ' + (r.utilization === null ? 'no data' : fmtPct(r.utilization, 1) + ' utilization, on average ' +
      fmtInt(r.avgOccupied) + ' occupied, peak ' + fmtInt(r.peakOccupied)) + '; coverage ' + fmtPct(r.coverage) + ', ' +
      r.observations + ' observations';
    if (r.utilization !== null) {
      bars.append(sv('rect', { class: 'bar' + (r.utilization >= 1 ? ' over' : ''), x: (x + gap).toFixed(2),
        width: Math.max(bw - 2 * gap, 0.6).toFixed(2), y: Y(r.utilization).toFixed(2),
        height: (T + ph - Y(r.utilization)).toFixed(2), 'data-start': r.start }, sv('title', { text: tip })));
    }
    if (r.coverage > 0) {
      strip.append(sv('rect', { x: x.toFixed(2), width: bw.toFixed(2), y: T + ph + 4, height: 7, fill: '#4f5b66',
        'fill-opacity': Math.min(1, r.coverage).toFixed(2) }, sv('title', { text: tip })));
    }
    const newDay = date !== lastDay;
    if (newDay) dayIndex++;
    lastDay = date;
    if (spec.bucket === 'hour' ? newDay : i % every === 0) {
      labels.append(sv('line', { x1: x, x2: x, y1: T + ph, y2: T + ph + 16, stroke: '#8c959f' }));
      if (spec.bucket === 'day' || dayIndex % dayStep === 0) labels.append(sv('text', { x: x + 3, y: T + ph + 27, text: dayLabel(date) }));
    } else if (spec.bucket === 'hour' && bw * 12 >= 80 && hour === '12:00') {
      labels.append(sv('text', { x: x, y: T + ph + 27, 'text-anchor': 'middle', 'font-size': 9, text: '12:00' }));
    }
  });
  chart.append(bars, strip, labels);
  chart.append(sv('text', { x: L, y: H - 6, text: 'coverage ▲ · times in ' + body.tz }));
  // Summary and the table.
  let wu = 0, wc = 0, wall = 0, obs = 0, peak = null;
  for (const r of rows) {
    const dur = Date.parse(r.end) - Date.parse(r.start);
    wall += dur; wc += r.coverage * dur; obs += r.observations;
    if (r.utilization !== null) wu += r.utilization * r.coverage * dur;
    if (r.peakOccupied !== null && (!peak || r.peakOccupied > peak.peakOccupied)) peak = r;
  }
  const range = dayLabel(spec.from, true) + (spec.last !== spec.from ? ' – ' + dayLabel(spec.last, true) : '');
  const what = spec.name + ', ' + (spec.bucket === 'hour' ? 'hourly' : 'daily') + ', ' + range + ' (' + body.tz + ')';
  $('util-summary').textContent = wc === 0
    ? what + ': no data in this range (coverage 0 in every bucket).'
    : what + ': mean utilization ' + fmtPct(wu / wc, 1) + '; highest ' + fmtInt(peak.peakOccupied) + ' occupied' +
      (peak.peakAt ? ' at ' + localTime(peak.peakAt, body.tz) : '') + '; data coverage ' + fmtPct(wc / wall) + '; ' +
      fmtInt(obs) + ' observations.';
  chart.querySelector('title').textContent = 'Utilization of ' + what + ', one bar per ' + spec.bucket +
    '. ' + $('util-summary').textContent.slice(what.length + 2) + ' The table below has every figure.';
  const head = ['Start', 'Utilization', 'Avg occupied', 'Peak', 'Peak at', 'Min', 'Time full', 'Coverage', 'Observations', 'Flags'];
  $('util-table').replaceChildren(
    el('caption', { class: 'vh', text: 'Utilization of ' + what }),
    el('thead', {}, el('tr', {}, ...head.map((h, i) => el('th', { scope: 'col', class: i > 0 && i < 9 && i !== 4 ? 'num' : null, text: h })))),
    el('tbody', {}, ...rows.map((r) => el('tr', {},
      el('th', { scope: 'row', text: r.start.slice(0, 16).replace('T', ' ') }),
      el('td', { class: 'num', text: fmtPct(r.utilization, 1) }),
      el('td', { class: 'num', text: r.avgOccupied === null ? '–' : r.avgOccupied.toFixed(1) }),
      el('td', { class: 'num', text: fmtInt(r.peakOccupied) }),
      el('td', { text: r.peakAt ? localTime(r.peakAt, body.tz) : '–' }),
      el('td', { class: 'num', text: fmtInt(r.minOccupied) }),
      el('td', { class: 'num', text: fmtPct(r.timeFull) }),
      el('td', { class: 'num', text: fmtPct(r.coverage) }),
      el('td', { class: 'num', text: String(r.observations) }),
      el('td', { text: r.flags.join(', ') })))));
  performance.mark('parking:chart');
}

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
function heatColour(u) {
  const stops = [[0, [238, 244, 251]], [0.5, [107, 174, 214]], [1, [8, 48, 107]]];
  const t = Math.max(0, Math.min(1, u));
  const [a, b] = t <= 0.5 ? [stops[0], stops[1]] : [stops[1], stops[2]];
  const f = (t - a[0]) / (b[0] - a[0]);
  return 'rgb(' + a[1].map((v, i) => Math.round(v + (b[1][i] - v) * f)).join(',') + ')';
}
function renderHeatmap(body, spec) {
  const cell = new Map(body.cells.map((c) => [c.weekday + ':' + c.hour, c]));
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  const range = dayLabel(spec.from, true) + (spec.last !== spec.from ? ' – ' + dayLabel(spec.last, true) : '');
  $('heatmap').replaceChildren(
    el('caption', { text: 'Mean utilization of ' + spec.name + ' by weekday and hour, ' + range + ' (' + body.tz + ')' }),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Day' }), ...hours.map((h) => el('th', { scope: 'col', text: h, title: h + ':00' })))),
    el('tbody', {}, ...DAYS.map((day, d) => el('tr', {}, el('th', { scope: 'row', text: day.slice(0, 3), title: day }),
      ...hours.map((h, hour) => {
        const c = cell.get((d + 1) + ':' + hour);
        const u = c ? c.utilization : null;
        const label = day + ' ' + h + ':00–' + String(hour + 1).padStart(2, '0') + ':00: ' +
          (u === null ? 'no data' : fmtPct(u) + ' mean utilization, coverage ' + fmtPct(c.coverage));
        const td = el('td', { title: label, 'data-u': u === null ? '' : u, text: u === null ? '·' : String(Math.round(u * 100)) },
          el('span', { class: 'vh', text: ' ' + label }));
        if (u !== null) { td.style.background = heatColour(u); if (u > 0.55) td.classList.add('dark'); }
        return td;
      })))));
}

$('csv').addEventListener('click', async () => {
  let spec;
  try { spec = reportSpec(); } catch (err) { note('util-note', err.message, true); return; }
  $('csv').disabled = true;
  note('util-note', 'Preparing the CSV of ' + spec.name + '…');
  try {
    const blob = await api('/v1/reports/utilization?' + spec.q, 'text/csv');
    const url = URL.createObjectURL(blob);
    const a = el('a', { href: url, download: 'utilization-' + spec.which + '-' + spec.from + '-to-' + spec.last + '-' + spec.bucket + '.csv' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
    note('util-note', 'Downloaded the CSV of ' + spec.name + ' (' + fmtInt(blob.size) + ' bytes).');
  } catch (err) {
    if (!(err instanceof AuthError)) note('util-note', 'Could not download the CSV: ' + err.message + '.', true);
  } finally {
    $('csv').disabled = false;
  }
});

// ---- health -------------------------------------------------------------------------------
async function loadHealth() {
  let body;
  try { body = await api('/v1/reports/health'); } catch (err) {
    if (!(err instanceof AuthError)) note('health-note', 'Could not load the health list: ' + err.message + '.', true);
    return;
  }
  const list = body.lots;
  $('health-title').textContent = 'Data health: ' + (list.length === 0 ? 'every lot reports' : list.length + (list.length === 1 ? ' lot needs' : ' lots need') + ' attention');
  note('health-note', list.length === 0 ? 'Every lot has fresh data.' : 'Lots whose data is stale or that never reported, never-reported first.');
  $('health-table').replaceChildren(...(list.length === 0 ? [] : [
    el('thead', {}, el('tr', {}, ...['Lot', 'Status', 'Last observation', 'Data age'].map((h, i) => el('th', { scope: 'col', class: i === 3 ? 'num' : null, text: h })))),
    el('tbody', {}, ...list.map((l) => el('tr', { 'data-id': l.id },
      el('td', {}, el('button', { type: 'button', class: 'link', text: l.name, onclick: () => pickLot(l.id) }), el('span', { class: 'vh', text: ' (' + l.id + ')' })),
      el('td', {}, badge(l.status)),
      el('td', { text: l.observedAt ? new Date(l.observedAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : 'never' }),
      el('td', { class: 'num', text: fmtAge(l.dataAge) }))))]));
}

if (key) start();
else $('key').focus();
`;

let built: BuiltPage | undefined;

export function dashboardPage(): BuiltPage {
  built ??= buildPage({
    title: 'Parking finder — staff dashboard',
    description: 'Occupancy across the city, utilization over time and data health, for city staff.',
    css: CSS,
    body: BODY,
    script: SCRIPT,
  });
  return built;
}
