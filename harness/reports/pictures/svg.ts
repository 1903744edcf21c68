// What the pictures share: an SVG frame that is one image to assistive technology, and a time
// axis over virtual time. Scales and ticks come from d3 (d3-scale, d3-time-format): pure
// functions, no DOM, so a picture costs well under a millisecond. Every text goes through html``.
import type { ScaleLinear, ScaleTime } from "d3-scale";
import { utcFormat } from "d3-time-format";
import { type Html, html } from "../html.ts";

export const ink = "#1b1f23";
export const muted = "#4b535c";
export const grid = "#d8dee4";

/** Coordinates rounded to a tenth of a pixel: smaller files, same picture. */
export const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * An SVG picture with its accessible name (screen readers read the label instead of the marks).
 * @param label what the picture shows, in words
 */
export function svgFrame(width: number, height: number, label: string, body: Html | Html[]): Html {
  return html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${label}" viewBox="0 0 ${width} ${height}"
 width="${width}" height="${height}" style="max-width:100%;height:auto" font-family="system-ui, sans-serif" font-size="12">${body}</svg>`;
}

/** A 24-hour tick format for virtual time, with the day once the span passes most of a day. */
const tickFormat = (from: number, to: number) =>
  utcFormat(to - from > 20 * 3600_000 ? "%d %b %H:%M" : "%H:%M");

/** The time axis along `y`, with about `count` ticks and its label at the right end. */
export function timeAxis(x: ScaleTime<number, number>, y: number, count = 8): Html {
  const [from, to] = x.domain().map(Number) as [number, number];
  const format = tickFormat(from, to);
  const [left, right] = x.range() as [number, number];
  return html`<g class="axis"><line x1="${left}" x2="${right}" y1="${y}" y2="${y}" stroke="${muted}"/>
${x.ticks(count).map((t) => {
  const at = r1(x(t));
  return html`<line x1="${at}" x2="${at}" y1="${y}" y2="${y + 5}" stroke="${muted}"/><text x="${at}" y="${y + 17}" text-anchor="middle" fill="${ink}">${format(t)}</text>`;
})}<text x="${right}" y="${y + 32}" text-anchor="end" fill="${muted}">virtual time (UTC) →</text></g>`;
}

/** A value axis along `x`, with grid lines across to `right`. */
export function valueAxis(y: ScaleLinear<number, number>, x: number, right: number, label: string): Html {
  return html`<g class="axis">${y.ticks(5).map((t) => {
    const at = r1(y(t));
    return html`<line x1="${x}" x2="${right}" y1="${at}" y2="${at}" stroke="${grid}"/><text x="${x - 6}" y="${at + 4}" text-anchor="end" fill="${ink}">${t}</text>`;
  })}<text x="${x}" y="12" fill="${muted}">${label}</text></g>`;
}
