// rasd dashboard: plain JS, no build step, nothing loaded from outside this server.
// Every piece of data reaches the page through textContent / attributes, never innerHTML.
"use strict";

const TYPE_COLORS = {
  "Battles": "#c0392b",
  "Explosions/Remote violence": "#e67e22",
  "Violence against civilians": "#8e44ad",
  "Protests": "#2980b9",
  "Riots": "#16a085",
  "Strategic developments": "#7f8c8d",
};
const OTHER_COLOR = "#34495e";
const PAGE = 50;
const MAP_LIMIT = 1000;

const $ = (id) => document.getElementById(id);
// mode: the table and the map show "events" (one per article's report) or "incidents" (one per
// incident, however many articles reported it); mapEvents then holds incidents, selectedIncident its id.
const state = { filters: {}, offset: 0, total: 0, mapEvents: [], world: null,
  view: { lon: 38, lat: 30, scale: 8 }, selected: null, selectedIncident: null, fontSize: 19,
  dataSpan: { min: null, max: null }, bucket: "day", mode: "events" };
const MODES = {
  events: { path: "/api/events", key: "events", title: "Events", noun: "events",
    columns: ["Date", "Type", "Sub-type", "Actor 1", "Actor 2", "Location", "Country", "Fat.", "Conf."] },
  incidents: { path: "/api/incidents", key: "incidents", title: "Incidents", noun: "incidents",
    columns: ["Date", "Type", "Sub-type", "Actor 1", "Actor 2", "Location", "Country", "Fat.", "Reports"] },
};

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}
function colorOf(type) { return TYPE_COLORS[type] || OTHER_COLOR; }

function params(extra) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) p.set(k, v);
  if (extra) for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p;
}
async function api(path, extra) {
  const qs = params(extra).toString();
  const r = await fetch(path + (qs ? "?" + qs : ""), { headers: { "Accept": "application/json" } });
  const body = await r.json();
  if (!r.ok) throw new Error((body && body.error) || r.statusText);
  return body;
}
function showError(err) {
  $("map-note").textContent = "Error: " + (err && err.message ? err.message : err);
}

// ---------------------------------------------------------------- filters
function readFilters() {
  const f = {};
  for (const [k, v] of new FormData($("filters")).entries()) if (String(v).trim()) f[k] = String(v).trim();
  return f;
}
function updateExportLinks() {
  for (const fmt of ["csv", "geojson", "parquet"]) {
    const qs = params().toString();
    $("x-" + fmt).setAttribute("href", "/api/export." + fmt + (qs ? "?" + qs : ""));
  }
}
async function loadFacets() {
  const f = await api("/api/facets");
  for (const [selId, list] of [["f-country", f.countries], ["f-type", f.event_types]]) {
    const sel = $(selId);
    for (const item of list) sel.appendChild(el("option", `${item.value} (${item.count})`, { value: item.value }));
  }
  const dl = $("actors");
  for (const a of f.actors) dl.appendChild(el("option", null, { value: a.value }));
  state.dataSpan = { min: f.date_min || null, max: f.date_max || null };
}

// ---------------------------------------------------------------- map
const map = { canvas: null, ctx: null, w: 0, h: 0, dpr: 1 };
function project(lon, lat) {
  const v = state.view;
  return [map.w / 2 + (lon - v.lon) * v.scale, map.h / 2 - (lat - v.lat) * v.scale];
}
function unproject(x, y) {
  const v = state.view;
  return [v.lon + (x - map.w / 2) / v.scale, v.lat - (y - map.h / 2) / v.scale];
}
function resizeCanvas(c) {
  const r = c.getBoundingClientRect();
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.max(1, Math.round(r.width * dpr));
  c.height = Math.max(1, Math.round(r.height * dpr));
  const ctx = c.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return [ctx, r.width, r.height];
}
function drawMap() {
  if (!map.canvas) return;
  const [ctx, w, h] = resizeCanvas(map.canvas);
  Object.assign(map, { ctx, w, h });
  ctx.fillStyle = "#dfe9f0";
  ctx.fillRect(0, 0, w, h);
  // graticule every 10 degrees
  ctx.strokeStyle = "rgba(0,0,0,0.06)";
  ctx.lineWidth = 1;
  for (let lon = -180; lon <= 180; lon += 10) {
    const [x] = project(lon, 0);
    ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, h); ctx.stroke();
  }
  for (let lat = -80; lat <= 80; lat += 10) {
    const [, y] = project(0, lat);
    ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(w, y); ctx.stroke();
  }
  if (state.world) {
    ctx.fillStyle = "#f3f1ea";
    ctx.strokeStyle = "#a9a79d";
    ctx.lineWidth = 0.7;
    for (const f of state.world.features) {
      ctx.beginPath();
      for (const poly of f.geometry.coordinates) for (const ring of poly) {
        ring.forEach(([lon, lat], i) => {
          const [x, y] = project(lon, lat);
          if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
        });
        ctx.closePath();
      }
      ctx.fill("evenodd");
      ctx.stroke();
    }
    if (state.view.scale >= 6) {  // country names once zoomed in enough to read them
      ctx.fillStyle = "rgba(60,60,60,0.55)";
      ctx.font = "11px system-ui, sans-serif";
      ctx.textAlign = "center";
      for (const f of state.world.features) {
        const c = f._center || (f._center = centroid(f));
        const [x, y] = project(c[0], c[1]);
        if (x > 0 && x < w && y > 0 && y < h) ctx.fillText(f.properties.name || "", x, y);
      }
    }
  }
  // markers: larger for deadlier events, selected one ringed
  const selected = state.mode === "incidents" ? state.selectedIncident : state.selected;
  for (const e of state.mapEvents) {
    if (e.latitude == null || e.longitude == null) continue;
    const [x, y] = project(e.longitude, e.latitude);
    if (x < -10 || y < -10 || x > w + 10 || y > h + 10) continue;
    const r = 4 + Math.min(8, Math.sqrt(e.fatalities || 0) * 1.5);
    ctx.beginPath();
    ctx.arc(x, y, r, 0, Math.PI * 2);
    ctx.fillStyle = colorOf(e.event_type);
    ctx.globalAlpha = 0.8;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = selected === e.id ? 3 : 1;
    ctx.strokeStyle = selected === e.id ? "#000" : "#fff";
    ctx.stroke();
  }
}
function centroid(f) {
  // centre of the largest ring's bounding box: good enough to place a label
  let best = null, bestArea = -1;
  for (const poly of f.geometry.coordinates) {
    const ring = poly[0];
    let x0 = 180, x1 = -180, y0 = 90, y1 = -90;
    for (const [x, y] of ring) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    const a = (x1 - x0) * (y1 - y0);
    if (a > bestArea) { bestArea = a; best = [(x0 + x1) / 2, (y0 + y1) / 2]; }
  }
  return best || [0, 0];
}
function fitToEvents() {
  const pts = state.mapEvents.filter((e) => e.latitude != null && e.longitude != null);
  if (!pts.length) { state.view = { lon: 38, lat: 28, scale: 8 }; drawMap(); return; }
  let x0 = 180, x1 = -180, y0 = 90, y1 = -90;
  for (const e of pts) { x0 = Math.min(x0, e.longitude); x1 = Math.max(x1, e.longitude); y0 = Math.min(y0, e.latitude); y1 = Math.max(y1, e.latitude); }
  const pad = 2;
  const w = map.w || 800, h = map.h || 460;
  const scale = Math.min(w / (x1 - x0 + 2 * pad), h / (y1 - y0 + 2 * pad), 40);
  state.view = { lon: (x0 + x1) / 2, lat: (y0 + y1) / 2, scale: Math.max(1.5, scale) };
  drawMap();
}
function zoomAt(factor, x, y) {
  const [lon, lat] = unproject(x, y);
  const v = state.view;
  v.scale = Math.min(400, Math.max(1, v.scale * factor));
  // keep the point under the cursor where it was
  v.lon = lon - (x - map.w / 2) / v.scale;
  v.lat = lat + (y - map.h / 2) / v.scale;
  drawMap();
}
function eventAt(x, y) {
  let best = null, bestD = 12 * 12;
  for (const e of state.mapEvents) {
    if (e.latitude == null || e.longitude == null) continue;
    const [px, py] = project(e.longitude, e.latitude);
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d < bestD) { bestD = d; best = e; }
  }
  return best;
}
function setupMap() {
  map.canvas = $("map");
  const c = map.canvas;
  let drag = null, moved = false;
  c.addEventListener("pointerdown", (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, lon: state.view.lon, lat: state.view.lat };
    moved = false; c.setPointerCapture(ev.pointerId); c.classList.add("dragging");
  });
  c.addEventListener("pointermove", (ev) => {
    if (!drag) {
      const r = c.getBoundingClientRect();
      const hit = eventAt(ev.clientX - r.left, ev.clientY - r.top);
      c.style.cursor = hit ? "pointer" : "";
      c.title = hit ? `${hit.event_date || ""} ${hit.sub_event_type || hit.event_type || ""} — ${hit.location || ""}`
        + (hit.n_reports ? ` (${hit.n_reports} reports)` : "") : "";
      return;
    }
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
    state.view.lon = drag.lon - dx / state.view.scale;
    state.view.lat = drag.lat + dy / state.view.scale;
    drawMap();
  });
  c.addEventListener("pointerup", (ev) => {
    c.classList.remove("dragging");
    drag = null;
    if (!moved) {
      const r = c.getBoundingClientRect();
      const hit = eventAt(ev.clientX - r.left, ev.clientY - r.top);
      if (hit) (state.mode === "incidents" ? openIncident(hit.id) : openEvent(hit.id));
    }
  });
  c.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = c.getBoundingClientRect();
    zoomAt(ev.deltaY < 0 ? 1.25 : 0.8, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  $("zoom-in").addEventListener("click", () => zoomAt(1.5, map.w / 2, map.h / 2));
  $("zoom-out").addEventListener("click", () => zoomAt(1 / 1.5, map.w / 2, map.h / 2));
  $("zoom-fit").addEventListener("click", fitToEvents);
  window.addEventListener("resize", () => { drawMap(); drawTimeline(); });
  const legend = $("legend");
  for (const [t, col] of Object.entries(TYPE_COLORS)) {
    const item = el("span"); const dot = el("i"); dot.style.background = col;
    item.appendChild(dot); item.appendChild(document.createTextNode(t)); legend.appendChild(item);
  }
}

// ---------------------------------------------------------------- timeline
let dayCounts = [];
const DAY_MS = 86400000;
// Long ranges are counted per ISO week (> ~1 year) or per month (> ~5 years): a decade of days is
// ~22k rows for the API to send and bars too thin to see.
function bucketFor(from, to) {
  if (!from || !to) return "day";
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  if (!(days >= 0)) return "day";
  return days > 5 * 366 ? "month" : days > 366 ? "week" : "day";
}
// The span the timeline will cover: the date filters clipped to the stored events' first and last date.
function timelineBucket() {
  const f = state.filters, span = state.dataSpan;
  const pick = (a, b, later) => (!a ? b : !b ? a : (later ? (a > b ? a : b) : (a < b ? a : b)));
  return bucketFor(pick(f.date_from, span.min, true), pick(f.date_to, span.max, false));
}
// Position of a bucket's first day on a continuous axis of buckets ("YYYY-MM-DD" in, integer out).
function slotOf(date, bucket) {
  if (bucket === "month") { const [y, m] = date.split("-").map(Number); return y * 12 + m - 1; }
  const day = Math.round(Date.parse(date) / DAY_MS);  // days since 1970-01-01, a Thursday
  return bucket === "week" ? Math.floor((day + 3) / 7) : day;  // weeks counted from Monday
}
function bucketLabel(date, bucket) { return bucket === "month" ? date.slice(0, 7) : date; }
function drawTimeline() {
  const c = $("timeline");
  const [ctx, w, h] = resizeCanvas(c);
  ctx.clearRect(0, 0, w, h);
  const bucket = state.bucket;
  const byDay = new Map();
  for (const r of dayCounts) {
    if (!byDay.has(r.date)) byDay.set(r.date, []);
    byDay.get(r.date).push(r);
  }
  ctx.fillStyle = "#66707a"; ctx.font = "11px system-ui, sans-serif";
  if (!byDay.size) { ctx.fillText("no dated events", 10, 20); return; }
  // continuous axis of days, weeks or months from the first to the last bucket
  const days = [...byDay.keys()].sort();
  const s0 = slotOf(days[0], bucket);
  const n = slotOf(days[days.length - 1], bucket) - s0 + 1;
  const left = 30, bottom = h - 18, top = 8, plotW = w - left - 6;
  let max = 1;
  for (const rows of byDay.values()) max = Math.max(max, rows.reduce((s, r) => s + r.count, 0));
  const bw = Math.max(1, plotW / n);
  ctx.strokeStyle = "#d9dcd6"; ctx.beginPath(); ctx.moveTo(left, bottom + 0.5); ctx.lineTo(w, bottom + 0.5); ctx.stroke();
  ctx.textAlign = "right"; ctx.fillText(String(max), left - 4, top + 8); ctx.fillText("0", left - 4, bottom);
  for (const [day, rows] of byDay) {
    const i = slotOf(day, bucket) - s0;
    let y = bottom;
    for (const r of rows) {
      const bh = (r.count / max) * (bottom - top);
      ctx.fillStyle = colorOf(r.event_type);
      ctx.fillRect(left + i * bw + (bw > 3 ? 0.5 : 0), y - bh, Math.max(1, bw - (bw > 3 ? 1 : 0)), bh);
      y -= bh;
    }
  }
  ctx.fillStyle = "#66707a"; ctx.textAlign = "left"; ctx.fillText(bucketLabel(days[0], bucket), left, h - 4);
  ctx.textAlign = "right"; ctx.fillText(bucketLabel(days[days.length - 1], bucket), w - 4, h - 4);
}
function renderTypeCounts(rows) {
  const box = $("type-counts");
  box.replaceChildren();
  for (const r of rows) {
    const line = el("div");
    const name = el("span"); const dot = el("i"); dot.style.background = colorOf(r.event_type);
    name.appendChild(dot); name.appendChild(document.createTextNode(`${r.event_type || "?"} — ${r.sub_event_type || "?"}`));
    line.appendChild(name); line.appendChild(el("span", `${r.count} events, ${r.fatalities} killed`));
    box.appendChild(line);
  }
}

// ---------------------------------------------------------------- table
function renderHead() {
  const m = MODES[state.mode];
  const row = $("events").tHead.rows[0];
  row.replaceChildren(...m.columns.map((c) => el("th", c)));
  $("table-title").textContent = m.title;
  for (const k of Object.keys(MODES)) $("mode-" + k).setAttribute("aria-pressed", String(k === state.mode));
}
function typeCell(type) {
  const td = el("td"); const sw = el("span", null, { class: "swatch" });
  sw.style.background = colorOf(type); td.appendChild(sw); td.appendChild(document.createTextNode(type || ""));
  return td;
}
function renderPager() {
  $("total").textContent = `(${state.total})`;
  const pages = Math.max(1, Math.ceil(state.total / PAGE));
  $("page").textContent = `${Math.floor(state.offset / PAGE) + 1} / ${pages}`;
  $("prev").disabled = state.offset <= 0;
  $("next").disabled = state.offset + PAGE >= state.total;
}
function renderIncidentTable(incidents) {
  const tbody = $("events").tBodies[0];
  tbody.replaceChildren();
  for (const i of incidents) {
    const tr = el("tr", null, { "data-id": String(i.id) });
    if (state.selectedIncident === i.id) tr.classList.add("selected");
    const reports = el("td");
    reports.appendChild(el("span", i.n_reports, { class: i.n_reports > 1 ? "reports many" : "reports",
      title: `${i.n_reports} reports from ${i.n_sources} outlet(s)` }));
    const cells = [el("td", i.event_date || ""), typeCell(i.event_type), el("td", i.sub_event_type || ""),
      el("td", i.actor1 || ""), el("td", i.actor2 || ""), el("td", i.location || ""), el("td", i.country || ""),
      el("td", i.fatalities ?? ""), reports];
    for (const c of cells) tr.appendChild(c);
    tr.addEventListener("click", () => openIncident(i.id));
    tbody.appendChild(tr);
  }
  renderPager();
}
function renderTable(events) {
  const tbody = $("events").tBodies[0];
  tbody.replaceChildren();
  for (const e of events) {
    const tr = el("tr", null, { "data-id": String(e.id) });
    if (state.selected === e.id) tr.classList.add("selected");
    const cells = [el("td", e.event_date || ""), typeCell(e.event_type), el("td", e.sub_event_type || ""), el("td", e.actor1 || ""),
      el("td", e.actor2 || ""), el("td", e.location || ""), el("td", e.country || ""), el("td", e.fatalities ?? ""),
      el("td", e.confidence != null ? Number(e.confidence).toFixed(2) : "")];
    for (const c of cells) tr.appendChild(c);
    tr.addEventListener("click", () => openEvent(e.id));
    tbody.appendChild(tr);
  }
  renderPager();
}
async function loadTable() {
  const mode = state.mode, m = MODES[mode];
  const page = await api(m.path, { limit: PAGE, offset: state.offset });
  if (mode !== state.mode) return;  // the mode changed while this page loaded
  state.total = page.total;
  renderHead();
  if (mode === "incidents") renderIncidentTable(page[m.key]); else renderTable(page[m.key]);
}
function setMode(mode) {
  if (!(mode in MODES) || mode === state.mode) return;
  state.mode = mode;
  state.offset = 0;
  renderHead();
  $("events").tBodies[0].replaceChildren();
  refresh(false);
}

// ---------------------------------------------------------------- incident view
async function openIncident(id) {
  let inc;
  try { inc = await api("/api/incidents/" + encodeURIComponent(id), null); } catch (e) { showError(e); return; }
  state.selectedIncident = inc.id;
  $("incident-panel").hidden = false;
  const place = [inc.location, inc.admin1, inc.country].filter(Boolean).join(", ") || "place unknown";
  $("inc-title").textContent = `${inc.event_type || "?"} / ${inc.sub_event_type || "?"} — ${place}, ${inc.event_date || "undated"}`;
  const span = inc.date_first && inc.date_first !== inc.date_last ? ` (reports date it ${inc.date_first} to ${inc.date_last})` : "";
  $("inc-meta").textContent = `${inc.n_reports} report(s) from ${inc.n_sources} outlet(s)${span} · `
    + `${inc.actor1 || "?"} → ${inc.actor2 || "-"} · killed: ${inc.fatalities ?? "?"} (${inc.fatalities_reason || ""})`;
  $("inc-reason").textContent = inc.reason || "";
  const tbody = $("inc-members").tBodies[0];
  tbody.replaceChildren();
  for (const m of inc.events) {
    const tr = el("tr", null, { "data-id": String(m.id) });
    const title = el("td", m.title || m.article_id || "", { dir: "auto" });
    for (const c of [el("td", m.rank === 0 ? "lead" : m.rank), el("td", m.event_date || ""), el("td", m.source || ""), title,
      el("td", m.location || ""), el("td", m.fatalities ?? ""), el("td", m.merge_reason || "")]) tr.appendChild(c);
    tr.addEventListener("click", () => openEvent(m.id));
    tbody.appendChild(tr);
  }
  if (state.mode === "incidents") {
    for (const tr of $("events").tBodies[0].rows) tr.classList.toggle("selected", tr.getAttribute("data-id") === String(inc.id));
  }
  drawMap();
  $("incident-panel").scrollIntoView({ behavior: "smooth", block: "start" });
}

// ---------------------------------------------------------------- event view
const FIELD_ORDER = ["event_type", "sub_event_type", "event_date", "time_precision", "actor1", "assoc_actor_1", "inter1",
  "actor2", "assoc_actor_2", "inter2", "country", "admin1", "location", "latitude", "longitude", "geo_precision", "fatalities"];
let currentEvent = null;

function renderArticle(text, evidence, fieldSpans) {
  // Offsets are code-point offsets (Python); index an array of code points, not UTF-16 units.
  const chars = Array.from(text || "");
  const cuts = new Set([0, chars.length]);
  const clamp = (i) => Math.max(0, Math.min(chars.length, i | 0));
  for (const s of evidence.concat(fieldSpans)) { cuts.add(clamp(s.start)); cuts.add(clamp(s.end)); }
  const points = [...cuts].sort((a, b) => a - b);
  const inside = (spans, a, b) => spans.some((s) => s.start <= a && b <= s.end);
  const art = $("ev-article");
  art.replaceChildren();
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i], b = points[i + 1];
    if (a === b) continue;
    const piece = chars.slice(a, b).join("");
    const ev = inside(evidence, a, b), fld = inside(fieldSpans, a, b);
    if (!ev && !fld) { art.appendChild(document.createTextNode(piece)); continue; }
    const node = el(ev ? "mark" : "span", piece);
    if (ev) node.classList.add("evidence");
    if (fld) node.classList.add("field");
    art.appendChild(node);
  }
}
function fmtValue(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
function renderFields(ev) {
  const tbody = $("ev-fields").querySelector("tbody");
  tbody.replaceChildren();
  const prov = ev.provenance || {};
  const names = FIELD_ORDER.filter((k) => k in ev || k in prov).concat(Object.keys(prov).filter((k) => !FIELD_ORDER.includes(k)));
  for (const k of names) {
    const p = prov[k] || {};
    const value = k in ev ? ev[k] : p.value;
    const tr = el("tr", null, { "data-field": k });
    tr.appendChild(el("td", k));
    tr.appendChild(el("td", fmtValue(value)));
    tr.appendChild(el("td", p.component || ""));
    tr.appendChild(el("td", p.reason || ""));
    tr.addEventListener("click", () => {
      const active = tr.classList.contains("active");
      for (const r of tbody.children) r.classList.remove("active");
      if (!active) tr.classList.add("active");
      renderArticle(ev.article.text, ev.evidence_spans || [], active ? [] : (p.spans || []));
    });
    tbody.appendChild(tr);
  }
  const a = ev.article;
  $("ev-meta").textContent = `article ${a.id} · ${a.source || ""} · published ${a.published || "?"} · ${a.url || ""}`;
}
async function openEvent(id) {
  let ev;
  try { ev = await api("/api/events/" + encodeURIComponent(id), null); } catch (e) { showError(e); return; }
  currentEvent = ev;
  state.selected = ev.id;
  $("event-panel").hidden = false;
  $("ev-title").textContent = ev.article.title || ev.article.id;
  renderArticle(ev.article.text, ev.evidence_spans || [], []);
  renderFields(ev);
  if (state.mode === "events") {
    for (const tr of $("events").tBodies[0].rows) tr.classList.toggle("selected", tr.getAttribute("data-id") === String(ev.id));
  }
  drawMap();
  $("event-panel").scrollIntoView({ behavior: "smooth", block: "start" });
}
function setFont(delta) {
  state.fontSize = Math.max(12, Math.min(40, state.fontSize + delta));
  document.documentElement.style.setProperty("--ar-size", state.fontSize + "px");
}

// ---------------------------------------------------------------- wiring
async function refresh(fit) {
  updateExportLinks();
  const bucket = timelineBucket();
  try {
    const mode = state.mode, m = MODES[mode];
    const [mapPage, days, types] = await Promise.all([
      api(m.path, { limit: MAP_LIMIT, offset: 0 }), api("/api/counts/day", { bucket }), api("/api/counts/type"),
      loadTable(),
    ]);
    if (mode !== state.mode) return;  // a newer refresh (the other mode) draws the map
    state.mapEvents = mapPage[m.key];
    const placed = state.mapEvents.filter((e) => e.latitude != null).length;
    $("map-note").textContent = mapPage.total > MAP_LIMIT
      ? `Map shows the ${MAP_LIMIT} newest of ${mapPage.total} ${m.noun}; narrow the filters to see the rest.`
      : `${placed} of ${mapPage.total} ${m.noun} have coordinates.`;
    if (mode === "incidents" && !mapPage.total && !Object.keys(state.filters).length) {
      $("map-note").textContent = "No incidents stored yet: `rasd incidents rebuild` (or the next `rasd ingest`) builds them.";
    }
    dayCounts = days;
    state.bucket = bucket;
    $("timeline-title").textContent = "Events per " + bucket;
    drawTimeline();
    renderTypeCounts(types);
    if (fit) fitToEvents(); else drawMap();
  } catch (e) { showError(e); }
}
async function main() {
  setupMap();
  $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); state.filters = readFilters(); state.offset = 0; refresh(true); });
  $("clear").addEventListener("click", () => { $("filters").reset(); state.filters = {}; state.offset = 0; refresh(true); });
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); loadTable().catch(showError); });
  $("next").addEventListener("click", () => { state.offset += PAGE; loadTable().catch(showError); });
  $("font-up").addEventListener("click", () => setFont(2));
  $("font-down").addEventListener("click", () => setFont(-2));
  $("ev-close").addEventListener("click", () => { $("event-panel").hidden = true; state.selected = null; drawMap(); });
  $("inc-close").addEventListener("click", () => { $("incident-panel").hidden = true; state.selectedIncident = null; drawMap(); });
  for (const k of Object.keys(MODES)) $("mode-" + k).addEventListener("click", () => setMode(k));
  try {
    const r = await fetch("/static/world.geojson");
    state.world = await r.json();
  } catch (e) { /* the map still works without borders */ }
  try { await loadFacets(); } catch (e) { showError(e); }
  drawMap();
  await refresh(true);
  document.body.setAttribute("data-ready", "1");  // for tests and screenshots
}
document.addEventListener("DOMContentLoaded", main);
