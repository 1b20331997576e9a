// `/dashboard`: the city staff's view. Asks for a staff key, then shows every lot in a box around a
// centre (map-like plot coloured by occupancy, stale lots flagged, and a sortable table), a lot's
// or zone's utilization over time with a CSV download, the weekday × hour heatmap, and the health
// list. Uses only the public API, as any client would.
import { pageCity } from '../lib/city';
import { fmtDistance } from '../lib/format';
import { t } from '../lib/i18n';
import { initChart } from './chart';
import { initCity, loadCity } from './city';
import { initForecast } from './forecast';
import { loadHealth } from './health';
import { initReport, loadReport, reportReady } from './report';
import { AuthError, signedIn, signIn, signOut, whenSignedOut } from './session';
import { loadSources } from './sources';
import { alertBox, message, ui } from './ui';

const REFRESH_MS = 60_000;
let refreshTimer = 0;

function start(): void {
  alertBox('');
  ui.signin.hidden = true;
  ui.app.hidden = false;
  ui.signout.hidden = false;
  void loadCity().then(() => {
    if (signedIn() && reportReady()) void loadReport();
  });
  void loadHealth();
  void loadSources();
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => {
    if (document.hidden || !signedIn()) return;
    void loadCity();
    void loadHealth();
    void loadSources();
  }, REFRESH_MS);
}

async function submitKey(): Promise<void> {
  const candidate = ui.key.value.trim();
  if (!candidate) {
    alertBox(t('dash.enterKey'));
    ui.key.focus();
    return;
  }
  ui.signinButton.disabled = true;
  try {
    await signIn(candidate);
  } catch (err) {
    if (!(err instanceof AuthError)) alertBox(t('dash.signinFailed', { reason: message(err) }));
    return;
  } finally {
    ui.signinButton.disabled = false;
  }
  ui.key.value = '';
  start();
}

/** The parts of the page that depend on the configured city (README "Configuration") and the language. */
function localise(): void {
  const city = pageCity();
  ui.tagline.textContent = city ? t('dash.tagline', { city: city.name }) : t('dash.taglinePlain');
  if (city) {
    ui.centreLat.value = String(city.centre.lat);
    ui.centreLon.value = String(city.centre.lon);
  }
  for (const option of ui.half.options) {
    option.textContent = t('dash.areaSize', { size: fmtDistance(2 * Number(option.value) * 1000) });
  }
}

localise();
initCity();
initReport();
initChart();
initForecast();
whenSignedOut(() => clearInterval(refreshTimer));
ui.signinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void submitKey();
});
ui.signout.addEventListener('click', () => signOut(''));
if (signedIn()) start();
else ui.key.focus();
