// Anyone: a lot's reported bays, each with its latest report (README "Open formats").
// 1. The lot (404 if none), as drivers see it.
// 2. Its bays from the store, one bounded Query; each report fresh while younger than the
//    lot's staleAfterSeconds.
import type { SpotView } from '../domain/formats/ngsi-ld';
import { type LotView, toLotView } from '../domain/lot';
import { loadOpeningHours } from '../domain/opening-hours';
import { NotFoundError } from './errors';
import type { Dependencies } from './ports';

export async function spotsOfLot(
  deps: Pick<Dependencies, 'lots' | 'observations' | 'now'>,
  lotId: string,
  query: { limit: number; spaceId?: string },
): Promise<{ lot: LotView; spots: SpotView[] }> {
  const stored = await deps.lots.get(lotId);
  if (stored === null) throw new NotFoundError(`lot ${lotId} does not exist`);
  const now = deps.now();
  const [bays, hours] = await Promise.all([deps.observations.bays(stored, query), loadOpeningHours()]);
  return {
    lot: toLotView(stored, now, hours),
    spots: bays.map((b) => ({
      spaceId: b.spaceId,
      state: b.state,
      observedAt: new Date(b.observedAt).toISOString(),
      fresh: now - b.observedAt <= stored.staleAfterSeconds * 1000,
    })),
  };
}
