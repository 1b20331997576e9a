// An SVG line chart of MAE by horizon, one line per predictor (hand-written: a dozen elements).
import { BACKTEST_HORIZONS, type BacktestResult, PREDICTORS } from './evaluate';

const COLOURS = ['#d62728', '#7f7f7f', '#2ca02c', '#1f77b4', '#9467bd'];

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function maeChartSvg(result: BacktestResult, title: string): string {
  const [w, h, left, right, top, bottom] = [640, 360, 60, 150, 40, 40];
  const plotW = w - left - right;
  const plotH = h - top - bottom;
  const max = Math.max(1, ...result.horizons.flatMap((x) => PREDICTORS.map((p) => x.mae[p])));
  const x = (i: number) => left + (plotW * i) / (BACKTEST_HORIZONS.length - 1);
  const y = (v: number) => top + plotH - (plotH * v) / max;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<text x="${left}" y="24" font-size="14">${escapeXml(title)}</text>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#000"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#000"/>`,
  ];
  for (const [i, hz] of BACKTEST_HORIZONS.entries())
    parts.push(
      `<text x="${x(i)}" y="${top + plotH + 16}" text-anchor="middle">${hz < 60 ? `${hz}m` : `${hz / 60}h`}</text>`,
    );
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(0)}</text>`);
  }
  for (const [j, p] of PREDICTORS.entries()) {
    const points = result.horizons.map((hz, i) => `${x(i).toFixed(1)},${y(hz.mae[p]).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${COLOURS[j]}" stroke-width="2" points="${points}"/>`);
    parts.push(`<text x="${left + plotW + 10}" y="${top + 16 * j + 12}" fill="${COLOURS[j]}">${p}</text>`);
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
