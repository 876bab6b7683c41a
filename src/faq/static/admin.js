/*! admin.js: the faq admin page (/admin/). No dependencies, no third-party request.
 *
 * Asks for the admin token, keeps it in sessionStorage (this tab only), and shows
 * GET ../api/admin/stats (searches per day and language: two inline SVG charts) and
 * GET ../api/admin/gaps (topics as a table), both with `Authorization: Bearer <token>`.
 * UI strings come from ./i18n/<lang>.json; all data is shown through textContent.
 */
(function () {
  "use strict";

  var KEY = "faq-admin-token";
  var SVG = "http://www.w3.org/2000/svg";
  var api = new URL("../api/admin/", document.baseURI).href;
  var strings = {};
  var uiLang = "en";
  var colours = {}; // reader language → class c0…c5

  function t(message) {
    var s = strings[message];
    return typeof s === "string" && s ? s : message;
  }

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, String(attrs[name])); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function status(text) { $("status").textContent = text || ""; }

  function translatePage() {
    document.documentElement.lang = uiLang;
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (node) {
      node.textContent = t(node.getAttribute("data-t"));
    });
    document.title = t("faq administration");
  }

  // the reader's UI language: ?lang=, else the browser's, among those the server offers
  function pick(offered) {
    var asked = new URLSearchParams(location.search).get("lang");
    var wanted = (asked ? [asked] : []).concat(navigator.languages || [navigator.language || "en"]);
    for (var i = 0; i < wanted.length; i++) {
      var tag = String(wanted[i]).toLowerCase();
      if (offered.indexOf(tag) >= 0) return tag;
      if (offered.indexOf(tag.split("-")[0]) >= 0) return tag.split("-")[0];
    }
    return "en";
  }

  function stringsOf(code) {
    return fetch("i18n/" + code + ".json").then(function (r) {
      if (!r.ok) throw new Error("strings");
      return r.json();
    });
  }

  function loadStrings() {
    return stringsOf("en").then(function (english) {
      var code = pick(["en"].concat(english.languages || []));
      uiLang = code;
      return code === "en" ? english : stringsOf(code);
    });
  }

  function get(route, params) {
    var url = new URL(route, api);
    Object.keys(params).forEach(function (k) { if (params[k]) url.searchParams.set(k, params[k]); });
    return fetch(url.href, {
      headers: {
        "Authorization": "Bearer " + sessionStorage.getItem(KEY),
        "Accept-Language": uiLang
      }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (r.status === 401) { sessionStorage.removeItem(KEY); showLogin(t("The token was refused.")); }
        if (r.status === 403) { showLogin(t("Administration is disabled on this server (no admin_token).")); }
        if (!r.ok) throw new Error(typeof body.detail === "string" ? body.detail : String(r.status));
        return body;
      });
    });
  }

  function showLogin(message) {
    $("login").hidden = false;
    $("controls").hidden = true;
    $("report").hidden = true;
    status(message);
  }

  function colour(lang) {
    if (!(lang in colours)) colours[lang] = "c" + (Object.keys(colours).length % 6);
    return colours[lang];
  }

  // ---- charts: one column per day; y axes from 0 to the largest value (or 100 %)
  var W = 900, H = 220, L = 44, R = 12, T = 12, B = 30;

  function frame(days, max, label) {
    var root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": label });
    var ticks = 4;
    for (var i = 0; i <= ticks; i++) {
      var y = T + (H - T - B) * (1 - i / ticks);
      root.appendChild(svg("line", { x1: L, x2: W - R, y1: y, y2: y, "class": i ? "grid" : "axis" }));
      var value = max * i / ticks;
      root.appendChild(svg("text", { x: L - 6, y: y + 4, "text-anchor": "end" },
        label === "%" ? Math.round(value) + "%" : (Number.isInteger(value) ? value : value.toFixed(1))));
    }
    var step = Math.max(1, Math.ceil(days.length / 10));
    days.forEach(function (day, n) {
      if (n % step) return;
      root.appendChild(svg("text", { x: xOf(n, days.length) , y: H - 10, "text-anchor": "middle" }, day.slice(5)));
    });
    return root;
  }

  // the axis top: 4 ticks of 1, 2 or 5 × 10^k
  function niceMax(value) {
    var raw = value / 4, power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; })
      .filter(function (s) { return s >= raw; })[0];
    return Math.max(4, step * 4);
  }

  function xOf(n, count) { return L + (W - L - R) * (n + 0.5) / count; }
  function yOf(value, max) { return T + (H - T - B) * (1 - value / max); }

  function drawCharts(rows) {
    var days = [], langs = [], cell = {};
    rows.forEach(function (r) {
      if (days.indexOf(r.day) < 0) days.push(r.day);
      if (langs.indexOf(r.lang) < 0) langs.push(r.lang);
      cell[r.day + "|" + r.lang] = r;
    });
    days.sort(); langs.sort();
    var legend = $("legend"), q = $("chart-questions"), rate = $("chart-rate");
    clear(legend); clear(q); clear(rate);
    $("stats-empty").hidden = days.length > 0;
    q.hidden = rate.hidden = legend.hidden = !days.length;
    if (!days.length) return;
    langs.forEach(function (lang) { legend.appendChild(el("span", { "class": colour(lang) }, lang)); });
    // questions: bars stacked by language
    var totals = days.map(function (d) {
      return langs.reduce(function (sum, lang) { var c = cell[d + "|" + lang]; return sum + (c ? c.questions : 0); }, 0);
    });
    var max = niceMax(Math.max.apply(null, totals.concat([1])));
    var chart = frame(days, max, t("Questions"));
    var width = Math.min(36, Math.max(2, (W - L - R) / days.length * 0.7));
    days.forEach(function (d, n) {
      var base = 0;
      langs.forEach(function (lang) {
        var c = cell[d + "|" + lang];
        if (!c || !c.questions) return;
        var top = yOf(base + c.questions, max), bottom = yOf(base, max);
        var bar = svg("rect", { x: xOf(n, days.length) - width / 2, y: top, width: width,
          height: Math.max(1, bottom - top), "class": colour(lang) });
        bar.appendChild(svg("title", null, d + " " + lang + ": " + c.questions + " " + t("Questions") +
          ", " + c.answered + " " + t("answered")));
        chart.appendChild(bar);
        base += c.questions;
      });
    });
    q.appendChild(chart);
    // answered rate: one line per language, a dot per day that had searches
    var rates = frame(days, 100, "%");
    langs.forEach(function (lang) {
      var points = [];
      days.forEach(function (d, n) {
        var c = cell[d + "|" + lang];
        if (!c || !c.questions) return;
        var x = xOf(n, days.length), y = yOf(100 * c.answered / c.questions, 100);
        points.push(x.toFixed(1) + "," + y.toFixed(1));
        var dot = svg("circle", { cx: x, cy: y, r: 3.5, "class": colour(lang) });
        dot.appendChild(svg("title", null, d + " " + lang + ": " +
          Math.round(100 * c.answered / c.questions) + "% (" + c.answered + "/" + c.questions + ")"));
        rates.appendChild(dot);
      });
      if (points.length > 1) {
        rates.insertBefore(svg("polyline", { points: points.join(" "), "class": "line " + colour(lang) }),
          rates.firstChild.nextSibling);
      }
    });
    rate.appendChild(rates);
  }

  function advice(topic) {
    if (topic.suggestion === "add-questions") return t("add these as alternate questions of {id}").replace("{id}", topic.nearest);
    if (topic.suggestion === "review-entry") return t("review {id}: readers who got it voted it unhelpful").replace("{id}", topic.nearest);
    return t("a new entry is needed");
  }

  function drawTopics(report) {
    var body = $("topics").querySelector("tbody");
    clear(body);
    $("log-off").hidden = !!report.log_queries;
    $("topics-empty").hidden = report.topics.length > 0;
    $("topics").hidden = !report.topics.length;
    report.topics.forEach(function (topic, n) {
      var row = el("tr");
      row.appendChild(el("td", { "class": "num" }, n + 1));
      row.appendChild(el("td", { "class": "num" }, topic.readers));
      row.appendChild(el("td", null, Object.keys(topic.languages).map(function (lang) {
        return lang + " " + topic.languages[lang];
      }).join(", ")));
      var examples = el("ul");
      topic.examples.forEach(function (q) { examples.appendChild(el("li", null, q)); });
      var cell = el("td"); cell.appendChild(examples); row.appendChild(cell);
      var entry = el("td", null, topic.nearest || "–");
      if (topic.title) entry.appendChild(el("span", { "class": "entry-title" }, topic.title));
      row.appendChild(entry);
      row.appendChild(el("td", { "class": "num" }, topic.nearest ? topic.closeness.toFixed(2) : "–"));
      row.appendChild(el("td", { "class": "s-" + topic.suggestion }, advice(topic)));
      body.appendChild(row);
    });
  }

  function show() {
    var params = { since: $("since").value, lang: $("lang").value };
    status(t("Loading…"));
    Promise.all([get("stats", params), get("gaps", params)]).then(function (bodies) {
      $("report").hidden = false;
      drawCharts(bodies[0].days);
      drawTopics(bodies[1]);
      status("");
      document.body.setAttribute("data-loaded", "true");
    }).catch(function (err) {
      if (!$("login").hidden) return;
      status(err && err.message === "Failed to fetch" ? t("The server cannot be reached.") : String(err.message || err));
    });
  }

  function start(info) {
    strings = info.strings || {};
    translatePage();
    var select = $("lang");
    (info.languages || []).forEach(function (code) { select.appendChild(el("option", { value: code }, code)); });
    $("login").addEventListener("submit", function (event) {
      event.preventDefault();
      sessionStorage.setItem(KEY, $("token").value);
      $("token").value = "";
      $("login").hidden = true;
      $("controls").hidden = false;
      show();
    });
    $("controls").addEventListener("submit", function (event) { event.preventDefault(); show(); });
    $("logout").addEventListener("click", function () { sessionStorage.removeItem(KEY); showLogin(""); });
    if (sessionStorage.getItem(KEY)) {
      $("controls").hidden = false;
      show();
    } else {
      showLogin("");
    }
  }

  loadStrings().then(start, function () { start({}); });
})();
