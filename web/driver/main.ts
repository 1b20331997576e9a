// `/`: the driver's finder. The browser's location (or a typed point, or the city centre) →
// GET /v1/lots/nearby → a map-like plot around the point and the ranked list, numbered alike.
// Refreshes every 30 s while the tab is visible. Clear states for "no car parks nearby",
// "location denied" and "service unreachable".
import { type ApiAnswer, getJson, problemText } from '../lib/api';
import type { NearbyResponse } from '../lib/api-types';
import { fmtClock, fmtDistance } from '../lib/format';
import {
  describeFilters,
  type Filters,
  featureBoxes,
  nearbyQuery,
  readFilters,
  renderFeatureChoices,
  type SearchPoint,
} from './filters';
import { renderList, selectItem } from './list';
import { drawPlot, selectMark } from './plot';
import { ui } from './ui';

const REFRESH_MS = 30_000;
const CENTRE: SearchPoint = { lat: 52.4797, lon: -1.9026, label: 'Birmingham city centre', mine: false };
/** Answers that mean "the service is not there right now" (retried), not "your search is wrong". */
const UNREACHABLE = new Set([502, 503, 504]);

type StateKind = 'busy' | 'error' | 'empty';

let point: SearchPoint | null = null;
let shown: NearbyResponse | null = null; // the last answer on screen
let timer = 0;
let inflight: AbortController | null = null;
let due = false; // a refresh fell due while the tab was hidden

function say(text: string, kind?: StateKind): void {
  ui.state.textContent = text;
  ui.state.className = kind ? `state ${kind}` : 'state';
  ui.retry.hidden = kind !== 'error';
  if (kind !== 'empty') ui.wider.hidden = true;
}

/** The user's own mistake or a missing capability: an error with nothing to retry. */
function refuse(text: string): void {
  say(text, 'error');
  ui.retry.hidden = true;
}

function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (document.hidden) due = true;
    else void search(true);
  }, REFRESH_MS);
}

function setPoint(next: SearchPoint): void {
  point = next;
  ui.lat.value = next.lat.toFixed(5);
  ui.lon.value = next.lon.toFixed(5);
  void search(false);
}

async function search(refresh: boolean): Promise<void> {
  if (!point) return;
  const at = point;
  clearTimeout(timer);
  inflight?.abort();
  const ctl = new AbortController();
  inflight = ctl;
  const filters = readFilters();
  if (!refresh) say(`Searching near ${at.label}…`, 'busy');
  let answer: ApiAnswer<'/v1/lots/nearby'> | null;
  try {
    answer = await getJson('/v1/lots/nearby', nearbyQuery(at, filters), { signal: ctl.signal });
  } catch {
    answer = null; // no answer, or one that is not JSON
  }
  if (ctl.signal.aborted) return; // a newer search took over
  inflight = null;
  if (!answer || UNREACHABLE.has(answer.res.status)) {
    ui.results.classList.toggle('outdated', shown !== null);
    say(
      'The parking service cannot be reached right now. Retrying every 30 s' +
        (shown ? `; the car parks below are as of ${fmtClock(shown.asOf)}.` : '.'),
      'error',
    );
    schedule();
    return;
  }
  if (!answer.body) {
    say(`The search did not work: ${await problemText(answer.res)}.`, 'error');
    return;
  }
  shown = answer.body;
  render(answer.body, at, filters);
  schedule();
}

function render(body: NearbyResponse, at: SearchPoint, filters: Filters): void {
  ui.results.classList.remove('outdated');
  const wanted = describeFilters(filters);
  const within = `within ${fmtDistance(body.radius)} of ${at.label}`;
  drawPlot(body, at, (n) => select(n, true));
  renderList(body.lots, (n) => select(n, false));
  if (body.lots.length === 0) {
    ui.results.hidden = true;
    say(`No car park with ${wanted} ${within}.`, 'empty');
    const next = widerRadius(body.radius);
    ui.wider.hidden = !next;
    if (next) ui.wider.textContent = `Search within ${next.textContent}`;
    return;
  }
  ui.results.hidden = false;
  const count = body.lots.length === 1 ? '1 car park' : `${body.lots.length} car parks`;
  say(
    `${count} with ${wanted} ${within}, nearest first. Updated ${fmtClock(body.asOf)}; refreshes every 30 s.`,
  );
  performance.mark('parking:results');
}

function widerRadius(radius: number): HTMLOptionElement | undefined {
  return [...ui.radius.options].find((o) => Number(o.value) > radius);
}

function select(n: number, scroll: boolean): void {
  selectMark(n);
  selectItem(n, scroll);
}

function locate(): void {
  if (!('geolocation' in navigator)) {
    refuse('This browser cannot share its location: type a point or pick Birmingham city centre.');
    return;
  }
  say('Asking for your location…', 'busy');
  navigator.geolocation.getCurrentPosition(
    (p) => setPoint({ lat: p.coords.latitude, lon: p.coords.longitude, label: 'your location', mine: true }),
    (e) => {
      const why =
        e.code === e.PERMISSION_DENIED
          ? 'Location access was denied'
          : e.code === e.TIMEOUT
            ? 'Finding your location took too long'
            : 'Your location is not available right now';
      refuse(`${why}: type a point or pick Birmingham city centre instead.`);
    },
    { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
  );
}

function searchTypedPoint(): void {
  const latText = ui.lat.value.trim();
  const lonText = ui.lon.value.trim();
  const lat = Number(latText);
  const lon = Number(lonText);
  const ok = latText !== '' && lonText !== '' && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  ui.lat.setAttribute('aria-invalid', String(!ok));
  ui.lon.setAttribute('aria-invalid', String(!ok));
  if (!ok) {
    refuse('Type a latitude (−90 to 90) and a longitude (−180 to 180), e.g. 52.4797 and -1.9026.');
    return;
  }
  setPoint({ lat, lon, label: `${lat.toFixed(4)}, ${lon.toFixed(4)}`, mine: false });
}

renderFeatureChoices();
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && due) {
    due = false;
    void search(true);
  }
});
ui.centre.addEventListener('click', () => setPoint(CENTRE));
ui.locate.addEventListener('click', locate);
ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  searchTypedPoint();
});
for (const control of [ui.radius, ui.minFree, ui.stale, ...featureBoxes()]) {
  control.addEventListener('change', () => void search(false));
}
ui.retry.addEventListener('click', () => void search(false));
ui.wider.addEventListener('click', () => {
  const next = widerRadius(Number(ui.radius.value));
  if (!next) return;
  ui.radius.value = next.value;
  void search(false);
});
