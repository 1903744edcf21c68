// Observable Plot rendered on the server: Plot builds its SVG through a DOM, which linkedom
// provides without a browser. Text a target sent only ever reaches the SVG as text content
// (escaped by the serializer); the accessible name is set here with markup characters removed.
import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

const { document } = parseHTML("<!doctype html><html><body></body></html>");

/** Plot options without the document (this module supplies it). */
export type PlotOptions = Omit<Plot.PlotOptions, "document">;

/**
 * Renders a Plot to an SVG string with role="img" and the given accessible name.
 * @param label what the picture shows, in words (screen readers read it instead)
 */
export function plotSvg(options: PlotOptions, label: string): string {
  const svg = Plot.plot({ ...options, document: document as unknown as Document }) as unknown as Element;
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label.replace(/[<>]/g, ""));
  svg.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  return svg.outerHTML;
}

export { Plot };

/** A 24-hour tick format for virtual time; with the day once the span passes most of a day. */
export const timeTicks = (from: number, to: number) => (to - from > 20 * 3600_000 ? "%d %b %H:%M" : "%H:%M");
