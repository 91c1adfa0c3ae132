// Switchboard live dashboard: plain DOM and SVG, no library, no build step. Subscribes to /dashboard/events
// (one JSON snapshot a second) and redraws; keeps the last 60 values of a few figures for the sparklines.
(function () {
  "use strict";
  var HISTORY = 60;
  var series = { rps: [], eps: [], spend: [] };
  var WHY = {
    meets_threshold: "cheapest to meet target",
    best_predicted: "none met target: best predicted",
    difficulty_rung: "difficulty rung",
    difficulty_nearest_allowed: "nearest allowed rung",
    cheapest_over_budget: "over cost cap: cheapest",
    "static": "static route"
  };

  function $(id) { return document.getElementById(id); }
  function text(id, v) { var e = $(id); if (e.textContent !== v) e.textContent = v; }
  function fmt(n, d) { return n == null ? "—" : Number(n).toFixed(d); }
  function usd(n) {
    if (n == null) return "—";
    var a = Math.abs(n);
    return "$" + (a >= 100 ? n.toFixed(0) : a >= 1 ? n.toFixed(2) : a >= 0.01 ? n.toFixed(3) : n.toFixed(5));
  }
  function pct(f) { return f == null ? "—" : (100 * f).toFixed(f < 0.1 ? 1 : 0) + "%"; }
  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content != null) e.textContent = content;
    return e;
  }
  function why(w) {
    if (!w) return "—";
    if (w.indexOf("fallback:") === 0) return "scoring " + w.slice(9) + ": route default";
    return WHY[w] || w.replace(/_/g, " ");
  }

  function push(name, v) {
    var s = series[name];
    s.push(v);
    if (s.length > HISTORY) s.shift();
  }
  function spark(id, values) {
    var svg = $(id);
    if (!svg) return;
    var max = Math.max.apply(null, values.concat([1e-9]));
    var pts = values.map(function (v, i) {
      var x = values.length < 2 ? 0 : (i * 120) / (HISTORY - 1);
      return x.toFixed(1) + "," + (27 - (v / max) * 25).toFixed(1);
    }).join(" ");
    var line = svg.querySelector("polyline");
    if (!line) { line = document.createElementNS("http://www.w3.org/2000/svg", "polyline"); svg.appendChild(line); }
    line.setAttribute("points", pts);
  }

  function bars(container, rows, empty) {
    var box = $(container);
    box.textContent = "";
    if (!rows.length) { box.appendChild(el("p", "empty", empty)); return; }
    rows.forEach(function (r) {
      var row = el("div", "row");
      var label = el("span", "label", r.label);
      label.title = r.label;
      var track = el("span", "track");
      var fill = el("span", "fill" + (r.cls ? " " + r.cls : ""));
      fill.style.display = "block";
      fill.style.width = Math.max(0, Math.min(100, 100 * r.fraction)).toFixed(1) + "%";
      track.appendChild(fill);
      row.appendChild(label); row.appendChild(track); row.appendChild(el("span", "value", r.value));
      box.appendChild(row);
    });
  }

  // a cell with a label that only the narrow layout shows (the table header does it on wide screens)
  function cell(tr, cls, label, value) {
    var td = el("td", cls, value);
    if (label) td.setAttribute("data-label", label);
    tr.appendChild(td);
  }
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function clock(ms) { var d = new Date(ms); return two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds()); }

  function recent(rows) {
    var body = $("recent").tBodies[0];
    body.textContent = "";
    if (!rows.length) {
      var tr = el("tr", "empty"); var td = el("td", null, "No requests yet."); td.colSpan = 8; tr.appendChild(td); body.appendChild(tr);
      return;
    }
    rows.forEach(function (r) {
      var tr = el("tr");
      cell(tr, "num time", "", clock(r.at_ms));
      cell(tr, null, "route ", r.route || "—");
      cell(tr, r.status === 200 ? "model" : "model err", "", r.model ? r.model + (r.status === 200 ? "" : " · " + r.status) : "HTTP " + r.status);
      cell(tr, "num", "difficulty ", r.difficulty == null ? "—" : fmt(r.difficulty, 2));
      var w = why(r.why) + (r.predicted_quality == null ? "" : " (q̂ " + fmt(r.predicted_quality, 2) + ")")
        + (r.attempts > 1 ? " · answered on attempt " + r.attempts : "");
      cell(tr, "why", "", w);
      cell(tr, "num", "cost ", usd(r.cost_usd));
      cell(tr, "num", "added ", fmt(r.overhead_ms, 2) + " ms");
      cell(tr, "prompt", "", r.excerpt == null ? "(not captured)" : r.excerpt);
      body.appendChild(tr);
    });
  }

  function draw(s) {
    text("rps", fmt(s.requests.per_s, 1));
    text("req-total", s.requests.total + " since start");
    text("eps", fmt(s.requests.errors_per_s, 1));
    text("err-total", s.requests.errors_total + " since start");
    text("p50", fmt(s.overhead_ms.p50, 2));
    text("p99", fmt(s.overhead_ms.p99, 2));
    text("overhead-window", String(s.overhead_ms.window_s));
    text("spend-hour", usd(s.spend.per_hour_usd));
    text("spend-total", usd(s.spend.total_usd) + " since start");
    text("savings", s.savings.percent == null ? "—" : s.savings.percent.toFixed(1) + "%");
    text("savings-usd", usd(s.savings.saved_usd) + " saved on " + usd(s.savings.eval_driven_spend_usd) + " eval-driven spend");
    if (s.cache) {
      text("cache", pct(s.cache.hit_rate));
      text("cache-detail", s.cache.hits + " hits, " + s.cache.misses + " misses");
    }
    text("fallbacks", String(s.scoring.fallbacks));
    var reasons = Object.keys(s.scoring.fallbacks_by_reason).map(function (k) { return k + " " + s.scoring.fallbacks_by_reason[k]; });
    text("fallback-detail", "of " + (s.scoring.decisions + s.scoring.fallbacks) + " scored" + (reasons.length ? " · " + reasons.join(", ") : ""));
    text("capture", "· prompts shown as the request log captures them: " + s.capture);
    push("rps", s.requests.per_s); push("eps", s.requests.errors_per_s); push("spend", s.spend.per_hour_usd);
    spark("spark-rps", series.rps); spark("spark-eps", series.eps); spark("spark-spend", series.spend);
    bars("models", s.models.map(function (m) {
      return { label: m.model, fraction: m.share, value: pct(m.share) + " · " + m.calls };
    }), "No answered requests yet.");
    bars("budgets", s.budgets.map(function (b) {
      return { label: b.scope + " " + (b.name || b.id), fraction: b.used, cls: b.used >= 1 ? "over" : b.used >= 0.8 ? "warn" : null,
        value: usd(b.spent_usd) + " / " + usd(b.limit_usd) };
    }), "No key or team has a budget (or auth is off).");
    recent(s.recent);
    var st = $("status");
    st.className = "status live";
    st.textContent = "live · updated " + clock(s.at_ms) + " · up " + s.uptime_s + " s";
  }

  function connect() {
    var es = new EventSource("/dashboard/events");
    es.addEventListener("snapshot", function (e) { draw(JSON.parse(e.data)); });
    es.onerror = function () {
      var st = $("status");
      st.className = "status down";
      st.textContent = "disconnected, retrying…";
    };
  }
  connect();
})();
