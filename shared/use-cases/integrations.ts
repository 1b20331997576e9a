// Sensor networks (README "Sensor networks"): staff register a LoRaWAN network server and map its
// devices to lots; the server pushes each uplink to the webhook, which becomes one observation.
// Receiving an uplink:
// 1. Read the message in the integration's dialect (domain/lorawan.ts); anything that is not a
//    reading with `occupied` is acknowledged and ignored.
// 2. Find the device's mapping; an unknown device is acknowledged and ignored.
// 3. Ingest one observation through the sensors' own use case (ingest.ts), with an event id
//    derived from device, frame counter and receive time, so a redelivery applies once.
// Network servers retry whatever they get other than a 2xx, so nothing a device sends is answered
// with an error: a message this service cannot use is a 202 with the reason, once.
import { readUplink, uplinkEventId } from '../domain/lorawan';
import type { Observation } from '../domain/observation';
import { EventConflictError, InvalidInputError, NotFoundError } from './errors';
import { ingestObservations, MAX_CLOCK_SKEW_MS } from './ingest';
import type { Dependencies, DeviceMapping, IngestOutcome, Integration } from './ports';

export type UplinkResult = { outcome: IngestOutcome } | { ignored: string };

export async function putDevice(
  deps: Pick<Dependencies, 'integrations' | 'lots'>,
  integrationId: string,
  mapping: DeviceMapping,
): Promise<DeviceMapping> {
  const integration = await deps.integrations.get(integrationId);
  if (integration === null) throw new NotFoundError(`no integration ${integrationId}`);
  if ((await deps.lots.get(mapping.lotId, true)) === null) {
    throw new InvalidInputError('a device may be mapped only to a lot that exists', [
      { path: 'lotId', message: `no lot ${mapping.lotId}` },
    ]);
  }
  // Device ids are matched in one spelling: DevEUIs are hex in any case, TTS ids are lower case.
  const stored = { ...mapping, deviceId: mapping.deviceId.toLowerCase() };
  await deps.integrations.putDevice(integration, stored);
  return stored;
}

export async function receiveUplink(
  deps: Pick<Dependencies, 'integrations' | 'observations' | 'now' | 'historyRetentionDays' | 'metrics'>,
  integration: Integration,
  body: unknown,
  event: string | undefined,
): Promise<UplinkResult> {
  const read = readUplink(integration.network, body, event);
  if ('ignored' in read) return read;
  const { reading } = read;
  const mapping = await deps.integrations.getDevice(integration, reading.deviceId);
  if (mapping === null) return { ignored: `unknown device ${reading.deviceId}; map it first` };

  const base = { eventId: uplinkEventId(integration.network, reading), observedAt: reading.receivedAt };
  let observation: Observation;
  if (mapping.spaceId !== undefined) {
    if (typeof reading.occupied !== 'boolean') {
      return { ignored: `device ${reading.deviceId} is a bay sensor: occupied must be true or false` };
    }
    observation = {
      ...base,
      kind: 'bay',
      spaceId: mapping.spaceId,
      state: reading.occupied ? 'occupied' : 'vacant',
    };
  } else {
    if (typeof reading.occupied !== 'number') {
      return { ignored: `device ${reading.deviceId} is a counter: occupied must be an integer` };
    }
    observation = { ...base, kind: 'count', occupied: reading.occupied };
  }
  if (observation.observedAt > deps.now() + MAX_CLOCK_SKEW_MS) {
    return { ignored: 'the receive time is more than 5 minutes in the future' };
  }
  try {
    const report = await ingestObservations(deps, mapping.lotId, [observation]);
    const outcome = report.results[0]!.outcome;
    deps.metrics.count(
      outcome === 'applied'
        ? 'ObservationsApplied'
        : outcome === 'duplicate'
          ? 'ObservationsDuplicate'
          : 'ObservationsStale',
      1,
    );
    return { outcome };
  } catch (error) {
    if (error instanceof NotFoundError) {
      return {
        ignored: `device ${reading.deviceId} is mapped to lot ${mapping.lotId}, which no longer exists`,
      };
    }
    // The same uplink applied before under another mapping of the device (remapped between two
    // deliveries): it was applied once, which is what a redelivery must find.
    if (error instanceof EventConflictError) return { outcome: 'duplicate' };
    throw error;
  }
}
