// The service's one table, built from the same constants local mode creates its table from
// (shared/store/table-design.ts), so keys and indexes cannot drift between the two.
import { RemovalPolicy } from 'aws-cdk-lib';
import { type Attribute, AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  CATALOG_INDEX,
  GEO_INDEX,
  HISTORY_INDEX,
  type KeyAttribute,
  TABLE,
} from '../../shared/store/table-design';

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/** Every index of the table, by name: grants name them one by one instead of `index/*`. */
export const INDEX_NAMES = [GEO_INDEX.indexName, CATALOG_INDEX.indexName, HISTORY_INDEX.indexName] as const;

export class ParkingTable extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Stateful and never replaced: on-demand (traffic follows the rush hours), point-in-time recovery,
    // deletion protection, and RETAIN so that deleting the stack keeps the data. The LSI can only be
    // created with the table, which is one more reason never to change this construct's id.
    this.table = new TableV2(this, 'Table', {
      partitionKey: attribute(TABLE.partitionKey),
      sortKey: attribute(TABLE.sortKey),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // History items carry their expiry (HISTORY_RETENTION_DAYS after arrival) in this attribute.
      timeToLiveAttribute: TABLE.timeToLiveAttribute,
      globalSecondaryIndexes: [
        {
          indexName: GEO_INDEX.indexName,
          partitionKey: attribute(GEO_INDEX.partitionKey),
          sortKey: attribute(GEO_INDEX.sortKey),
          projectionType: ProjectionType[GEO_INDEX.projection],
          nonKeyAttributes: [...GEO_INDEX.nonKeyAttributes],
        },
        {
          indexName: CATALOG_INDEX.indexName,
          partitionKey: attribute(CATALOG_INDEX.partitionKey),
          sortKey: attribute(CATALOG_INDEX.sortKey),
          projectionType: ProjectionType[CATALOG_INDEX.projection],
        },
      ],
      localSecondaryIndexes: [
        {
          indexName: HISTORY_INDEX.indexName,
          sortKey: attribute(HISTORY_INDEX.sortKey),
          projectionType: ProjectionType[HISTORY_INDEX.projection],
        },
      ],
    });
  }
}
