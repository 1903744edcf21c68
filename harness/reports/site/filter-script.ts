// The home page's filter and search, inline (file:// and no network). It reads only the page's
// own data attributes; no run data is ever written into the script. The filter's state lives in
// the URL's fragment (#verdict=failed&family=failover), so a filtered view can be linked to.
export const filterScript = `(() => {
  const form = document.querySelector("form.filter");
  if (!form) return;
  const rows = [...document.querySelectorAll("tr[data-requirement]")];
  const fields = ["verdict", "family", "keyword", "doc", "q"];
  const apply = () => {
    const v = Object.fromEntries(fields.map((f) => [f, (form.elements[f].value || "").trim()]));
    const words = v.q.toLowerCase().split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const d = row.dataset;
      const text = row.textContent.toLowerCase();
      const ok = (!v.verdict || d.verdict === v.verdict) && (!v.family || d.family === v.family) &&
        (!v.keyword || d.keyword === v.keyword) && (!v.doc || d.docs.split(" ").includes(v.doc)) &&
        words.every((w) => text.includes(w));
      row.hidden = !ok;
      if (ok) shown++;
    }
    form.elements.shown.value = shown + " of " + rows.length + " shown";
    const hash = new URLSearchParams(fields.filter((f) => v[f]).map((f) => [f, v[f]])).toString();
    if (location.hash.slice(1) !== hash) history.replaceState(null, "", hash ? "#" + hash : location.pathname);
  };
  const fromHash = () => {
    const params = new URLSearchParams(location.hash.slice(1));
    for (const f of fields) form.elements[f].value = params.get(f) || "";
    apply();
  };
  form.addEventListener("input", apply);
  form.addEventListener("submit", (e) => { e.preventDefault(); apply(); });
  window.addEventListener("hashchange", () => {
    fromHash();
    document.getElementById("requirements")?.scrollIntoView();
  });
  fromHash();
})();`;
