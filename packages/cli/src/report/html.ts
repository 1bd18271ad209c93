// A seed's timeline as one self-contained HTML page (no network needed to view it): a lane per
// process and workload over virtual time, up intervals, reboots and partitions as bands, fault
// and storage marks, messages as arrows, the failure marker with its stack, zoom, a filter box,
// and an "Open in Perfetto" button (Perfetto's documented postMessage hand-off).
import { perfettoTrace } from "./perfetto.ts";
import type { Timeline } from "./timeline.ts";

/** The page for `timeline`. */
export function timelineHtml(timeline: Timeline): string {
  const data = scriptJson({ timeline, perfetto: perfettoTrace(timeline) });
  const title = `seed ${timeline.seed} of ${timeline.file || "a simulation"}`;
  const r = timeline.result;
  const status = r === undefined ? "" : r.ok ? "ok" : "FAILED";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>moonpool: ${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1>moonpool timeline: ${escapeHtml(title)} <span id="status" class="${status === "FAILED" ? "bad" : "good"}">${status}</span></h1>
  <p class="meta">${r ? `traceHash <code>${escapeHtml(r.traceHash)}</code> · ${timeline.endMs} ms simulated · ` : ""}${timeline.events.length} events${r?.replay ? ` · replay: <code>${escapeHtml(r.replay)}</code>` : ""}</p>
  <div class="controls">
    <input id="filter" type="search" placeholder="filter events (name, actor, field)" aria-label="filter events">
    <button id="zoom-in" type="button">zoom +</button>
    <button id="zoom-out" type="button">zoom −</button>
    <button id="zoom-reset" type="button">fit</button>
    <button id="open-perfetto" type="button">Open in Perfetto</button>
    <a id="download-perfetto" download="seed-${escapeHtml(timeline.seed)}.perfetto.json" href="#">download Perfetto JSON</a>
  </div>
  <p class="legend"><span class="sw up"></span>up <span class="sw down"></span>down / reboot <span class="sw partition"></span>partition <span class="sw fault"></span>fault <span class="sw storage"></span>storage fault <span class="sw msg"></span>message <span class="sw fail"></span>failure</p>
</header>
<main>
  <div id="scroller"><svg id="timeline" xmlns="http://www.w3.org/2000/svg"></svg></div>
  ${r && !r.ok ? `<section id="failure"><h2>Failure</h2><pre>${escapeHtml(`${r.error ?? "failed"}\n\n${r.stack ?? ""}`.trim())}</pre></section>` : ""}
  <section><h2>Events <span id="shown"></span></h2><table id="events"><thead><tr><th>time (ms)</th><th>#</th><th>lane</th><th>event</th><th>fields</th></tr></thead><tbody></tbody></table></section>
</main>
<script id="moonpool-data" type="application/json">${data}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** JSON that cannot end the <script> element it sits in. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const CSS = `
body{font:13px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#fafbfc}
header{padding:10px 16px;border-bottom:1px solid #dde1e8;background:#fff;position:sticky;top:0;z-index:2}
h1{font-size:16px;margin:0 0 4px}h2{font-size:14px;margin:16px 0 6px}
.good{color:#1a7f37}.bad{color:#cf222e}.meta{margin:0 0 6px;color:#57606a}
.controls{display:flex;gap:6px;align-items:center;flex-wrap:wrap}
#filter{width:280px;padding:3px 6px}
.legend{margin:6px 0 0;color:#57606a}.sw{display:inline-block;width:12px;height:10px;margin:0 3px 0 10px;vertical-align:middle}
.sw.up{background:#b7e1c1}.sw.down{background:#f4b4b4}.sw.partition{background:#f0c36d}.sw.fault{background:#cf222e}
.sw.storage{background:#8250df}.sw.msg{background:#0969da}.sw.fail{background:#000}
main{padding:8px 16px}#scroller{overflow-x:auto;border:1px solid #dde1e8;background:#fff}
svg text{font:11px system-ui,sans-serif}
.lane-bg{fill:#f6f8fa}.lane-bg.odd{fill:#fff}.lane-label{fill:#1d2330;font-weight:600}
.up{fill:#b7e1c1}.down{fill:#f4b4b4}.partition{fill:#f0c36d;fill-opacity:.55;stroke:#c9952b}
.event{fill:#57606a}.event.user{fill:#0969da}.event.lifecycle{fill:#1a7f37}.fault-mark{fill:#cf222e}.storage-mark{fill:#8250df}
.message{stroke:#0969da;stroke-width:1.2}.axis{stroke:#d0d7de}.tick{fill:#57606a}
#failure-marker{stroke:#000;stroke-width:2;stroke-dasharray:4 2}.failure-label{fill:#cf222e;font-weight:600}
.hidden{display:none}
#failure pre{background:#fff5f5;border:1px solid #f4b4b4;padding:8px;overflow:auto;max-height:260px}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid #eef0f3;padding:2px 6px;text-align:left;vertical-align:top}
td:nth-child(5){font-family:ui-monospace,monospace;font-size:12px}
`;

// The page's own script (plain ES2020, no dependencies): draws the SVG from the inline data and
// wires the filter, the zoom and the Perfetto hand-off.
const SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("moonpool-data").textContent);
  var t = data.timeline;
  var NS = "http://www.w3.org/2000/svg";
  var svg = document.getElementById("timeline");
  var LABEL = 130, LANE = 34, TOP = 24, PAD = 20, TABLE_ROWS = 2000;
  var zoom = 1;
  var filterText = "";
  var laneIndex = {};
  t.lanes.forEach(function (l, i) { laneIndex[l.name] = i; });
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    (parent || svg).appendChild(e);
    return e;
  }
  function title(e, text) { var s = document.createElementNS(NS, "title"); s.textContent = text; e.appendChild(s); }
  function laneY(name) { var i = laneIndex[name]; return TOP + (i === undefined ? 0 : i) * LANE; }
  function eventText(e) { return (e.timeMs + " " + e.lane + " " + e.source + " " + e.name + " " + JSON.stringify(e.fields)).toLowerCase(); }
  function matches(e) { return filterText === "" || eventText(e).indexOf(filterText) >= 0; }
  function render() {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var span = Math.max(t.endMs, 1);
    var width = Math.max(600, (document.getElementById("scroller").clientWidth || 1000) - 4) * zoom;
    var plot = width - LABEL - PAD;
    var x = function (ms) { return LABEL + (ms / span) * plot; };
    var height = TOP + t.lanes.length * LANE + 10;
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    var defs = el("defs", {});
    var marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#0969da" }, marker);
    t.lanes.forEach(function (l, i) {
      var g = el("g", { "class": "lane", "data-lane": l.name, "data-kind": l.kind });
      el("rect", { "class": "lane-bg" + (i % 2 ? " odd" : ""), x: 0, y: TOP + i * LANE, width: width, height: LANE }, g);
      var label = el("text", { "class": "lane-label", x: 6, y: TOP + i * LANE + LANE / 2 + 4 }, g);
      label.textContent = l.name + (l.ip ? " " + l.ip : "");
    });
    for (var k = 0; k <= 10; k++) {
      var ms = (span * k) / 10;
      el("line", { "class": "axis", x1: x(ms), x2: x(ms), y1: TOP - 4, y2: height - 10 });
      var tx = el("text", { "class": "tick", x: x(ms) + 2, y: TOP - 8 }); tx.textContent = (Math.round(ms * 1000) / 1000) + " ms";
    }
    t.up.forEach(function (u) {
      var r = el("rect", { "class": "up", "data-lane": u.lane, x: x(u.fromMs), y: laneY(u.lane) + 8, width: Math.max(1, x(u.toMs) - x(u.fromMs)), height: LANE - 16 });
      title(r, u.lane + ": " + u.label + " " + u.fromMs + "-" + u.toMs + " ms");
    });
    t.down.forEach(function (d) {
      var r = el("rect", { "class": "down reboot-band", "data-lane": d.lane, x: x(d.fromMs), y: laneY(d.lane) + 2, width: Math.max(2, x(d.toMs) - x(d.fromMs)), height: LANE - 4 });
      title(r, d.lane + ": " + d.label + " " + d.fromMs + "-" + d.toMs + " ms");
    });
    t.partitions.forEach(function (p) {
      var y1 = laneY(p.from), y2 = laneY(p.to);
      var r = el("rect", { "class": "partition partition-band", "data-from": p.from, "data-to": p.to, x: x(p.fromMs), y: Math.min(y1, y2) + 3, width: Math.max(2, x(p.toMs) - x(p.fromMs)), height: Math.abs(y2 - y1) + LANE - 6 });
      title(r, "partition " + p.from + " -> " + p.to + " " + p.fromMs + "-" + p.toMs + " ms");
    });
    t.messages.forEach(function (m) {
      var line = el("line", { "class": "message", "data-seq": m.seq, x1: x(m.timeMs), y1: laneY(m.from) + LANE / 2, x2: x(m.timeMs) + 6, y2: laneY(m.to) + LANE / 2, "marker-end": "url(#arrow)" });
      title(line, m.name + ": " + m.from + " -> " + m.to + " at " + m.timeMs + " ms");
    });
    t.events.forEach(function (e, index) {
      var cx = x(e.timeMs), cy = laneY(e.lane) + LANE / 2, node;
      if (e.category === "fault" || e.category === "storage") {
        node = el("path", { "class": (e.category === "fault" ? "fault-mark" : "storage-mark") + " event-node", d: "M" + cx + "," + (cy - 7) + " l5,9 l-10,0 z" });
      } else {
        node = el("circle", { "class": "event event-node " + e.category, cx: cx, cy: cy, r: 3.5 });
      }
      node.setAttribute("data-seq", e.seq);
      node.setAttribute("data-name", e.name);
      node.setAttribute("data-index", index);
      if (!matches(e)) node.classList.add("hidden");
    });
    if (t.result && !t.result.ok) {
      el("line", { id: "failure-marker", x1: x(t.endMs), x2: x(t.endMs), y1: TOP - 4, y2: height - 6 });
      var ft = el("text", { "class": "failure-label", x: Math.max(LABEL, x(t.endMs) - 200), y: height - 1 });
      ft.textContent = "FAILED: " + String(t.result.error || "").split("\\n")[0].slice(0, 90);
    }
  }
  // The table lists the matching events, at most TABLE_ROWS of them: a long seed's page stays
  // quick to load, and the filter narrows it down.
  function renderTable() {
    var body = document.querySelector("#events tbody");
    body.textContent = "";
    var shown = 0;
    var rows = document.createDocumentFragment();
    t.events.forEach(function (e) {
      if (!matches(e)) return;
      shown++;
      if (shown > TABLE_ROWS) return;
      var tr = document.createElement("tr");
      tr.className = "event-row";
      [e.timeMs, e.seq, e.lane, e.name, JSON.stringify(e.fields)].forEach(function (v) {
        var td = document.createElement("td"); td.textContent = String(v); tr.appendChild(td);
      });
      rows.appendChild(tr);
    });
    body.appendChild(rows);
    document.getElementById("shown").textContent = shown > TABLE_ROWS
      ? "(first " + TABLE_ROWS + " of " + shown + " matching, of " + t.events.length + "; filter to narrow)"
      : "(" + shown + " of " + t.events.length + ")";
  }
  // An event's tooltip is written on first hover rather than for every event at load.
  svg.addEventListener("mouseover", function (ev) {
    var node = ev.target;
    if (!node || !node.getAttribute || node.firstChild) return;
    var index = node.getAttribute("data-index");
    if (index === null) return;
    var e = t.events[Number(index)];
    title(node, "#" + e.seq + " " + e.timeMs + " ms [" + e.source + "] " + e.name + " " + JSON.stringify(e.fields));
  });
  function setZoom(z) { zoom = Math.min(64, Math.max(1, z)); render(); }
  document.getElementById("filter").addEventListener("input", function (ev) {
    filterText = String(ev.target.value || "").toLowerCase().trim();
    render(); renderTable();
  });
  document.getElementById("zoom-in").addEventListener("click", function () { setZoom(zoom * 2); });
  document.getElementById("zoom-out").addEventListener("click", function () { setZoom(zoom / 2); });
  document.getElementById("zoom-reset").addEventListener("click", function () { setZoom(1); });
  svg.addEventListener("wheel", function (ev) { if (!ev.ctrlKey) return; ev.preventDefault(); setZoom(ev.deltaY < 0 ? zoom * 1.25 : zoom / 1.25); });
  var perfettoJson = JSON.stringify(data.perfetto);
  var link = document.getElementById("download-perfetto");
  if (typeof Blob !== "undefined" && typeof URL !== "undefined" && URL.createObjectURL) {
    link.href = URL.createObjectURL(new Blob([perfettoJson], { type: "application/json" }));
  }
  // Perfetto's hand-off: open the UI, PING until it answers PONG, then post the trace buffer.
  document.getElementById("open-perfetto").addEventListener("click", function () {
    var origin = "https://ui.perfetto.dev";
    var win = window.open(origin);
    if (!win) { alert("The browser blocked the Perfetto window: allow pop-ups, or use the download link."); return; }
    var timer = setInterval(function () { win.postMessage("PING", origin); }, 50);
    window.addEventListener("message", function onMessage(ev) {
      if (ev.source !== win || ev.data !== "PONG") return;
      clearInterval(timer);
      window.removeEventListener("message", onMessage);
      var buffer = new TextEncoder().encode(perfettoJson).buffer;
      win.postMessage({ perfetto: { buffer: buffer, title: document.title, fileName: link.getAttribute("download") } }, origin);
    });
  });
  render(); renderTable();
})();
`;
