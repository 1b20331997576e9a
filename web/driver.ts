// `/`: the driver's finder. The browser's location (or a typed point, or the city centre) →
// GET /v1/lots/nearby → a map-like SVG plot around the point and the ranked list, numbered alike.
// Refreshes every 30 s while the tab is visible. Clear states for "no car parks nearby",
// "location denied" and "service unreachable". Phone first: the plot is compact and comes first.
import { type BuiltPage, buildPage } from './page';

const CSS = `
.search{display:grid;gap:.7rem}
.where{display:flex;flex-wrap:wrap;gap:.5rem}
.where button{flex:1 1 12rem}
.point input{width:8.5rem}
#typed summary{cursor:pointer;color:#0b5cad;font-size:.95rem}
#typed .point{margin-top:.4rem}
.filters{display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end}
.features{display:flex;flex-wrap:wrap;gap:.3rem .9rem}
.statebar{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.statebar .state{flex:1 1 16rem}
#results{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
#results.outdated{opacity:.6}
@media(min-width:52rem){#results{grid-template-columns:minmax(0,5fr) minmax(0,6fr);align-items:start}
#plotcard{position:sticky;top:1rem}}
figure{margin:0}
#plot{width:100%;height:auto;max-height:70vh;display:block;touch-action:manipulation}
#plot .m circle{stroke:#fff;stroke-width:1.2}
#plot .m.sel circle{stroke:#111;stroke-width:2.4}
#plot .m text{font-size:7px;font-weight:700;fill:#fff;text-anchor:middle;dominant-baseline:central;pointer-events:none}
#plot .m{cursor:pointer}
.legend{display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.8rem;color:var(--muted);margin-top:.4rem}
.legend span::before{content:"";display:inline-block;width:.7rem;height:.7rem;border-radius:50%;margin-right:.3rem;
vertical-align:-.05rem;background:var(--c)}
.legend .l-ok{--c:var(--ok)}.legend .l-full{--c:var(--full)}.legend .l-stale{--c:var(--stale)}
ol.lots{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
ol.lots li{display:grid;grid-template-columns:2rem 1fr;gap:.1rem .6rem;background:var(--card);border:1px solid var(--line);
border-left:6px solid var(--c,var(--none));border-radius:8px;padding:.55rem .7rem}
ol.lots li.sel{box-shadow:0 0 0 3px #1a73e855}
ol.lots li.s-available{--c:var(--ok)}ol.lots li.s-full{--c:var(--full)}ol.lots li.s-stale{--c:var(--stale)}
ol.lots li{color:var(--ink)}
.rank{grid-row:span 3;width:1.7rem;height:1.7rem;border-radius:50%;background:var(--c,var(--none));color:#fff;font-weight:700;
display:flex;align-items:center;justify-content:center;font-size:.85rem}
.top{display:flex;justify-content:space-between;gap:.5rem;align-items:baseline;flex-wrap:wrap}
.free{margin:0;font-size:.95rem}.free strong{font-size:1.25rem}
.meta{margin:0;font-size:.84rem;color:var(--muted)}
.meta a{white-space:nowrap}
.empty{color:var(--muted);margin:0}
`;

const BODY = `
<a class="skip" href="#results">Skip to the results</a>
<header class="bar"><div class="wrap">
  <div><h1>Parking finder</h1><p>Free car park spaces near you, live.</p></div>
  <nav aria-label="Other pages"><a href="/dashboard">Staff dashboard</a><a href="/docs">API</a></nav>
</div></header>
<main class="wrap">
  <noscript><p class="state error">This page needs JavaScript. The same figures are in the API: see /docs.</p></noscript>
  <form id="search" class="card search" novalidate aria-labelledby="search-title">
    <h2 id="search-title">Where do you want to park?</h2>
    <div class="where">
      <button type="button" id="locate" class="primary">Use my location</button>
      <button type="button" id="centre">Birmingham city centre</button>
    </div>
    <details id="typed">
      <summary>Or type a point</summary>
      <fieldset class="row point">
        <legend class="vh">A point in decimal degrees</legend>
        <label>Latitude <input id="lat" inputmode="decimal" autocomplete="off" placeholder="52.4797"></label>
        <label>Longitude <input id="lon" inputmode="decimal" autocomplete="off" placeholder="-1.9026"></label>
        <button type="submit">Search here</button>
      </fieldset>
    </details>
    <div class="filters">
      <label>Within <select id="radius">
        <option value="250">250 m</option><option value="500">500 m</option><option value="1000" selected>1 km</option>
        <option value="2000">2 km</option><option value="5000">5 km</option><option value="10000">10 km</option>
      </select></label>
      <label>Free spaces, at least <select id="minFree">
        <option>1</option><option>5</option><option>10</option><option>20</option><option>50</option>
      </select></label>
      <fieldset class="features"><legend>Must have</legend>
        <label class="check"><input type="checkbox" name="feature" value="ev"> EV charging</label>
        <label class="check"><input type="checkbox" name="feature" value="accessible"> Accessible</label>
        <label class="check"><input type="checkbox" name="feature" value="covered"> Covered</label>
        <label class="check"><input type="checkbox" name="feature" value="24h"> Open 24 h</label>
      </fieldset>
      <label class="check"><input type="checkbox" id="stale"> Include car parks with old data</label>
    </div>
  </form>
  <div class="statebar">
    <p id="state" class="state" role="status" aria-live="polite">Choose where to search: use your location, pick
    Birmingham city centre, or type a point.</p>
    <button type="button" id="retry" hidden>Try again</button>
    <button type="button" id="wider" hidden>Search further</button>
  </div>
  <section id="results" aria-labelledby="results-title" hidden>
    <h2 id="results-title" class="vh">Car parks, nearest first</h2>
    <figure id="plotcard" class="card">
      <svg id="plot" viewBox="-120 -120 240 240" role="img" aria-labelledby="plot-label"><title id="plot-label">Plot of the car parks around the search point</title></svg>
      <figcaption class="legend"><span class="l-ok">Free spaces</span><span class="l-full">Full</span>
        <span class="l-stale">Old data</span><b>Numbers match the list.</b></figcaption>
    </figure>
    <ol id="lots" class="lots" aria-label="Car parks, nearest first"></ol>
  </section>
</main>`;

const SCRIPT = `
const REFRESH_MS = 30000;
const CENTRE = { lat: 52.4797, lon: -1.9026 };
let point = null;     // { lat, lon, label }
let last = null;      // the last answer shown
let timer = 0;
let inflight = null;
let due = false;      // a refresh fell due while the tab was hidden

function say(text, kind) {
  const s = $('state');
  s.textContent = text;
  s.className = 'state' + (kind ? ' ' + kind : '');
  $('retry').hidden = kind !== 'error';
  if (kind !== 'empty') $('wider').hidden = true;
}
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (document.hidden) due = true;
    else search(true);
  }, REFRESH_MS);
}
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && due) { due = false; search(true); }
});

function setPoint(lat, lon, label) {
  point = { lat, lon, label };
  $('lat').value = lat.toFixed(5);
  $('lon').value = lon.toFixed(5);
  search(false);
}

async function search(refresh) {
  if (!point) return;
  clearTimeout(timer);
  if (inflight) inflight.abort();
  const ctl = new AbortController();
  inflight = ctl;
  const q = new URLSearchParams({
    lat: point.lat.toFixed(5), lon: point.lon.toFixed(5),
    radius: $('radius').value, minFree: $('minFree').value, limit: '20',
  });
  const features = [...document.querySelectorAll('input[name=feature]:checked')].map((i) => i.value);
  if (features.length) q.set('features', features.join(','));
  if ($('stale').checked) q.set('includeStale', 'true');
  if (!refresh) say('Searching near ' + point.label + '…', 'busy');
  let res;
  let body = null;
  try {
    res = await fetch('/v1/lots/nearby?' + q, { headers: { accept: 'application/json' }, signal: ctl.signal });
    if (res.ok) body = await res.json();
  } catch (e) {
    if (ctl.signal.aborted) return;
    res = null;
  }
  if (ctl.signal.aborted) return;
  inflight = null;
  if (!res || res.status === 502 || res.status === 503 || res.status === 504 || (res.ok && !body)) {
    $('results').classList.toggle('outdated', !!last);
    say('The parking service cannot be reached right now. Retrying every 30 s' +
      (last ? '; the car parks below are as of ' + fmtClock(last.asOf) + '.' : '.'), 'error');
    schedule();
    return;
  }
  if (!res.ok) {
    say('The search did not work: ' + (await problemText(res)) + '.', 'error');
    return;
  }
  last = body;
  render(body, features);
  schedule();
}

function render(body, features) {
  $('results').classList.remove('outdated');
  const minFree = Number($('minFree').value);
  const what = minFree > 1 ? 'at least ' + minFree + ' free spaces' : 'free spaces';
  const extra = features.length ? ' and ' + features.map((f) => FEATURE_TEXT[f]).join(', ') : '';
  const list = $('lots');
  list.textContent = '';
  drawPlot(body);
  if (body.lots.length === 0) {
    $('results').hidden = true;
    say('No car park with ' + what + extra + ' within ' + fmtDistance(body.radius) + ' of ' + point.label + '.', 'empty');
    const next = [...$('radius').options].find((o) => Number(o.value) > body.radius);
    $('wider').hidden = !next;
    if (next) $('wider').textContent = 'Search within ' + next.textContent;
    return;
  }
  $('results').hidden = false;
  say(body.lots.length + (body.lots.length === 1 ? ' car park' : ' car parks') + ' with ' + what + extra + ' within ' +
    fmtDistance(body.radius) + ' of ' + point.label + ', nearest first. Updated ' + fmtClock(body.asOf) +
    '; refreshes every 30 s.');
  body.lots.forEach((lot, i) => {
    const n = i + 1;
    const feats = lot.features.map((f) => FEATURE_TEXT[f] || f).join(', ');
    const stale = lot.status === 'stale';
    const li = el('li', { class: 's-' + lot.status, 'data-id': lot.id, id: 'lot-' + n },
      el('span', { class: 'rank', 'aria-hidden': 'true', text: String(n) }),
      el('div', { class: 'top' },
        el('h3', { class: 'name', text: lot.name }),
        badge(lot.status)),
      el('p', { class: 'free' },
        el('span', { class: 'vh', text: 'Number ' + n + ' on the plot. ' }),
        el('strong', { text: fmtInt(lot.free) }),
        ' of ' + fmtInt(lot.capacity) + ' free' + (stale ? ' when last seen' : '')),
      el('p', { class: 'meta' },
        fmtDistance(lot.distance) + ' away · ' + (TYPE_TEXT[lot.type] || lot.type) + (feats ? ' · ' + feats : '') +
        ' · updated ' + fmtAge(lot.dataAge) + ' · ',
        el('a', { href: 'geo:' + lot.location.lat + ',' + lot.location.lon + '?q=' + lot.location.lat + ',' +
          lot.location.lon, text: 'open in maps', 'aria-label': 'Open ' + lot.name + ' in your maps app' })));
    li.addEventListener('mouseenter', () => select(n, false));
    li.addEventListener('focusin', () => select(n, false));
    list.append(li);
  });
  performance.mark('parking:results');
}

function drawPlot(body) {
  const plot = $('plot');
  plot.replaceChildren(plot.querySelector('title'));
  // The outer ring is the farthest lot shown, rounded up to a round distance (at most the radius),
  // so that 20 lots within 600 m do not huddle in the middle of a 5 km circle.
  const farthest = Math.max(100, ...body.lots.map((l) => l.distance)) * 1.04;
  const STEPS = [100, 200, 250, 300, 400, 500, 600, 750, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 7500, 10000,
    15000, 20000, 30000, 50000];
  const extent = Math.min(body.radius, STEPS.find((d) => d >= farthest) || body.radius);
  const scale = 100 / extent;
  const ringLabel = fmtDistance(extent);
  plot.append(
    sv('circle', { r: 100, fill: '#f7f9fb', stroke: '#b8c2cc' }),
    sv('circle', { r: 50, fill: 'none', stroke: '#d5dbe1', 'stroke-dasharray': '3 3' }),
    sv('line', { x1: -104, x2: 104, y1: 0, y2: 0, stroke: '#e3e8ed' }),
    sv('line', { y1: -104, y2: 104, x1: 0, x2: 0, stroke: '#e3e8ed' }),
    sv('text', { x: -112, y: -106, 'font-size': 8, 'font-weight': 700, fill: '#4f5b66', text: 'N ↑' }),
    sv('path', { d: 'M-5 0H5M0 -5V5', stroke: '#0b3d5c', 'stroke-width': 2 }));
  const halo = { stroke: '#fff', 'stroke-width': 2.5, 'paint-order': 'stroke', 'pointer-events': 'none' };
  const labels = [
    sv('text', Object.assign({ x: 3, y: -102, 'font-size': 7, fill: '#4f5b66', text: ringLabel }, halo)),
    sv('text', Object.assign({ x: 3, y: -52, 'font-size': 7, fill: '#4f5b66', text: fmtDistance(extent / 2) }, halo)),
    sv('text', Object.assign({ x: 4, y: 10, 'font-size': 7, fill: '#0b3d5c', text: point.label === 'your location' ? 'You' : 'Search point' }, halo))];
  const colour = { available: '#0a7d32', full: '#b3261e', stale: '#7a5c00', closed: '#5f6b76', nodata: '#5f6b76' };
  const marks = [];
  body.lots.forEach((lot, i) => {
    const d = offset(body.origin, lot.location);
    const g = sv('g', { class: 'm', 'data-n': i + 1, transform: 'translate(' + (d.x * scale).toFixed(1) + ' ' + (-d.y * scale).toFixed(1) + ')' },
      sv('title', { text: (i + 1) + '. ' + lot.name + ': ' + fmtInt(lot.free) + ' free, ' + fmtDistance(lot.distance) + ' away' }),
      sv('circle', { r: 6.5, fill: colour[lot.status] }),
      sv('text', { text: String(i + 1) }));
    g.addEventListener('click', () => select(i + 1, true));
    marks.push(g);
  });
  plot.append(...marks.reverse(), ...labels); // the nearest on top; labels above all
  plot.querySelector('title').textContent = 'Plot of ' + body.lots.length + ' car parks within ' + ringLabel +
    ' of ' + point.label + ', numbered as in the list; north is up.';
}

function select(n, scroll) {
  for (const m of document.querySelectorAll('#plot .m.sel, #lots li.sel')) m.classList.remove('sel');
  const mark = document.querySelector('#plot .m[data-n="' + n + '"]');
  if (mark) { mark.classList.add('sel'); mark.parentNode.insertBefore(mark, mark.parentNode.querySelector('text[paint-order]')); }
  const li = $('lot-' + n);
  if (li) { li.classList.add('sel'); if (scroll) li.scrollIntoView({ block: 'nearest' }); }
}

$('centre').addEventListener('click', () => setPoint(CENTRE.lat, CENTRE.lon, 'Birmingham city centre'));
$('locate').addEventListener('click', () => {
  if (!navigator.geolocation) { say('This browser cannot share its location: type a point or pick Birmingham city centre.', 'error'); $('retry').hidden = true; return; }
  say('Asking for your location…', 'busy');
  navigator.geolocation.getCurrentPosition(
    (p) => setPoint(p.coords.latitude, p.coords.longitude, 'your location'),
    (e) => {
      const why = e.code === 1 ? 'Location access was denied'
        : e.code === 3 ? 'Finding your location took too long' : 'Your location is not available right now';
      say(why + ': type a point or pick Birmingham city centre instead.', 'error');
      $('retry').hidden = true;
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
});
$('search').addEventListener('submit', (e) => {
  e.preventDefault();
  const lat = Number($('lat').value.trim()), lon = Number($('lon').value.trim());
  const ok = $('lat').value.trim() !== '' && $('lon').value.trim() !== '' &&
    Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  $('lat').setAttribute('aria-invalid', String(!ok));
  $('lon').setAttribute('aria-invalid', String(!ok));
  if (!ok) { say('Type a latitude (−90 to 90) and a longitude (−180 to 180), e.g. 52.4797 and -1.9026.', 'error'); $('retry').hidden = true; return; }
  setPoint(lat, lon, lat.toFixed(4) + ', ' + lon.toFixed(4));
});
for (const id of ['radius', 'minFree', 'stale']) $(id).addEventListener('change', () => search(false));
for (const box of document.querySelectorAll('input[name=feature]')) box.addEventListener('change', () => search(false));
$('retry').addEventListener('click', () => search(false));
$('wider').addEventListener('click', () => {
  const next = [...$('radius').options].find((o) => Number(o.value) > Number($('radius').value));
  if (next) { $('radius').value = next.value; search(false); }
});
`;

let built: BuiltPage | undefined;

export function driverPage(): BuiltPage {
  built ??= buildPage({
    title: 'Parking finder — free spaces near you',
    description: 'The nearest car parks with free spaces, live.',
    css: CSS,
    body: BODY,
    script: SCRIPT,
    permissions: ['geolocation'],
  });
  return built;
}
