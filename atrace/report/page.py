"""The report as one self-contained HTML page.

The page carries the aggregated facts as JSON (a few hundred bytes per job,
whatever the number of events) and a small inline script that builds the
tables and SVG charts from them: no network, no external file. If the
script fails, window.onerror puts a visible `#script-error` element in the
page (the browser tests look for it); when it has built everything it adds
`#report-ready`.
"""

from __future__ import annotations

import html
import json
import shlex
from typing import Any

from ..analysis.paths import text
from ..analysis.proctree import Process
from .collect import SlowCall
from .jobs import argv_of, lanes
from .model import Report

# Jobs beyond this many are drawn only when at least this wide (fraction of
# the wall time): a browser copes with tens of thousands of SVG rectangles,
# not millions, and sub-pixel jobs would not be seen anyway.
DRAW_ALL_UP_TO = 20000
MIN_DRAWN_WIDTH = 1 / 4000
STDERR_SHOWN = 8192


def _ms(ns: int | None) -> float | None:
    return None if ns is None else round(ns / 1e6, 3)


def _command(argv: list[str], width: int = 400) -> str:
    line = shlex.join(argv)
    return line if len(line) <= width else line[: width - 1] + "…"


def _stderr(raw: bytes) -> str:
    shown = raw[:STDERR_SHOWN].decode("utf-8", "replace")
    return shown + ("\n…" if len(raw) > STDERR_SHOWN else "")


def page_data(report: Report, title: str) -> dict[str, Any]:
    facts = report.facts
    origin = facts.start
    wall = max(facts.wall, 1)
    jobs = report.jobs
    lane_of = lanes(jobs)
    drawn = len(jobs) <= DRAW_ALL_UP_TO
    job_rows = []
    for job, lane in zip(jobs, lane_of, strict=True):
        if not drawn and not job.critical and job.duration / wall < MIN_DRAWN_WIDTH:
            continue
        job_rows.append({
            "i": job.index, "label": job.label, "kind": job.kind, "start": _ms(job.start - origin),
            "dur": _ms(job.duration), "lane": lane, "critical": job.critical, "failed": job.failed,
            "ignored": job.ignored, "utime": _ms(job.utime), "stime": _ms(job.stime), "pid": job.root.pid,
            "procs": len(job.processes), "status": job.status, "command": _command(argv_of(job.root), 300),
        })  # fmt: skip
    path = [
        {"label": step.job.label if step.job else "idle", "start": _ms(step.start - origin),
         "dur": _ms(step.duration), "share": round(step.duration / wall, 4), "gap": step.job is None,
         "i": step.job.index if step.job else None}
        for step in report.path
    ]  # fmt: skip
    failures = [
        {"command": _command(f.command), "status": f.status, "stderr": _stderr(f.stderr), "ignored": f.ignored,
         "pid": f.process.pid, "label": f.job.label if f.job else "(driver)"}
        for f in report.view.failures
    ]  # fmt: skip
    return {
        "title": title,
        "command": _command([text(a) for a in facts.header.get("command") or []]),
        "wall": _ms(facts.wall),
        "cpus": report.cpus,
        "utime": _ms(report.utime),
        "stime": _ms(report.stime),
        "processes": len(facts.tree.all),
        "jobCount": len(jobs),
        "lanes": max(lane_of, default=-1) + 1,
        "failures": len(report.failures),
        "ignoredFailures": len(report.ignored),
        "events": facts.events,
        "lost": facts.lost,
        "truncated": facts.truncated,
        "recorded": (facts.header.get("options") or {}).get("trace"),
        "jobs": job_rows,
        "hiddenJobs": len(jobs) - len(job_rows),
        "path": path,
        "buckets": [[_ms(b.start - origin), round(b.jobs, 3), round(b.cpus, 3)] for b in report.buckets],
        "bucketMs": _ms(report.buckets[0].end - report.buckets[0].start) if report.buckets else 0,
        "slowJobs": [job.index for job in report.slow_jobs],
        "slowCalls": [_slow_call(call, origin) for call in report.slow_calls],
        "failureList": failures,
        "cpuProcesses": [_cpu_row(proc, facts.end) for proc in report.by_cpu],
    }


def _slow_call(call: SlowCall, origin: int) -> dict[str, Any]:
    what = ""
    if call.data:
        for key in ("filename", "pathname", "path", "oldname", "newname"):
            value = call.data.get(key)
            if isinstance(value, (str, bytes)):
                what = text(value)
                break
    command = _command(argv_of(call.process), 200) if call.process is not None else ""
    result = str(call.ret) if not -4096 < call.ret < 0 else f"error {-call.ret}"
    return {"name": call.name, "pid": call.tid, "start": _ms(call.start - origin), "dur": _ms(call.duration),
            "ret": result, "what": what, "command": command}  # fmt: skip


def _cpu_row(proc: Process, trace_end: int) -> dict[str, Any]:
    end = proc.end if proc.end is not None else trace_end
    return {"pid": proc.pid, "command": _command(argv_of(proc), 200), "utime": _ms(proc.utime),
            "stime": _ms(proc.stime), "wall": _ms(end - proc.start)}  # fmt: skip


def render(report: Report, title: str) -> str:
    data = json.dumps(page_data(report, title), ensure_ascii=False, separators=(",", ":"))
    # Inside <script>, only "</" could end the element early.
    data = data.replace("</", "<\\/")
    return _TEMPLATE.replace("@TITLE@", html.escape(title)).replace("@DATA@", data)


_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>@TITLE@</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 6px}
.cards{display:flex;flex-wrap:wrap;gap:8px}
.card{border:1px solid #ccc;border-radius:6px;padding:6px 12px;min-width:110px}
.card b{display:block;font-size:18px}
table{border-collapse:collapse;font-size:13px} td,th{border-bottom:1px solid #eee;padding:2px 8px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.critical{font-weight:bold} .bad{color:#b00} .ign{color:#888}
pre{background:#f6f6f6;padding:6px;white-space:pre-wrap;max-height:300px;overflow:auto;margin:2px 0 8px}
#tip{position:fixed;pointer-events:none;background:#fffbe6;border:1px solid #aa8;padding:4px 8px;font-size:12px;
display:none;max-width:600px;white-space:pre-wrap;z-index:9}
svg text{font-size:11px} .note{color:#666;font-size:12px}
#script-error{background:#fdd;color:#900;padding:8px;border:1px solid #900}
</style></head><body>
<noscript>This report is drawn by its inline script: enable JavaScript.</noscript>
<script type="application/json" id="report-data">@DATA@</script>
<div id="tip"></div>
<script>
"use strict";
window.onerror = function (message, source, line) {
  var box = document.getElementById("script-error") || document.createElement("pre");
  box.id = "script-error";
  box.textContent = "report script error: " + message + " (line " + line + ")";
  document.body.insertBefore(box, document.body.firstChild);
};
(function () {
  var D = JSON.parse(document.getElementById("report-data").textContent);
  var NS = "http://www.w3.org/2000/svg";
  var tip = document.getElementById("tip");
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }
  function svgEl(tag, attrs) {
    var node = document.createElementNS(NS, tag);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    return node;
  }
  function sec(ms) { return ms === null || ms === undefined ? "-" : (ms / 1000).toFixed(3) + " s"; }
  function msf(ms) { return ms === null || ms === undefined ? "-" : ms.toFixed(1) + " ms"; }
  function pct(x) { return (100 * x).toFixed(1) + "%"; }
  function section(id, title) {
    var box = el("section", {id: id});
    box.appendChild(el("h2", {}, title));
    document.body.appendChild(box);
    return box;
  }
  function table(parent, heads, rows, cls) {
    var t = el("table", cls ? {"class": cls} : {});
    var tr = el("tr");
    heads.forEach(function (h) { tr.appendChild(el("th", {}, h)); });
    t.appendChild(tr);
    rows.forEach(function (row) {
      var r = el("tr");
      row.cells.forEach(function (c) {
        r.appendChild(el("td", typeof c === "number" ? {"class": "n"} : {}, c));
      });
      if (row.cls) r.setAttribute("class", row.cls);
      t.appendChild(r);
    });
    parent.appendChild(t);
    return t;
  }
  function hover(node, text) {
    node.addEventListener("mousemove", function (ev) {
      tip.textContent = text; tip.style.display = "block";
      tip.style.left = Math.min(ev.clientX + 12, window.innerWidth - 420) + "px";
      tip.style.top = (ev.clientY + 12) + "px";
    });
    node.addEventListener("mouseleave", function () { tip.style.display = "none"; });
  }
  var byIndex = {};
  D.jobs.forEach(function (j) { byIndex[j.i] = j; });
  function jobText(j) {
    return j.label + "\\n" + j.command + "\\npid " + j.pid + ", " + j.procs + " process(es), " + j.status +
      "\\nstart " + sec(j.start) + ", took " + msf(j.dur) + "\\nCPU user " + msf(j.utime) + ", system " +
      msf(j.stime) + (j.critical ? "\\non the critical path" : "") +
      (j.failed ? (j.ignored ? "\\nfailed (ignored by the build)" : "\\nFAILED") : "");
  }

  // -- summary ----------------------------------------------------------
  document.body.appendChild(el("h1", {}, D.title));
  document.body.appendChild(el("div", {"class": "note"}, D.command));
  var cards = el("div", {"class": "cards", id: "summary"});
  var cpu = D.utime === null ? null : D.utime + D.stime;
  [["wall time", sec(D.wall), "wall"], ["CPU time", sec(cpu), "cpu"],
   ["user / system", sec(D.utime) + " / " + sec(D.stime), "user-system"],
   ["CPUs", D.cpus === null ? "?" : String(D.cpus), "cpus"],
   ["processes", String(D.processes), "processes"], ["jobs", String(D.jobCount), "jobs"],
   ["failures", String(D.failures), "failures"], ["ignored failures", String(D.ignoredFailures), "ignored"],
   ["events", String(D.events) + (D.lost ? " (" + D.lost + " lost)" : ""), "events"]
  ].forEach(function (c) {
    var card = el("div", {"class": "card", "data-key": c[2]});
    card.appendChild(el("span", {}, c[0]));
    card.appendChild(el("b", {}, c[1]));
    cards.appendChild(card);
  });
  document.body.appendChild(cards);
  if (D.truncated) document.body.appendChild(el("p", {"class": "bad"}, "The trace is cut short: facts up to the cut."));
  if (D.recorded) document.body.appendChild(el("p", {"class": "note", id: "trace-set"}, "Recorded with -e trace=: " +
    D.recorded.length + " system calls only; the slowest calls and stderr texts cover only those."));

  // -- timeline ------------------------------------------------------------
  var tl = section("timeline", "Jobs over time (" + D.lanes + " lanes; critical path outlined)");
  var W = Math.max(900, Math.min(1800, window.innerWidth - 40)), ROW = 16, LEFT = 4;
  var total = Math.max(D.wall, 0.001), scale = (W - 2 * LEFT) / total;
  var H = 24 + ROW * Math.max(D.lanes, 1);
  var svg = svgEl("svg", {width: W, height: H, id: "timeline-svg"});
  for (var s = 0; s <= total / 1000; s += Math.max(1, Math.ceil(total / 1000 / 20))) {
    var x = LEFT + s * 1000 * scale;
    svg.appendChild(svgEl("line", {x1: x, y1: 0, x2: x, y2: H - 12, stroke: "#ddd"}));
    var label = svgEl("text", {x: x + 2, y: H - 2, fill: "#888"});
    label.textContent = s + "s";
    svg.appendChild(label);
  }
  D.jobs.forEach(function (j) {
    var g = svgEl("g", {"class": "job" + (j.critical ? " critical" : "") + (j.failed ? " failed" : ""),
                        "data-index": j.i, "data-label": j.label});
    var w = Math.max(j.dur * scale, 1), y = 2 + j.lane * ROW, x0 = LEFT + j.start * scale;
    var hue = {compile: 210, link: 280, archive: 30, "configure test": 120, command: 0}[j.kind];
    var fill = j.failed && !j.ignored ? "#e45" : j.failed ? "#f9b" :
      (j.kind === "command" ? "#ccc" : "hsl(" + hue + ",55%,72%)");
    g.appendChild(svgEl("rect", {x: x0, y: y, width: w, height: ROW - 3, fill: fill,
      stroke: j.critical ? "#000" : "#666", "stroke-width": j.critical ? 1.5 : 0.3}));
    if (w > 40) {
      var t = svgEl("text", {x: x0 + 2, y: y + 10, "pointer-events": "none"});
      t.textContent = j.label.slice(0, Math.floor(w / 6));
      g.appendChild(t);
    }
    var title = svgEl("title", {});
    title.textContent = jobText(j);
    g.appendChild(title);
    hover(g, jobText(j));
    svg.appendChild(g);
  });
  tl.appendChild(svg);
  if (D.hiddenJobs) tl.appendChild(el("p", {"class": "note"}, D.hiddenJobs + " very short jobs not drawn."));

  // -- parallelism ---------------------------------------------------------
  var par = section("parallelism", "Parallelism: jobs running (blue) and CPUs busy (orange) against " +
    (D.cpus === null ? "an unknown number of" : D.cpus) + " CPUs");
  var peak = D.cpus || 1;
  D.buckets.forEach(function (b) { peak = Math.max(peak, b[1], b[2]); });
  var PH = 140, pscale = (PH - 20) / peak;
  var psvg = svgEl("svg", {width: W, height: PH, id: "parallelism-svg"});
  function line(index, colour, cls) {
    var pts = D.buckets.map(function (b) {
      return (LEFT + (b[0] + D.bucketMs / 2) * scale).toFixed(1) + "," + (PH - 10 - b[index] * pscale).toFixed(1);
    }).join(" ");
    psvg.appendChild(svgEl("polyline", {points: pts, fill: "none", stroke: colour, "stroke-width": 1.5, "class": cls}));
  }
  if (D.cpus) {
    var cy = PH - 10 - D.cpus * pscale;
    psvg.appendChild(svgEl("line", {x1: LEFT, x2: W - LEFT, y1: cy, y2: cy, stroke: "#b00", "stroke-dasharray": "4 3",
      "class": "cpu-count"}));
  }
  line(1, "#36c", "jobs-line");
  if (D.utime !== null) line(2, "#e80", "cpu-line");  // a trace older than the CPU fields has none
  par.appendChild(psvg);
  var idle = D.buckets.filter(function (b) { return D.cpus && b[2] < D.cpus / 2; }).length;
  if (D.cpus) par.appendChild(el("p", {"class": "note"}, pct(idle / Math.max(D.buckets.length, 1)) +
    " of the wall time had fewer than half the CPUs busy."));

  // -- critical path -------------------------------------------------------
  var cp = section("critical-path", "Critical path (the chain of jobs that bounds the wall time)");
  table(cp, ["start", "duration", "share of wall time", "job"], D.path.map(function (p) {
    return {cells: [sec(p.start), msf(p.dur), pct(p.share), p.gap ? "(idle gap)" : p.label],
            cls: p.gap ? "gap" : "step"};
  }), "path-table");

  // -- failures ------------------------------------------------------------
  var fl = section("failures", "Failures (" + D.failures + ", and " + D.ignoredFailures + " ignored by the build)");
  if (!D.failureList.length) fl.appendChild(el("p", {}, "No process failed."));
  D.failureList.forEach(function (f) {
    var box = el("div", {"class": f.ignored ? "failure ignored" : "failure"});
    box.appendChild(el("div", {"class": f.ignored ? "ign" : "bad"},
      (f.ignored ? "ignored: " : "FAILED: ") + f.label + " — " + f.status + " (pid " + f.pid + ")"));
    box.appendChild(el("code", {}, f.command));
    if (f.stderr) box.appendChild(el("pre", {"class": "stderr"}, f.stderr));
    fl.appendChild(box);
  });

  // -- slowest jobs, calls, CPU per process ----------------------------------
  var sj = section("slow-jobs", "Slowest jobs");
  table(sj, ["duration", "CPU user", "CPU system", "job", "status"], D.slowJobs.filter(function (i) {
    return byIndex[i];
  }).map(function (i) {
    var j = byIndex[i];
    return {cells: [msf(j.dur), msf(j.utime), msf(j.stime), j.label, j.status], cls: j.critical ? "critical" : ""};
  }));
  var sc = section("slow-calls", "Slowest blocking system calls (not counting a parent waiting for its children)");
  table(sc, ["duration", "syscall", "result", "pid", "file", "command"], D.slowCalls.map(function (c) {
    return {cells: [msf(c.dur), c.name, c.ret, c.pid, c.what, c.command]};
  }));
  var pc = section("cpu-processes", "CPU time per process (top " + D.cpuProcesses.length + ")");
  table(pc, ["user", "system", "wall", "pid", "command"], D.cpuProcesses.map(function (p) {
    return {cells: [msf(p.utime), msf(p.stime), msf(p.wall), p.pid, p.command]};
  }));
  var aj = section("all-jobs", "All jobs (" + D.jobs.length + " shown)");
  var details = el("details");
  details.appendChild(el("summary", {}, "show the table"));
  table(details, ["#", "start", "duration", "user", "system", "job", "status"], D.jobs.map(function (j) {
    return {cells: [j.i, sec(j.start), msf(j.dur), msf(j.utime), msf(j.stime), j.label, j.status],
            cls: j.critical ? "critical" : ""};
  }), "jobs-table");
  aj.appendChild(details);
  document.body.appendChild(el("div", {id: "report-ready", "class": "note"}, "atrace report"));
})();
</script>
</body></html>
"""
