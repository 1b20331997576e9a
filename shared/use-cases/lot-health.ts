// Staff: which lots are not telling us anything useful right now (README "API summary": `GET /v1/reports/health`).
import { lotStatus } from '../domain/lot';
import type { Dependencies } from './ports';

export async function lotHealth(deps: Pick<Dependencies, 'lots' | 'now'>) {
  const now = deps.now();
  const lots = await deps.lots.list();
  return {
    lots: lots
      .map((lot) => ({ lot, status: lotStatus(lot, now) }))
      .filter(({ status }) => status === 'stale' || status === 'nodata')
      .map(({ lot, status }) => ({
        status: status as 'stale' | 'nodata',
        id: lot.id,
        name: lot.name,
        observedAt: lot.lastAt === null ? null : new Date(lot.lastAt).toISOString(),
        dataAge: lot.lastAt === null ? null : Math.max(0, Math.round((now - lot.lastAt) / 1000)),
      }))
      // Never-observed first, then the longest silent.
      .sort((a, b) => (b.dataAge ?? Number.POSITIVE_INFINITY) - (a.dataAge ?? Number.POSITIVE_INFINITY)),
  };
}
