// `/`: the driver's finder. The browser's location (or a typed point, or the city centre) →
// GET /v1/lots/nearby → a map-like plot around the point and the ranked list, numbered alike.
// Refreshes every 30 s while the tab is visible. Clear states for "no car parks nearby",
// "location denied" and "service unreachable". When the browser has already granted this page its
// location, the search starts on load; otherwise it waits for "Use my location", as the browser
// would otherwise ask before the driver has done anything.
import { type ApiAnswer, getJson, problemText } from '../lib/api';
import type { NearbyResponse } from '../lib/api-types';
import { pageCity } from '../lib/city';
import { fmtClock, fmtDistance, fmtTime } from '../lib/format';
import { t, tn } from '../lib/i18n';
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
const city = pageCity();
/** The configured city's centre (README "Configuration": CITY_CENTER), if the page names a city. */
const CENTRE: SearchPoint | null = city
  ? { ...city.centre, label: t('driver.centre', { city: city.name }), mine: false }
  : null;
/** What a driver can do instead of sharing the location: type a point, or pick the city centre. */
const INSTEAD = CENTRE ? t('driver.insteadCentre', { centre: CENTRE.label }) : t('driver.instead');
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
  if (!refresh) say(t('driver.searching', { place: at.label }), 'busy');
  const query = nearbyQuery(at, filters, Date.now());
  let answer: ApiAnswer<'/v1/lots/nearby'> | null;
  try {
    answer = await getJson('/v1/lots/nearby', query, { signal: ctl.signal });
  } catch {
    answer = null; // no answer, or one that is not JSON
  }
  if (ctl.signal.aborted) return; // a newer search took over
  inflight = null;
  if (!answer || UNREACHABLE.has(answer.res.status)) {
    ui.results.classList.toggle('outdated', shown !== null);
    say(
      shown ? t('driver.unreachableSince', { time: fmtClock(shown.asOf) }) : t('driver.unreachable'),
      'error',
    );
    schedule();
    return;
  }
  if (!answer.body) {
    say(t('driver.failed', { reason: await problemText(answer.res) }), 'error');
    return;
  }
  shown = answer.body;
  render(answer.body, at, filters, query.get('arriveAt'));
  schedule();
}

function render(body: NearbyResponse, at: SearchPoint, filters: Filters, arriveAt: string | null): void {
  ui.results.classList.remove('outdated');
  const wanted = describeFilters(filters);
  const within = t('driver.withinOf', { distance: fmtDistance(body.radius), place: at.label });
  drawPlot(body, at, (n) => select(n, true));
  renderList(body.lots, (n) => select(n, false));
  if (body.lots.length === 0) {
    ui.results.hidden = true;
    say(t('driver.none', { wanted, within }) + arrivalNote(arriveAt), 'empty');
    const next = widerRadius(body.radius);
    ui.wider.hidden = !next;
    if (next) ui.wider.textContent = t('driver.widerTo', { distance: fmtDistance(Number(next.value)) });
    return;
  }
  ui.results.hidden = false;
  const count = tn('driver.count', body.lots.length);
  say(t('driver.found', { count, wanted, within, time: fmtClock(body.asOf) }) + arrivalNote(arriveAt));
  performance.mark('parking:results');
}

/** " Free spaces forecast for arriving at 14:30." when the search asked for an arrival time. */
function arrivalNote(arriveAt: string | null): string {
  return arriveAt ? t('driver.forecastFor', { time: fmtTime(arriveAt) }) : '';
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
    refuse(t('driver.noGeolocation', { instead: INSTEAD }));
    return;
  }
  say(t('driver.asking'), 'busy');
  navigator.geolocation.getCurrentPosition(
    (p) => setPoint({ lat: p.coords.latitude, lon: p.coords.longitude, label: t('driver.you'), mine: true }),
    (e) => {
      const why =
        e.code === e.PERMISSION_DENIED
          ? t('driver.denied')
          : e.code === e.TIMEOUT
            ? t('driver.timeout')
            : t('driver.unavailable');
      refuse(t('driver.locateFailed', { why, instead: INSTEAD }));
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
    refuse(
      CENTRE
        ? t('driver.badPoint', { lat: CENTRE.lat.toFixed(4), lon: CENTRE.lon.toFixed(4) })
        : t('driver.badPointPlain'),
    );
    return;
  }
  setPoint({ lat, lon, label: `${lat.toFixed(4)}, ${lon.toFixed(4)}`, mine: false });
}

/**
 * Starts the search from the browser's location at once when this page may already read it: the
 * Permissions API says "granted" only after the driver allowed it before, so no prompt appears
 * unasked. Browsers without the API (or without geolocation) wait for the button, as before.
 */
async function locateIfGranted(): Promise<void> {
  if (!('geolocation' in navigator) || !navigator.permissions) return;
  let state: PermissionState;
  try {
    state = (await navigator.permissions.query({ name: 'geolocation' })).state;
  } catch {
    return; // a browser that cannot say: ask as before
  }
  if (state === 'granted' && point === null) locate();
}

/** The parts of the page that depend on the configured city and on the page's language. */
function localise(): void {
  if (CENTRE) {
    ui.centre.textContent = CENTRE.label;
    ui.centre.hidden = false;
    ui.state.textContent = t('driver.chooseWithCentre', { centre: CENTRE.label });
    ui.lat.placeholder = CENTRE.lat.toFixed(4);
    ui.lon.placeholder = CENTRE.lon.toFixed(4);
  }
  for (const option of ui.radius.options) option.textContent = fmtDistance(Number(option.value));
}

localise();
renderFeatureChoices();
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && due) {
    due = false;
    void search(true);
  }
});
ui.centre.addEventListener('click', () => {
  if (CENTRE) setPoint(CENTRE);
});
ui.locate.addEventListener('click', locate);
ui.form.addEventListener('submit', (e) => {
  e.preventDefault();
  searchTypedPoint();
});
for (const control of [ui.arrive, ui.radius, ui.minFree, ui.stale, ...featureBoxes()]) {
  control.addEventListener('change', () => void search(false));
}
ui.retry.addEventListener('click', () => void search(false));
ui.wider.addEventListener('click', () => {
  const next = widerRadius(Number(ui.radius.value));
  if (!next) return;
  ui.radius.value = next.value;
  void search(false);
});
void locateIfGranted();
