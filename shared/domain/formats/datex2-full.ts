// Lots in the full DATEX II v3.7 parking model (README "Open formats"): the static
// ParkingTablePublication (one Place per lot) and the dynamic ParkingStatusPublication (one
// PlaceStatus per lot), each a payload valid against DATEXII_3_D2Payload.json. Pure: built from
// the same lot view drivers get, so the figures agree.
import type { PublicationHeader } from './datex2-light';
import { closedByHours, type FormatLot } from './ngsi-ld';

/** Lots' definitions carry no version a consumer could follow yet: every Place is version 1. */
const PLACE_VERSION = '1';

const header = (h: PublicationHeader) => ({
  lang: h.lang,
  publicationTime: h.publicationTime,
  publicationCreator: h.publicationCreator,
});
const payload = <P extends Record<string, unknown>>(publication: P) => ({
  payload: { modelBaseVersionG: '3', versionG: '3.7', ...publication },
});

/** Both publications need at least one lot: the schema's lists have minItems 1. */
export function parkingTablePublication(lots: readonly FormatLot[], h: PublicationHeader) {
  return payload({
    prkParkingTablePublication: {
      ...header(h),
      parkingTable: [
        {
          idG: 'lots',
          versionG: PLACE_VERSION,
          name: { values: [{ lang: h.lang, value: h.name }] },
          versionTime: h.publicationTime,
          hierarchyElementGeneral: lots.map((lot) => ({
            prkPlace: {
              idG: lot.id,
              versionG: PLACE_VERSION,
              name: { values: [{ lang: h.lang, value: lot.name }] },
              layer: 0,
              type: { value: 'place' },
              locationReference: {
                locPointLocation: {
                  pointByCoordinates: {
                    pointCoordinates: { latitude: lot.location.lat, longitude: lot.location.lon },
                  },
                },
              },
              supply: { quantity: lot.capacity, viewType: { value: 'spaceView' } },
            },
          })),
        },
      ],
    },
  });
}

function placeStatus(lot: FormatLot) {
  const fresh = lot.status === 'available' || lot.status === 'full';
  const closed = lot.status === 'closed';
  return {
    prkPlaceStatus: {
      reference: { targetClass: 'prk:Place', idG: lot.id, versionG: PLACE_VERSION },
      ...(lot.observedAt !== null ? { lastUpdated: lot.observedAt } : {}),
      // Closed by staff is a temporary closure; outside opening hours, simply closed.
      openingStatus: { value: closed ? (closedByHours(lot) ? 'closed' : 'temporarilyClosed') : 'open' },
      ...(closed
        ? {}
        : { status: [{ value: fresh ? (lot.status === 'full' ? 'full' : 'spacesAvailable') : 'unknown' }] }),
      // Only fresh figures: a stale or closed lot's last count is not its occupancy now.
      ...(fresh && lot.free !== null && lot.occupied !== null && lot.occupancy !== null
        ? {
            occupancy: {
              numberOfVacantSpaces: lot.free,
              numberOfOccupiedSpaces: lot.occupied,
              occupancy: lot.occupancy * 100,
            },
          }
        : {}),
    },
  };
}

export function parkingStatusPublication(lots: readonly FormatLot[], h: PublicationHeader) {
  return payload({
    prkParkingStatusPublication: { ...header(h), parkingStatusInformation: lots.map(placeStatus) },
  });
}
