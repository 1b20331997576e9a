// The driver page's elements (web/driver/body.html), each checked to be what the script expects.
import { byId } from '../lib/dom';

export const ui = {
  form: byId('search', HTMLFormElement),
  locate: byId('locate', HTMLButtonElement),
  centre: byId('centre', HTMLButtonElement),
  lat: byId('lat', HTMLInputElement),
  lon: byId('lon', HTMLInputElement),
  arrive: byId('arrive', HTMLSelectElement),
  radius: byId('radius', HTMLSelectElement),
  minFree: byId('minFree', HTMLSelectElement),
  features: byId('features', HTMLFieldSetElement),
  stale: byId('stale', HTMLInputElement),
  state: byId('state', HTMLParagraphElement),
  retry: byId('retry', HTMLButtonElement),
  wider: byId('wider', HTMLButtonElement),
  results: byId('results', HTMLElement),
  plot: byId('plot', SVGSVGElement),
  lots: byId('lots', HTMLOListElement),
};
