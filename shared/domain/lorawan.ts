// What a LoRaWAN network server's webhook says, read into one reading of one device (README
// "Sensor networks"). Pure: the message in, a reading or the reason to ignore it out. Two
// dialects, each as its own documentation shows it (test/fixtures/lorawan/ cites the pages):
// - The Things Stack v3 webhook uplink message: `end_device_ids.device_id`, `uplink_message`
//   with `f_cnt`, `decoded_payload` and `received_at` (the Network Server's receive time).
// - ChirpStack v4 HTTP-integration event (`?event=up`): `deviceInfo.devEui`, `fCnt`, `object`
//   and `time`.
// Both omit empty fields (a frame counter of 0 is absent), so a missing counter reads as 0.
import { z } from 'zod';
import { inTimeDomain } from './time-domain';

export type Network = 'tts' | 'chirpstack';
export const NETWORKS = ['tts', 'chirpstack'] as const satisfies readonly Network[];

/** One uplink's occupancy: a boolean for a bay sensor, an integer for a counter. */
export interface UplinkReading {
  deviceId: string;
  frameCounter: number;
  /** Epoch ms of the network's receive time. */
  receivedAt: number;
  occupied: boolean | number;
}

export type UplinkRead = { reading: UplinkReading } | { ignored: string };

/** The range a counter may report, the same as an absolute count posted by a sensor. */
export const COUNTER_RANGE = { min: -1_000_000, max: 1_000_000 } as const;

// Times as both servers write them: RFC 3339 with up to nanoseconds, `Z` or an offset.
const instant = z.iso.datetime({ offset: true }).transform((s) => Date.parse(s));
const frameCounter = z
  .number()
  .int()
  .min(0)
  .max(2 ** 32 - 1);
const deviceId = z.string().min(1).max(64);

const TtsUplink = z.looseObject({
  end_device_ids: z.looseObject({ device_id: deviceId }),
  received_at: instant.optional(),
  uplink_message: z.looseObject({
    f_cnt: frameCounter.optional(),
    decoded_payload: z.record(z.string(), z.unknown()).optional(),
    received_at: instant.optional(),
  }),
});

const ChirpstackUp = z.looseObject({
  time: instant,
  deviceInfo: z.looseObject({ devEui: z.string().regex(/^[0-9A-Fa-f]{16}$/) }),
  fCnt: frameCounter.optional(),
  object: z.record(z.string(), z.unknown()).optional(),
});

/**
 * Reads one webhook call. `event` is ChirpStack's `?event=` (The Things Stack sends each kind of
 * message to its own path, and this one takes uplink messages only).
 */
export function readUplink(network: Network, body: unknown, event: string | undefined): UplinkRead {
  if (network === 'chirpstack') {
    if (event !== 'up')
      return { ignored: `event ${event ?? '(none)'} is not an uplink (only event=up is read)` };
    const parsed = ChirpstackUp.safeParse(body);
    if (!parsed.success) return { ignored: `not a ChirpStack uplink event: ${firstIssue(parsed.error)}` };
    const up = parsed.data;
    return withOccupied(
      {
        // DevEUIs are hex in any case; one spelling, so a mapping matches whatever the server writes.
        deviceId: up.deviceInfo.devEui.toLowerCase(),
        frameCounter: up.fCnt ?? 0,
        receivedAt: up.time,
      },
      up.object,
    );
  }
  if (typeof body === 'object' && body !== null && !('uplink_message' in body)) {
    return { ignored: 'not an uplink message (no uplink_message)' };
  }
  const parsed = TtsUplink.safeParse(body);
  if (!parsed.success)
    return { ignored: `not a The Things Stack uplink message: ${firstIssue(parsed.error)}` };
  const up = parsed.data;
  // The Network Server's receive time; the Application Server's (top level) only if it is missing.
  const receivedAt = up.uplink_message.received_at ?? up.received_at;
  if (receivedAt === undefined) return { ignored: 'the uplink carries no received_at' };
  return withOccupied(
    {
      deviceId: up.end_device_ids.device_id.toLowerCase(),
      frameCounter: up.uplink_message.f_cnt ?? 0,
      receivedAt,
    },
    up.uplink_message.decoded_payload,
  );
}

function withOccupied(
  reading: Omit<UplinkReading, 'occupied'>,
  decoded: Record<string, unknown> | undefined,
): UplinkRead {
  if (!inTimeDomain(reading.receivedAt)) return { ignored: 'the receive time is outside 1970–2200' };
  const occupied = decoded?.occupied;
  if (occupied === undefined) return { ignored: 'the decoded payload has no occupied' };
  if (typeof occupied === 'boolean') return { reading: { ...reading, occupied } };
  if (
    typeof occupied === 'number' &&
    Number.isInteger(occupied) &&
    occupied >= COUNTER_RANGE.min &&
    occupied <= COUNTER_RANGE.max
  ) {
    return { reading: { ...reading, occupied } };
  }
  return {
    ignored: `occupied must be a boolean (bay) or an integer in [${COUNTER_RANGE.min}, ${COUNTER_RANGE.max}] (counter)`,
  };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.join('.') || '(body)'} ${issue.message}`;
}

/**
 * The event id of an uplink: the same device, frame counter and receive time give the same id,
 * so a redelivered uplink is a duplicate; a counter that restarts after a rejoin does not
 * collide, because its receive time differs. At most 10 + 64 + 10 + 13 + 3 = 100 characters (a
 * mapped device id is a valid id, so the event id is one too).
 */
export function uplinkEventId(network: Network, reading: UplinkReading): string {
  return `${network}.${reading.deviceId}.${reading.frameCounter}.${reading.receivedAt}`;
}
