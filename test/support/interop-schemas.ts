// The official schemas of the open formats, read in place from ../shared/data/interop (never
// copied here), compiled with ajv offline. Null when the folder is absent: the suites skip and say so.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { sharedFile } from './shared-data';

export interface InteropValidators {
  offStreetParking: ValidateFunction;
  parkingSpot: ValidateFunction;
  datex2Light: ValidateFunction;
  /** The DATEX II v3.7 full model's payload (whole folder, 2020-12). */
  datex2Full: ValidateFunction;
}

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

export function interopValidators(): InteropValidators | null {
  const dir = sharedFile('interop');
  if (dir === null) return null;

  // Smart Data Models: JSON Schema 2020-12, describing the key-values form; every $ref points at
  // the remote common schema, added here so nothing is fetched.
  const fiware = new Ajv2020({ strict: false, allErrors: true });
  addFormats(fiware);
  fiware.addSchema(read(dir, 'fiware/common-schema.json'));
  const offStreetParking = fiware.compile(read(dir, 'fiware/dataModel.Parking/OffStreetParking/schema.json'));
  const parkingSpot = fiware.compile(read(dir, 'fiware/dataModel.Parking/ParkingSpot/schema.json'));

  // DATEX II Light: draft-04. DATEXII_3_D2Payload.json puts additionalProperties:false beside a
  // $ref, which ajv applies, so even the official example fails it: compile the target directly.
  const light = new AjvDraft4({ strict: false, allErrors: true });
  addFormats(light);
  for (const f of ['DATEXII_3_Common', 'DATEXII_3_LocationReferencing', 'DATEXII_3_ParkingPublicationLight'])
    light.addSchema(read(dir, `datex2/parking-light-02-00-00/original/${f}.json`), `${f}.json`);
  const datex2Light = light.getSchema('DATEXII_3_Common.json#/definitions/_PayloadPublication');
  if (!datex2Light) throw new Error('the DATEX II Light payload schema did not compile');

  const full = new Ajv2020({ strict: false, allErrors: true });
  addFormats(full);
  const fullDir = join(dir, 'datex2/v3.7-json-schema');
  for (const f of readdirSync(fullDir).filter((f) => f.endsWith('.json')))
    full.addSchema(read(fullDir, f), f);
  const datex2Full = full.getSchema('DATEXII_3_D2Payload.json');
  if (!datex2Full) throw new Error('the DATEX II v3.7 payload schema did not compile');

  return { offStreetParking, parkingSpot, datex2Light, datex2Full };
}

/** An official example file, parsed. */
export function interopExample(relative: string): unknown {
  const path = sharedFile(join('interop', relative));
  return path === null ? null : JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Normalized NGSI-LD → key-values, as the Smart Data Models programme validates normalized
 * examples: a Property's value (a typed literal's @value), a Relationship's object.
 */
export function toKeyValues(entity: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entity).map(([k, a]) => {
      if (['id', 'type', '@context'].includes(k) || a === null || typeof a !== 'object' || Array.isArray(a))
        return [k, a];
      const attr = a as { type?: string; value?: unknown; object?: unknown };
      if (attr.type === 'Relationship') return [k, attr.object];
      const v = attr.value;
      return [
        k,
        v !== null && typeof v === 'object' && '@value' in v ? (v as { '@value': unknown })['@value'] : v,
      ];
    }),
  );
}

/** ajv's errors, readable in a failed assertion. */
export function errorsOf(v: ValidateFunction): string[] {
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}
