/**
 * bench/results/lateness.svg: two panels of grouped bars on a log scale — staggered p99 lateness
 * and herd drain time — one group per size, one bar per system. Hand-written (about 80 lines)
 * rather than vega-lite: that would add a large dependency tree for one static chart.
 */
import type { MixName } from "./mix.ts";
import { LOST_LIMIT, lostShare, type CompareResults } from "./report.ts";

const COLORS = ["#1f77b4", "#17becf", "#d62728", "#2ca02c", "#9467bd"];
const PANEL_W = 420;
const PANEL_H = 260;
const MARGIN = { left: 56, top: 40, bottom: 44 };

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function panel(results: CompareResults, mix: MixName, title: string, x0: number): string {
  const sizes = results.method.sizes;
  const systems = results.systems;
  const value = (system: string, jobs: number): number | null => {
    const r = results.lateness.find((c) => c.system === system && c.mix === mix && c.jobs === jobs)?.result;
    if (r == null || lostShare(r) > LOST_LIMIT) return null;
    return mix === "herd" ? r.check.lastMs : r.check.lateness.p99;
  };
  const values = sizes.flatMap((n) => systems.map((s) => value(s.name, n) ?? NaN)).filter((v) => Number.isFinite(v));
  const top = Math.max(10, ...values.map((v) => Math.max(1, v)));
  const decades = Math.ceil(Math.log10(top));
  const plotH = PANEL_H - MARGIN.top - MARGIN.bottom;
  const plotW = PANEL_W - MARGIN.left - 10;
  const y = (v: number): number => MARGIN.top + plotH - (Math.log10(Math.max(1, v)) / decades) * plotH;
  const parts = [`<text x="${x0 + PANEL_W / 2}" y="20" text-anchor="middle" font-weight="bold">${escape(title)}</text>`];
  for (let d = 0; d <= decades; d++) {
    const yy = y(10 ** d);
    parts.push(`<line x1="${x0 + MARGIN.left}" x2="${x0 + MARGIN.left + plotW}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 + MARGIN.left - 6}" y="${yy + 4}" text-anchor="end">${escape((10 ** d).toLocaleString("en-US"))}</text>`);
  }
  parts.push(`<text transform="translate(${x0 + 14},${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">ms (log)</text>`);
  const groupW = plotW / sizes.length;
  const barW = (groupW * 0.8) / systems.length;
  sizes.forEach((n, g) => {
    const gx = x0 + MARGIN.left + g * groupW + groupW * 0.1;
    parts.push(`<text x="${gx + groupW * 0.4}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${n.toLocaleString("en-US")} jobs</text>`);
    systems.forEach((s, i) => {
      const v = value(s.name, n);
      const bx = gx + i * barW;
      if (v === null || !Number.isFinite(v)) {
        const r = results.lateness.find((c) => c.system === s.name && c.mix === mix && c.jobs === n)?.result;
        const why = r == null ? "n/a" : `${Math.round(lostShare(r) * 100)}% lost`;
        parts.push(
          `<text transform="translate(${bx + barW / 2},${MARGIN.top + plotH - 4}) rotate(-90)" font-size="9" fill="${COLORS[i % COLORS.length] ?? "#888"}">${why}</text>`,
        );
        return;
      }
      const by = y(v);
      parts.push(`<rect x="${bx}" y="${by}" width="${barW - 2}" height="${MARGIN.top + plotH - by}" fill="${COLORS[i % COLORS.length] ?? "#888"}"><title>${escape(`${s.label}: ${Math.round(v)} ms`)}</title></rect>`);
    });
  });
  return parts.join("\n");
}

export function latenessSvg(results: CompareResults): string {
  const width = PANEL_W * 2 + 20;
  const legendY = PANEL_H + 10;
  const legend = results.systems
    .map((s, i) => `<rect x="${20 + i * 215}" y="${legendY}" width="12" height="12" fill="${COLORS[i % COLORS.length] ?? "#888"}"/><text x="${36 + i * 215}" y="${legendY + 11}">${escape(s.label)}</text>`)
    .join("\n");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${PANEL_H + 40}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    panel(results, "staggered", "Staggered mix: p99 dispatch lateness (ms)", 0),
    panel(results, "herd", "Herd: time to drain (ms to the last dispatch)", PANEL_W + 20),
    legend,
    "</svg>",
    "",
  ].join("\n");
}
