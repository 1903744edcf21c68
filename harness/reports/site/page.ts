// The page shell of the living documentation: one stylesheet and (on the home page) one script,
// both inline, so every page works from file:// with no network and no other file.
import { Html, html } from "../html.ts";

/** Verdict and status colours; each passes WCAG AA against white text (axe checks the pages). */
const style = `
:root{--fg:#1b1f23;--muted:#4b535c;--line:#d0d7de;--bg2:#f6f8fa;
--passed:#1a7f37;--failed:#c5221f;--target-error:#8250df;--unsupported:#7d4e00;--not-run:#4b535c;--not-testable:#59636e;
--undefined:#7d4e00;--ambiguous:#7d4e00;--pending:#7d4e00;--skipped:#59636e;--unknown:#59636e}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);line-height:1.45;background:#fff}
header.site{background:#24292f;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1.5rem;align-items:baseline;flex-wrap:wrap}
header.site a{color:#fff}header.site .brand{font-weight:700;font-size:1.1rem}
main{padding:1rem 1.5rem 3rem;max-width:84rem}
h1{font-size:1.6rem;margin:.6rem 0}h2{font-size:1.25rem;margin:1.6rem 0 .5rem}h3{font-size:1.05rem;margin:.2rem 0}
a{color:#0b57c2}
code{background:var(--bg2);padding:0 .25rem;border-radius:3px;font-size:.9em}
pre{white-space:pre-wrap;word-break:break-word;background:var(--bg2);padding:.5rem;border-radius:4px;font-size:.85rem;margin:.3rem 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
td,th{border:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:var(--bg2)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:1rem;color:#fff;font-size:.8rem;font-weight:600;white-space:nowrap;background:var(--not-run)}
.v-passed{background:var(--passed)}.v-failed{background:var(--failed)}.v-target-error{background:var(--target-error)}
.v-unsupported{background:var(--unsupported)}.v-not-run{background:var(--not-run)}.v-not-testable{background:var(--not-testable)}
.v-undefined,.v-ambiguous,.v-pending{background:var(--undefined)}.v-skipped,.v-unknown{background:var(--skipped)}
.v-conforms{background:var(--passed)}.v-does-not-conform{background:var(--failed)}.v-not-claimed{background:var(--not-run)}
.verdict{border-radius:8px;padding:.8rem 1.1rem;color:#fff;margin:.6rem 0 1rem}
.verdict p{margin:.2rem 0}.verdict a{color:#fff;font-weight:600}
.verdict .word{font-size:1.7rem;font-weight:800;letter-spacing:.02em}
.r-conforms{background:var(--passed)}.r-does-not-conform{background:var(--failed)}.r-target-error{background:var(--target-error)}.r-no-claim{background:var(--not-run)}.r-incomplete{background:var(--not-run)}
.overview{display:grid;grid-template-columns:minmax(16rem,26rem) 1fr;gap:1.2rem;align-items:start}
@media (max-width:60rem){.overview{grid-template-columns:1fr}}
.counts{display:flex;flex-wrap:wrap;gap:.4rem .9rem;margin:.3rem 0;padding:0;list-style:none}
.families{width:100%}.families td,.families th{border:none;border-bottom:1px solid var(--line);padding:.35rem .4rem;background:none;font-weight:normal}
.bar{display:flex;height:1.1rem;min-width:10rem;border-radius:3px;overflow:hidden;background:var(--bg2)}
.bar span{display:block;height:100%}
.seg-passed{background:var(--passed)}.seg-failed{background:var(--failed)}.seg-target-error{background:var(--target-error)}
.seg-unsupported{background:var(--unsupported)}.seg-not-run{background:#8c959f}.seg-not-testable{background:#b6bec6}
.legend{font-size:.8rem;color:var(--muted)}
.dot{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.25rem;vertical-align:-.05rem}
form.filter{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;background:var(--bg2);padding:.6rem .8rem;border-radius:6px;margin:.5rem 0}
form.filter label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted);gap:.15rem}
form.filter select{max-width:18rem}
form.filter select,form.filter input{font:inherit;font-size:.9rem;padding:.2rem .3rem;border:1px solid #8c959f;border-radius:4px;color:var(--fg);background:#fff}
form.filter input[type=search]{min-width:16rem}
.trend{display:inline-flex;gap:2px;vertical-align:middle}.trend i{display:inline-block;width:.55rem;height:.9rem;border-radius:1px}
.t-passed{background:var(--passed)}.t-failed{background:var(--failed)}.t-target-error{background:var(--target-error)}
.t-unsupported{background:var(--unsupported)}.t-not-run,.t-absent{background:#d0d7de}.t-not-testable{background:#b6bec6}
blockquote.statement{font-size:1.1rem;margin:.5rem 0 1rem;padding:.6rem 1rem;border-left:4px solid #0b57c2;background:#f3f7fd}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
section.scenario{border:1px solid var(--line);border-radius:6px;padding:.7rem .9rem;margin:1rem 0}
section.scenario.sc-failed,section.scenario.sc-target-error{border-color:var(--failed);border-width:2px}
.where{color:var(--muted);font-size:.85rem}
ol.steps{margin:.4rem 0;padding-left:1.4rem;font-size:.9rem}ol.steps li{margin:.1rem 0}
ol.steps .kw{font-weight:600;color:#4b535c}
ol.steps li.st-failed{color:var(--failed);font-weight:600}ol.steps li.st-skipped{color:var(--muted)}
.failure{display:grid;grid-template-columns:1fr 1fr;gap:.6rem;border:1px solid var(--failed);background:#fff5f5;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}
@media (max-width:60rem){.failure{grid-template-columns:1fr}}
.failure h4{margin:.1rem 0 .3rem;font-size:.95rem}
.failure .expected{border-left:4px solid var(--passed);padding-left:.5rem}.failure .observed{border-left:4px solid var(--failed);padding-left:.5rem}
.failure .full{grid-column:1/-1}
figure{margin:.8rem 0;padding:.5rem;border:1px solid var(--line);border-radius:6px;background:#fff;overflow-x:auto}
figcaption{font-size:.85rem;color:var(--muted);margin-bottom:.3rem}
.evidence h4{margin:1rem 0 .3rem;font-size:.95rem}
details>summary{cursor:pointer;color:#0b57c2}
.note{color:var(--muted);font-size:.85rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

export interface PageOptions {
  title: string;
  body: Html;
  /** Relative path from the page to the site root ("" or "../"). */
  root: string;
  /** An inline script (the home page's filter); never holds data from a run. */
  script?: string;
}

export function page(options: PageOptions): string {
  const script = options.script ? new Html(`<script>${options.script}</script>`) : "";
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title}</title><style>${new Html(style)}</style></head><body>
<header class="site"><a class="brand" href="${options.root}index.html">srkit living documentation</a></header>
<main>${options.body}</main>${script}</body></html>`.text;
}

/** A verdict or status as a coloured badge with its words (colour is never the only signal). */
export const badge = (verdict: string) =>
  html`<span class="badge v-${cssToken(verdict)}">${verdict.replaceAll("-", " ")}</span>`;

/** A class-name token from a value that may have come from elsewhere: letters, digits, dashes. */
export const cssToken = (value: string) => value.replace(/[^a-z0-9-]/gi, "") || "unknown";
