// Lots as a DATEX II v3 Parking Publication Light payload (README "Open formats"): one
// `parkingSite` per lot, valid against DATEXII_3_Common.json#/definitions/_PayloadPublication.
// Pure: built from the same lot view drivers get, so the figures agree.
import type { LotType } from '../lot';
import { closedByHours, type FormatLot } from './ngsi-ld';

export interface PublicationHeader {
  /** When the publication was made (ISO-8601). */
  publicationTime: string;
  /** ISO 639-1 language of the free text (lot names). */
  lang: string;
  /** Who publishes it: an ISO 3166-1 alpha-2 country and a name unique in that country. */
  publicationCreator: { country: string; nationalIdentifier: string };
  name: string;
}

/** DATEX II writes enumerations as objects: `{value}`, or `{value: "_extended", _extendedValue}`. */
type SiteType = { value: string; _extendedValue?: string };

const SITE_TYPE: Record<LotType, SiteType> = {
  garage: { value: 'carPark' },
  underground: { value: 'carPark' },
  surface: { value: 'offStreetParkingGround' },
  on_street: { value: 'onStreet' },
  park_and_ride: { value: '_extended', _extendedValue: 'parkAndRide' },
};

export function parkingSite(lot: FormatLot & { zone?: string | null }) {
  const fresh = lot.status === 'available' || lot.status === 'full';
  const closed = lot.status === 'closed';
  return {
    _id: lot.id,
    type: SITE_TYPE[lot.type],
    name: lot.name,
    ...(lot.observedAt !== null ? { lastUpdate: lot.observedAt } : {}),
    ...(lot.openingHours !== null ? { openingTimesDescription: [lot.openingHours] } : {}),
    isOpenNow: !closed,
    // Closed by staff is a temporary closure; outside opening hours is not.
    temporaryClosed: closed && !closedByHours(lot),
    ...(lot.zone ? { zoneDescription: [lot.zone] } : {}),
    numberOfSpaces: lot.capacity,
    // Only a fresh figure is published: a stale or closed lot's last count is not availability.
    ...(fresh && lot.free !== null ? { availableSpaces: lot.free } : {}),
    locationAndDimension: {
      coordinatesForDisplay: { latitude: lot.location.lat, longitude: lot.location.lon },
    },
  };
}

export function parkingPublicationLight(
  lots: readonly (FormatLot & { zone?: string | null })[],
  header: PublicationHeader,
) {
  return {
    _modelBaseVersion: '3',
    _version: '3.0',
    parkingPublicationLight: {
      lang: header.lang,
      publicationTime: header.publicationTime,
      publicationCreator: header.publicationCreator,
      name: header.name,
      parkingSite: lots.map(parkingSite),
    },
  };
}
