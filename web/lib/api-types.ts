// What the API answers, as the types of the zod schemas that define it (shared/http/schemas.ts, the
// same schemas the OpenAPI document is generated from). Type-only imports: esbuild erases them, so
// no zod reaches the browser (web/build.ts fails the build if any file outside web/ is bundled),
// while a field renamed or retyped in a schema fails the type check of the page code that reads it.
import type { z } from 'zod';
import type {
  ForecastResponseSchema,
  HealthReportSchema,
  HeatmapSchema,
  LotListResponseSchema,
  NearbyResponseSchema,
  ProblemSchema,
  SourceSchema,
  UtilizationReportSchema,
} from '../../shared/http/schemas';

export type NearbyResponse = z.output<typeof NearbyResponseSchema>;
export type NearbyLot = NearbyResponse['lots'][number];
export type Prediction = NonNullable<NearbyLot['prediction']>;
export type ForecastResponse = z.output<typeof ForecastResponseSchema>;
export type ForecastPoint = ForecastResponse['points'][number];
export type LotList = z.output<typeof LotListResponseSchema>;
export type Lot = LotList['lots'][number];
export type LotStatus = Lot['status'];
export type LotFeature = Lot['features'][number];
export type LotType = Lot['type'];
export type LatLon = Lot['location'];
export type UtilizationReport = z.output<typeof UtilizationReportSchema>;
export type UtilizationRow = UtilizationReport['rows'][number];
export type Bucket = UtilizationReport['bucket'];
export type Heatmap = z.output<typeof HeatmapSchema>;
export type HealthReport = z.output<typeof HealthReportSchema>;
export type Problem = z.output<typeof ProblemSchema>;
export type FeedSource = z.output<typeof SourceSchema>;

/** The JSON answer of each GET route the pages call. */
export interface ApiResponses {
  '/v1/lots/nearby': NearbyResponse;
  '/v1/lots': LotList;
  '/v1/reports/utilization': UtilizationReport;
  '/v1/reports/heatmap': Heatmap;
  '/v1/reports/health': HealthReport;
  '/v1/sources': { sources: FeedSource[] };
  /** A lot's forecast (the id URL-encoded in the path). */
  [forecast: `/v1/lots/${string}/forecast`]: ForecastResponse;
}
export type ApiPath = keyof ApiResponses;
