// `/`: the driver's finder. One self-contained page (no CDN, no tiles, no external request): it
// asks the browser for a location (or takes a typed point), calls GET /v1/lots/nearby, and shows
// the ranked lots as a list and on a plain SVG plot around the origin. Refreshes every 30 s.
export function driverPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parking finder — free spaces near you</title><link rel="icon" href="data:,">
<style>
:root{--ok:#0a7d32;--full:#b3261e;--stale:#8a6d00;--closed:#555;font:16px/1.45 system-ui,sans-serif;color:#1b1f24;background:#f6f7f9}
body{margin:0}header{background:#0b3d5c;color:#fff;padding:.8rem 1rem}h1{margin:0;font-size:1.3rem}
main{max-width:60rem;margin:auto;padding:1rem;display:grid;gap:1rem}
form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;background:#fff;padding:.8rem;border:1px solid #d0d7de;border-radius:8px}
label{display:flex;flex-direction:column;font-size:.85rem}input,select,button{font:inherit;padding:.35rem .5rem}
button{cursor:pointer}fieldset{border:0;padding:0;margin:0;display:flex;gap:.6rem;flex-wrap:wrap}
#state{padding:.6rem .8rem;border-radius:6px;background:#fff;border:1px solid #d0d7de}#state.error{border-color:var(--full);color:var(--full)}
.layout{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}@media(min-width:48rem){.layout{grid-template-columns:1fr 1fr}}
ol{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
li{background:#fff;border:1px solid #d0d7de;border-left:6px solid var(--c);border-radius:6px;padding:.5rem .7rem}
li .name{font-weight:600}li .meta{font-size:.85rem;color:#444}.badge{font-size:.8rem;font-weight:600;color:var(--c)}
svg{background:#fff;border:1px solid #d0d7de;border-radius:8px;width:100%;height:auto}
</style></head>
<body><header><h1>Parking finder</h1><p style="margin:.2rem 0 0">The nearest car parks with free spaces, live.</p></header>
<main>
<form id="where" aria-label="Where to search">
  <button type="button" id="locate">Use my location</button>
  <button type="button" id="centre">Birmingham city centre</button>
  <label>Latitude <input id="lat" inputmode="decimal" required></label>
  <label>Longitude <input id="lon" inputmode="decimal" required></label>
  <label>Within <select id="radius"><option value="500">500 m</option><option value="1000" selected>1 km</option><option value="2000">2 km</option><option value="5000">5 km</option></select></label>
  <label>At least <select id="minFree"><option>1</option><option>5</option><option>20</option></select></label>
  <fieldset aria-label="Features"><label><span>EV charging</span><input type="checkbox" value="ev"></label><label><span>Accessible</span><input type="checkbox" value="accessible"></label><label><span>Covered</span><input type="checkbox" value="covered"></label></fieldset>
  <button type="submit">Find parking</button>
</form>
<div id="state" role="status" aria-live="polite">Choose a place to search.</div>
<div class="layout">
  <ol id="lots" aria-label="Car parks, nearest first"></ol>
  <svg id="plot" viewBox="-110 -110 220 220" role="img" aria-label="Map of the car parks around the search point"></svg>
</div>
</main>
<script type="module">
const $ = (id) => document.getElementById(id);
const state = $('state');
const COLOURS = { available: 'var(--ok)', full: 'var(--full)', stale: 'var(--stale)', closed: 'var(--closed)', nodata: 'var(--closed)' };
let timer;
function say(text, error = false) { state.textContent = text; state.className = error ? 'error' : ''; }
function age(s) { return s === null ? 'no data' : s < 90 ? s + ' s ago' : s < 5400 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago'; }
function metres(m) { return m < 1000 ? m + ' m' : (m / 1000).toFixed(1) + ' km'; }
async function search() {
  const lat = $('lat').value.trim(), lon = $('lon').value.trim();
  if (!/^-?\\d+(\\.\\d+)?$/.test(lat) || !/^-?\\d+(\\.\\d+)?$/.test(lon)) { say('Enter a latitude and longitude, or use your location.', true); return; }
  const features = [...document.querySelectorAll('fieldset input:checked')].map((i) => i.value).join(',');
  const q = new URLSearchParams({ lat, lon, radius: $('radius').value, minFree: $('minFree').value, limit: '20' });
  if (features) q.set('features', features);
  say('Searching…');
  let body;
  try {
    const res = await fetch('/v1/lots/nearby?' + q, { headers: { accept: 'application/json' } });
    body = await res.json();
    if (!res.ok) { say(body.detail ?? 'The search failed.', true); return; }
  } catch { say('The service cannot be reached. Retrying in 30 s.', true); schedule(); return; }
  render(body);
  schedule();
}
function schedule() { clearTimeout(timer); timer = setTimeout(search, 30_000); }
function render(body) {
  const list = $('lots'); list.textContent = '';
  const plot = $('plot'); plot.textContent = '';
  const ns = 'http://www.w3.org/2000/svg';
  const ring = document.createElementNS(ns, 'circle'); ring.setAttribute('r', '100'); ring.setAttribute('fill', 'none'); ring.setAttribute('stroke', '#c5ccd3'); plot.append(ring);
  const you = document.createElementNS(ns, 'circle'); you.setAttribute('r', '3'); you.setAttribute('fill', '#0b3d5c'); you.innerHTML = '<title>Search point</title>'; plot.append(you);
  if (body.lots.length === 0) { say('No car park with free spaces within ' + metres(body.radius) + '. Try a wider radius.'); return; }
  say(body.lots.length + ' car parks, nearest first. Updated ' + new Date(body.asOf).toLocaleTimeString() + '.');
  const k = Math.cos(body.origin.lat * Math.PI / 180);
  for (const lot of body.lots) {
    const li = document.createElement('li'); li.style.setProperty('--c', COLOURS[lot.status]);
    li.innerHTML = '<div class="name"></div><div class="meta"></div><div class="badge"></div>';
    li.querySelector('.name').textContent = lot.name;
    li.querySelector('.meta').textContent = metres(lot.distance) + ' away · ' + lot.free + ' of ' + lot.capacity + ' free · updated ' + age(lot.dataAge);
    li.querySelector('.badge').textContent = lot.status === 'available' ? 'Free spaces' : lot.status === 'full' ? 'Full' : lot.status === 'stale' ? 'Data may be out of date' : lot.status;
    list.append(li);
    const dx = (lot.location.lon - body.origin.lon) * 111320 * k, dy = (lot.location.lat - body.origin.lat) * 111320;
    const dot = document.createElementNS(ns, 'circle');
    dot.setAttribute('cx', String(100 * dx / body.radius)); dot.setAttribute('cy', String(-100 * dy / body.radius));
    dot.setAttribute('r', '5'); dot.setAttribute('fill', COLOURS[lot.status]);
    const t = document.createElementNS(ns, 'title'); t.textContent = lot.name + ': ' + lot.free + ' free, ' + metres(lot.distance); dot.append(t);
    plot.append(dot);
  }
}
$('where').addEventListener('submit', (e) => { e.preventDefault(); search(); });
$('centre').addEventListener('click', () => { $('lat').value = '52.4797'; $('lon').value = '-1.9026'; search(); });
$('locate').addEventListener('click', () => {
  if (!navigator.geolocation) { say('This browser cannot share its location: type a point instead.', true); return; }
  say('Asking for your location…');
  navigator.geolocation.getCurrentPosition(
    (p) => { $('lat').value = p.coords.latitude.toFixed(5); $('lon').value = p.coords.longitude.toFixed(5); search(); },
    () => say('Location access was denied: type a point or pick Birmingham city centre.', true),
    { enableHighAccuracy: true, timeout: 10_000 },
  );
});
</script></body></html>`;
}
