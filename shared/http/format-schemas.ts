// The documents of the open formats (README "Open formats"), as the OpenAPI document describes
// them. They describe what the service writes; the official schemas (DATEX II, Smart Data Models)
// are what tests validate the documents against.
import { z } from '@hono/zod-openapi';
import { MAX_LOT_NAME_LENGTH } from '../domain/lot-name';
import { EXPORT_MAX_LOTS } from '../use-cases/export-lots';
import { BboxQuerySchema, FREE_TEXT, freeText, Id, IdOut, int } from './schemas';

const instant = () => z.string().max(40).openapi({ format: 'date-time' });

export const ExportQuerySchema = z.object({
  zone: Id.optional().openapi({ description: 'only the lots of this zone' }),
  bbox: BboxQuerySchema.shape.bbox.optional(),
});

const ParkingSiteSchema = z
  .object({
    _id: IdOut.openapi({ description: 'the lot id' }),
    type: z.object({
      value: z.enum(['carPark', 'offStreetParkingGround', 'onStreet', '_extended']),
      _extendedValue: z.enum(['parkAndRide']).optional(),
    }),
    name: freeText(MAX_LOT_NAME_LENGTH),
    lastUpdate: instant()
      .optional()
      .openapi({ description: 'when the lot was last observed (absent: never)' }),
    openingTimesDescription: z.array(freeText(255)).max(1).optional(),
    isOpenNow: z.boolean(),
    temporaryClosed: z.boolean().openapi({ description: 'closed by staff' }),
    zoneDescription: z.array(IdOut).max(1).optional(),
    numberOfSpaces: int(1, 100_000),
    availableSpaces: int(0, 100_000)
      .optional()
      .openapi({ description: "drivers' free spaces; only while the data is fresh and the lot open" }),
    locationAndDimension: z.object({
      coordinatesForDisplay: z.object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
      }),
    }),
  })
  .openapi('Datex2ParkingSite');

export const Datex2LightSchema = z
  .object({
    _modelBaseVersion: z.literal('3'),
    _version: z.literal('3.0'),
    parkingPublicationLight: z.object({
      lang: z.literal('en'),
      publicationTime: instant(),
      publicationCreator: z.object({
        country: z.string().max(2).openapi({ pattern: '^[A-Z]{2}$' }),
        nationalIdentifier: z.string().max(64).openapi(FREE_TEXT),
      }),
      name: freeText(64),
      parkingSite: z.array(ParkingSiteSchema).max(EXPORT_MAX_LOTS),
    }),
  })
  .openapi('Datex2ParkingPublicationLight', {
    description:
      'A DATEX II v3 Parking Publication Light 02-00-00 payload, valid against ' +
      'DATEXII_3_Common.json#/definitions/_PayloadPublication',
  });
