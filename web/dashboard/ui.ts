// The dashboard's elements (web/dashboard/body.html), each checked to be what the script expects.
import { byId } from '../lib/dom';

export const ui = {
  alert: byId('alert', HTMLParagraphElement),
  signin: byId('signin', HTMLElement),
  signinForm: byId('signin-form', HTMLFormElement),
  key: byId('key', HTMLInputElement),
  signinButton: byId('signin-btn', HTMLButtonElement),
  signout: byId('signout', HTMLButtonElement),
  tagline: byId('tagline', HTMLParagraphElement),
  app: byId('app', HTMLDivElement),
  // City overview
  area: byId('area', HTMLFormElement),
  centreLat: byId('clat', HTMLInputElement),
  centreLon: byId('clon', HTMLInputElement),
  half: byId('half', HTMLSelectElement),
  cityNote: byId('city-note', HTMLParagraphElement),
  totals: byId('totals', HTMLDivElement),
  map: byId('map', SVGSVGElement),
  lotsTable: byId('lots-table', HTMLTableElement),
  legendSize: byId('legend-size', HTMLSpanElement),
  // Utilization and heatmap
  util: byId('util', HTMLElement),
  utilTitle: byId('util-title', HTMLHeadingElement),
  report: byId('report', HTMLFormElement),
  lot: byId('lot', HTMLSelectElement),
  zone: byId('zone', HTMLSelectElement),
  lotLabel: byId('lot-label', HTMLLabelElement),
  zoneLabel: byId('zone-label', HTMLLabelElement),
  from: byId('from', HTMLInputElement),
  to: byId('to', HTMLInputElement),
  bucket: byId('bucket', HTMLSelectElement),
  tz: byId('tz', HTMLInputElement),
  csv: byId('csv', HTMLButtonElement),
  utilNote: byId('util-note', HTMLParagraphElement),
  utilSummary: byId('util-summary', HTMLParagraphElement),
  chart: byId('chart', SVGSVGElement),
  utilTable: byId('util-table', HTMLTableElement),
  forecastNote: byId('forecast-note', HTMLParagraphElement),
  forecastSummary: byId('forecast-summary', HTMLParagraphElement),
  forecastFigure: byId('forecast-figure', HTMLElement),
  forecastChart: byId('fchart', SVGSVGElement),
  forecastTable: byId('forecast-table', HTMLTableElement),
  heatNote: byId('heat-note', HTMLParagraphElement),
  heatmap: byId('heatmap', HTMLTableElement),
  // Health
  healthTitle: byId('health-title', HTMLHeadingElement),
  healthNote: byId('health-note', HTMLParagraphElement),
  healthTable: byId('health-table', HTMLTableElement),
  sourcesNote: byId('sources-note', HTMLParagraphElement),
  sourcesTable: byId('sources-table', HTMLTableElement),
};

/** A status line under a section; `error` shows it as a failure. */
export function note(line: HTMLElement, text: string, error = false): void {
  line.textContent = text;
  line.classList.toggle('error', error);
}

export function alertBox(text: string): void {
  ui.alert.textContent = text;
}

/** The words of a failure, for a status line. */
export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
