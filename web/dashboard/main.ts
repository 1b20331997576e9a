// `/dashboard`: the city staff's view. Asks for a staff key, then shows every lot in a box around a
// centre (map-like plot coloured by occupancy, stale lots flagged, and a sortable table), a lot's
// or zone's utilization over time with a CSV download, the weekday × hour heatmap, and the health
// list. Uses only the public API, as any client would.
import { initChart } from './chart';
import { initCity, loadCity } from './city';
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
    alertBox('Enter a staff key to sign in.');
    ui.key.focus();
    return;
  }
  ui.signinButton.disabled = true;
  try {
    await signIn(candidate);
  } catch (err) {
    if (!(err instanceof AuthError)) alertBox(`Could not sign in: ${message(err)}.`);
    return;
  } finally {
    ui.signinButton.disabled = false;
  }
  ui.key.value = '';
  start();
}

initCity();
initReport();
initChart();
whenSignedOut(() => clearInterval(refreshTimer));
ui.signinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  void submitKey();
});
ui.signout.addEventListener('click', () => signOut(''));
if (signedIn()) start();
else ui.key.focus();
