// Offline API reference: renders /openapi.json (FastAPI's Swagger UI would load from a CDN).
"use strict";
function el(tag, text, cls) { const e = document.createElement(tag); if (text != null) e.textContent = String(text); if (cls) e.className = cls; return e; }
async function main() {
  const spec = await (await fetch("/openapi.json")).json();
  const box = document.getElementById("endpoints");
  box.appendChild(el("p", spec.info.description || ""));
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const sec = el("div"); sec.style.margin = "0 0 18px";
      const h = el("h2", `${method.toUpperCase()} ${path}`); sec.appendChild(h);
      if (op.summary) sec.appendChild(el("p", op.summary));
      if (op.description) sec.appendChild(el("p", op.description));
      const ps = op.parameters || [];
      if (ps.length) {
        const t = el("table"); const head = el("tr");
        for (const c of ["parameter", "in", "type", "required", "description"]) head.appendChild(el("th", c));
        t.appendChild(head);
        for (const p of ps) {
          const s = p.schema || {}; const tr = el("tr");
          const type = s.type || (s.anyOf || []).map((x) => x.format || x.type).filter((x) => x !== "null").join(" | ");
          const lim = [s.maximum != null ? `≤ ${s.maximum}` : "", s.maxLength != null ? `max ${s.maxLength} chars` : ""].filter(Boolean).join(", ");
          for (const v of [p.name, p.in, type + (lim ? ` (${lim})` : ""), p.required ? "yes" : "", p.description || s.description || ""]) tr.appendChild(el("td", v));
          t.appendChild(tr);
        }
        sec.appendChild(t);
      }
      const a = el("a", "try it"); if (method === "get" && !path.includes("{")) { a.href = path; sec.appendChild(a); }
      box.appendChild(sec);
    }
  }
}
document.addEventListener("DOMContentLoaded", main);
