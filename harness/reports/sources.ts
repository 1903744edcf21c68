// Source citations as a reader needs them: the document's title and the section's heading (from
// fixtures/seeds-index.json, see harness/catalog/seeds-index.ts), not opaque ids.
import type { SeedsIndex } from "../catalog/seeds-index.ts";
import { type Html, html } from "./html.ts";

export interface DescribedSource {
  doc: string;
  section: string;
  /** The document's title; the id when the index has none. */
  title: string;
  /** The section's heading; the anchor when the index has none. */
  heading: string;
  /** BCP 47 language of title and heading (the 2019 article's are German). */
  language: string;
}

export function describeSource(index: SeedsIndex, source: { doc: string; section: string }): DescribedSource {
  const doc = index.docs[source.doc];
  return {
    doc: source.doc,
    section: source.section,
    title: doc?.title ?? source.doc,
    heading: doc?.headings?.[source.section] ?? source.section,
    language: doc?.language ?? "en",
  };
}

/** A short label for a document in lists and filters: "000 How does VMware replication ...". */
export function documentLabel(index: SeedsIndex, doc: string): string {
  const title = index.docs[doc]?.title;
  return title ? `${doc.slice(0, 3)} ${title}` : doc;
}

/** One citation: title, section heading, and the ids in small print for those who check. */
export function sourceItem(s: DescribedSource): Html {
  return html`<li><cite lang="${s.language}">${s.title}</cite>, section “<span lang="${s.language}">${s.heading}</span>”
<span class="note">(<code>${s.doc}</code> § <code>${s.section}</code>)</span></li>`;
}

/** The other side of a conflict: a doc#section (cited by title and heading) or a requirement (linked). */
export function conflictWith(index: SeedsIndex, other: string, knownIds: ReadonlySet<string>): Html {
  const cited = /^(\d{3}_[0-9a-f]{16})#(.+)$/.exec(other);
  if (cited?.[1] && cited[2]) {
    const s = describeSource(index, { doc: cited[1], section: cited[2] });
    return html`<cite lang="${s.language}">${s.title}</cite>, section “<span lang="${s.language}">${s.heading}</span>”`;
  }
  return knownIds.has(other) ? html`<a href="${other}.html">${other}</a>` : html`<code>${other}</code>`;
}
