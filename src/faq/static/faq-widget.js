/*! faq-widget.js: the ask widget of a faq knowledge base. No dependencies, no third-party request.
 *
 *   <script src="https://faq.example.com/faq-widget.js" data-api="https://faq.example.com/api"
 *           data-lang="ko" defer></script>
 *
 * data-api      the API base (default: "api" next to this script)
 * data-lang     the page language: results and UI strings in it (default, or a language the
 *               knowledge base lacks: the query's language)
 * data-replace  CSS selector of a search UI to replace when the API answers (the FAQ site uses
 *               it for the theme's search, which stays as the fallback when the API is down)
 *
 * All data is shown through textContent / createTextNode; answer HTML is parsed in an inert
 * document and rebuilt from an allow-list of elements, never assigned with innerHTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__faqWidget) return;
  window.__faqWidget = true;

  var P = "faq-w-"; // prefix of every class and id
  var scriptUrl = new URL(script.src, document.baseURI);
  var apiAttr = script.getAttribute("data-api");
  var apiBase = (apiAttr ? new URL(apiAttr, document.baseURI) : new URL("api", scriptUrl)).href.replace(/\/+$/, "");
  var siteRoot = new URL("./", apiBase).href; // the API lives at <site>/api
  var rawLang = (script.getAttribute("data-lang") || "").trim();
  var lang = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(rawLang) ? rawLang : "";
  var replaceSelector = script.getAttribute("data-replace") || "";
  var strings = {};

  function t(message) {
    var s = strings[message];
    return typeof s === "string" && s ? s : message;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        if (attrs[name] !== null && attrs[name] !== undefined) node.setAttribute(name, attrs[name]);
      });
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // a result's snippet: text, and the first line of a code block in backticks as code
  function snippetNode(text) {
    var node = el("span", { class: P + "snippet" });
    String(text || "").split("`").forEach(function (part, i) {
      if (part) node.appendChild(i % 2 ? el("code", null, part) : document.createTextNode(part));
    });
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  // A link the API returned: site-relative paths are resolved against the site root; only
  // http(s) links are kept.
  function pageUrl(url) {
    if (typeof url !== "string" || !url) return null;
    try {
      var resolved = /^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)
        ? new URL(url)
        : new URL(url.replace(/^\/+/, ""), siteRoot);
      return resolved.protocol === "http:" || resolved.protocol === "https:" ? resolved.href : null;
    } catch (e) {
      return null;
    }
  }

  function api(path, options) {
    return fetch(apiBase + path, options).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          if (!response.ok) {
            var error = new Error(typeof body.detail === "string" ? body.detail : response.statusText);
            error.status = response.status;
            throw error;
          }
          return body;
        });
    });
  }

  // The reader's language sent to the API: the page's, until the server refuses it (a
  // knowledge base without that language answers 422); then the server picks by the question.
  var apiLang = lang;

  function langParam() {
    return apiLang ? "&lang=" + encodeURIComponent(apiLang) : "";
  }

  function sendFeedback(payload) {
    // links the vote or report to the search it came from (only when the server logs queries)
    if (state.searchId) payload.search_id = state.searchId;
    return api("/feedback" + (apiLang ? "?lang=" + encodeURIComponent(apiLang) : ""), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(payload),
    });
  }

  // ------------------------------------------------------------------------- safe answer HTML

  var ALLOWED = {
    P: 1, UL: 1, OL: 1, LI: 1, PRE: 1, CODE: 1, STRONG: 1, EM: 1, B: 1, I: 1, A: 1, BR: 1,
    HR: 1, BLOCKQUOTE: 1, H1: 1, H2: 1, H3: 1, H4: 1, H5: 1, H6: 1, TABLE: 1, THEAD: 1,
    TBODY: 1, TR: 1, TH: 1, TD: 1, DEL: 1, KBD: 1, DL: 1, DT: 1, DD: 1,
  };
  var DROPPED = { SCRIPT: 1, STYLE: 1, IFRAME: 1, OBJECT: 1, EMBED: 1, IMG: 1, svg: 1, SVG: 1, TEMPLATE: 1 };

  // A link of an answer: an entry link (the API resolves them to site paths, "/zh/usage/x/")
  // goes to that page of the site; "#anchor" to the anchor on the answer's own page; http(s)
  // links are kept; anything else (a relative path, a script) is not a link here.
  function answerLink(href, pageHref) {
    if (/^#./.test(href)) return pageHref ? pageHref.replace(/#.*$/, "") + href : null;
    if (/^https?:\/\//i.test(href) || /^\/(?!\/)/.test(href)) return pageUrl(href);
    return null;
  }

  function copySafe(from, to, pageHref) {
    for (var node = from.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === 3) {
        to.appendChild(document.createTextNode(node.nodeValue));
      } else if (node.nodeType === 1) {
        var tag = node.tagName.toUpperCase();
        if (DROPPED[tag]) continue;
        if (!ALLOWED[tag]) {
          copySafe(node, to, pageHref); // unknown element: keep its text
          continue;
        }
        var out = document.createElement(tag.toLowerCase());
        if (tag === "A") {
          var href = answerLink(node.getAttribute("href") || "", pageHref);
          if (!href) {
            copySafe(node, to, pageHref); // text only
            continue;
          }
          out.setAttribute("href", href);
          if (new URL(href).origin !== new URL(siteRoot).origin) {
            out.setAttribute("rel", "noopener noreferrer");
            out.setAttribute("target", "_blank");
          }
        }
        copySafe(node, out, pageHref);
        to.appendChild(out);
      }
    }
  }

  function safeFragment(html, pageHref) {
    var fragment = document.createDocumentFragment();
    // an inert document: nothing in it runs or loads
    var doc = new DOMParser().parseFromString(String(html || ""), "text/html");
    copySafe(doc.body, fragment, pageHref);
    return fragment;
  }

  // ------------------------------------------------------------------------------------ style

  var CSS = [
    ".faq-w-hidden{display:none!important}",
    ".faq-w-sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}",
    ".faq-w-button{display:inline-flex;align-items:center;gap:.5em;font:inherit;font-size:.8rem;cursor:pointer;border:0;border-radius:.3rem;padding:.45em .8em;margin:0 .4rem;background:rgba(0,0,0,.26);color:inherit;white-space:nowrap}",
    ".faq-w-button:hover,.faq-w-button:focus-visible{background:rgba(0,0,0,.4);outline:2px solid currentColor;outline-offset:1px}",
    ".faq-w-button kbd{font:inherit;font-size:.75em;opacity:.75;border:1px solid currentColor;border-radius:.2em;padding:0 .3em}",
    ".faq-w-floating{position:fixed;right:1rem;bottom:1rem;z-index:2147483000;background:#3f51b5;color:#fff;box-shadow:0 2px 8px rgba(0,0,0,.3);font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}",
    ".faq-w-backdrop{position:fixed;inset:0;z-index:2147483001;background:rgba(0,0,0,.45);display:flex;align-items:flex-start;justify-content:center;padding:8vh 1rem 1rem}",
    ".faq-w-dialog{box-sizing:border-box;width:100%;max-width:44rem;max-height:84vh;display:flex;flex-direction:column;background:#fff;color:#1d1d1f;border-radius:.6rem;box-shadow:0 10px 40px rgba(0,0,0,.35);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Noto Sans CJK KR','Apple SD Gothic Neo','Malgun Gothic',sans-serif;overflow:hidden}",
    ".faq-w-head{display:flex;align-items:center;gap:.5rem;padding:.75rem;border-bottom:1px solid #e3e3e8}",
    ".faq-w-input{flex:1;font:inherit;font-size:1.1rem;padding:.5rem .6rem;border:1px solid #c5c5cf;border-radius:.4rem;background:#fff;color:inherit;min-width:0}",
    ".faq-w-input:focus{outline:2px solid #3f51b5;border-color:#3f51b5}",
    ".faq-w-close,.faq-w-link-button{font:inherit;cursor:pointer;border:0;background:transparent;color:#3f51b5;padding:.3rem .5rem;border-radius:.3rem}",
    ".faq-w-close{font-size:1.4rem;line-height:1;color:#555}",
    ".faq-w-close:focus-visible,.faq-w-link-button:focus-visible,.faq-w-vote:focus-visible,.faq-w-answer a:focus-visible{outline:2px solid #3f51b5}",
    ".faq-w-body{overflow:auto;padding:.25rem .75rem .75rem}",
    ".faq-w-status{margin:.5rem .25rem;font-size:.9rem;color:#555}",
    ".faq-w-list{list-style:none;margin:0;padding:0}",
    ".faq-w-option{padding:.55rem .6rem;border-radius:.4rem;cursor:pointer;border:1px solid transparent}",
    ".faq-w-option[aria-selected=true]{background:#eef0fb;border-color:#c5cae9}",
    ".faq-w-title{display:block;font-weight:600;color:#1a237e;text-decoration:none}",
    ".faq-w-snippet code{font-family:monospace;font-size:.85em;background:rgba(127,127,127,.15);padding:0 .2em;border-radius:3px}",
    ".faq-w-snippet{display:block;font-size:.88rem;color:#444;margin-top:.15rem;overflow:hidden;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical}",
    ".faq-w-note{font-size:.8rem;color:#777}",
    ".faq-w-missing{margin:-.25rem 0 .5rem}",
    ".faq-w-icon{width:1.1em;height:1.1em;flex:none;vertical-align:-.2em}",
    ".faq-w-vote{display:inline-flex;align-items:center;gap:.35em}",
    ".faq-w-answer h3:focus{outline:none}",
    ".faq-w-answer h3{margin:.5rem 0;font-size:1.15rem}",
    ".faq-w-answer-body{font-size:.95rem}",
    ".faq-w-answer-body pre{background:#f5f5f7;padding:.6rem;border-radius:.3rem;overflow:auto;font-size:.85rem}",
    ".faq-w-answer-body code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}",
    ".faq-w-answer-body blockquote{margin:.5rem 0;padding-left:.8rem;border-left:3px solid #c5cae9;color:#555}",
    // links look like links wherever they are (a theme may reset `a` to plain text)
    ".faq-w-answer-body a{color:#3f51b5;text-decoration:underline}",
    ".faq-w-answer-body table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}",
    ".faq-w-answer-body th,.faq-w-answer-body td{border:1px solid #e3e3e8;padding:.25rem .5rem;text-align:left}",
    ".faq-w-actions{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin-top:.8rem;padding-top:.6rem;border-top:1px solid #e3e3e8;font-size:.9rem}",
    ".faq-w-vote{font:inherit;cursor:pointer;border:1px solid #c5c5cf;background:#fff;border-radius:1rem;padding:.15rem .7rem;color:inherit}",
    ".faq-w-vote[aria-pressed=true]{background:#3f51b5;border-color:#3f51b5;color:#fff}",
    ".faq-w-vote[aria-disabled=true],.faq-w-link-button[aria-disabled=true]{cursor:default}",
    ".faq-w-foot{padding:.4rem .75rem;font-size:.75rem;color:#777;border-top:1px solid #e3e3e8}",
    ".faq-page-feedback .faq-w-actions{border-top:0}",
    "@media (prefers-color-scheme:dark){.faq-w-dialog{background:#1f2029;color:#e6e6ea}.faq-w-input,.faq-w-vote{background:#2a2b36;border-color:#444;color:inherit}.faq-w-title{color:#9fa8ff}.faq-w-option[aria-selected=true]{background:#2e3350;border-color:#3f51b5}.faq-w-snippet,.faq-w-status{color:#bbb}.faq-w-answer-body pre{background:#2a2b36}.faq-w-answer-body a{color:#9fa8ff}.faq-w-head,.faq-w-foot,.faq-w-actions{border-color:#333}.faq-w-close{color:#ccc}.faq-w-link-button{color:#9fa8ff}}",
    "@media (max-width:40em){.faq-w-button .faq-w-label,.faq-w-button kbd{display:none}.faq-w-backdrop{padding:0}.faq-w-dialog{max-height:100vh;height:100%;border-radius:0}}",
  ].join("\n");

  var styled = false;

  function injectStyle() {
    if (styled || document.getElementById(P + "style")) return;
    styled = true;
    // A constructed style sheet is not an inline style: it works under a Content-Security-Policy
    // without 'unsafe-inline' (faq serve sends one); a <style> element only where it is missing.
    try {
      var sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
      return;
    } catch (e) {
      // an older browser: fall through
    }
    var style = el("style", { id: P + "style" });
    style.textContent = CSS;
    (document.head || document.documentElement).appendChild(style);
  }

  // -------------------------------------------------------------------------------- the dialog

  var ui = null; // the dialog's elements, built on first open
  var opener = null;
  var state = { query: "", searchId: null, results: [], active: -1, seq: 0, timer: 0, controller: null, entry: null };

  // Material Design icons (Apache-2.0) drawn inline: no icon font, no request
  var ICONS = {
    search: "M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5z",
    up: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
    down: "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z",
  };

  function icon(name) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", P + "icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  function build() {
    var backdrop = el("div", { class: P + "backdrop faq-w-hidden" });
    var dialog = el("div", {
      class: P + "dialog",
      role: "dialog",
      "aria-modal": "true",
      "aria-labelledby": P + "title",
    });
    var head = el("div", { class: P + "head" });
    var title = el("h2", { id: P + "title", class: P + "sr" }, t("Ask a question"));
    var input = el("input", {
      id: P + "input",
      class: P + "input",
      type: "text",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": P + "list",
      "aria-describedby": P + "help",
      autocomplete: "off",
      spellcheck: "false",
      maxlength: "1000",
      enterkeyhint: "search",
      placeholder: t("Ask a question in any language…"),
      "aria-label": t("Ask a question"),
    });
    if (lang) input.setAttribute("lang", lang);
    var close = el("button", { type: "button", class: P + "close", "aria-label": t("Close") }, "\u00d7");
    head.appendChild(title);
    head.appendChild(input);
    head.appendChild(close);

    var body = el("div", { class: P + "body" });
    var status = el("div", { class: P + "status", role: "status", "aria-live": "polite" });
    var list = el("ul", { id: P + "list", class: P + "list", role: "listbox", "aria-label": t("Results") });
    var missing = el("div", { class: P + "missing faq-w-hidden" });
    var report = el("button", { type: "button", class: P + "link-button" }, t("Report a missing answer"));
    missing.appendChild(report);
    var answer = el("article", { class: P + "answer faq-w-hidden", "aria-labelledby": P + "answer-title" });
    body.appendChild(status);
    body.appendChild(missing);
    body.appendChild(list);
    body.appendChild(answer);

    var foot = el("div", { id: P + "help", class: P + "foot" }, t("↑↓ to move, Enter to open, Esc to close"));
    dialog.appendChild(head);
    dialog.appendChild(body);
    dialog.appendChild(foot);
    backdrop.appendChild(dialog);
    document.body.appendChild(backdrop);

    ui = {
      backdrop: backdrop, dialog: dialog, input: input, close: close, status: status, list: list,
      missing: missing, report: report, answer: answer,
    };

    input.addEventListener("input", onInput);
    input.addEventListener("keydown", onInputKey);
    close.addEventListener("click", closeDialog);
    report.addEventListener("click", reportMissing);
    backdrop.addEventListener("mousedown", function (event) {
      if (event.target === backdrop) closeDialog();
    });
    dialog.addEventListener("keydown", onDialogKey);
  }

  function isOpen() {
    return !!ui && !ui.backdrop.classList.contains(P + "hidden");
  }

  function openDialog() {
    if (!ui) build();
    if (isOpen()) {
      ui.input.focus();
      return;
    }
    opener = document.activeElement;
    ui.backdrop.classList.remove(P + "hidden");
    document.documentElement.style.overflow = "hidden";
    showResults();
    ui.input.focus();
    ui.input.select();
  }

  function closeDialog() {
    if (!isOpen()) return;
    ui.backdrop.classList.add(P + "hidden");
    document.documentElement.style.overflow = "";
    ui.input.setAttribute("aria-expanded", "false");
    if (opener && typeof opener.focus === "function" && document.contains(opener)) opener.focus();
    opener = null;
  }

  function setStatus(text) {
    ui.status.textContent = text || "";
  }

  function onInput() {
    clearTimeout(state.timer);
    state.timer = setTimeout(search, 200); // debounce: search when typing pauses
  }

  function search() {
    var query = ui.input.value.replace(/\s+/g, " ").trim();
    if (query === state.query && state.results.length) return;
    state.query = query;
    state.searchId = null;
    if (state.controller) state.controller.abort();
    state.controller = null;
    if (!query) {
      state.results = [];
      state.answered = true;
      renderResults();
      setStatus("");
      return;
    }
    var seq = ++state.seq;
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    state.controller = controller;
    var slow = setTimeout(function () {
      if (seq === state.seq) setStatus(t("Searching…"));
    }, 300);
    ui.list.setAttribute("aria-busy", "true");
    api("/search?q=" + encodeURIComponent(query) + langParam(), controller ? { signal: controller.signal } : {})
      .then(function (body) {
        if (seq !== state.seq) return;
        state.results = Array.isArray(body.results) ? body.results : [];
        state.answered = body.answered !== false;
        state.searchId = typeof body.search_id === "string" ? body.search_id : null;
        state.active = state.results.length ? 0 : -1;
        state.reported = false;
        showResults();
      })
      .catch(function (error) {
        if (seq !== state.seq || (error && error.name === "AbortError")) return;
        if (error && error.status === 422 && apiLang) {
          apiLang = ""; // the page's language is not one of the knowledge base's: ask without it
          state.query = "";
          search();
          return;
        }
        state.results = [];
        renderResults();
        ui.missing.classList.add(P + "hidden"); // nothing to report while the service fails
        setStatus(error && error.status ? error.message : t("The FAQ service cannot be reached."));
      })
      .then(function () {
        clearTimeout(slow);
        if (seq === state.seq) ui.list.removeAttribute("aria-busy");
      });
  }

  function renderResults() {
    clear(ui.list);
    var results = state.results;
    results.forEach(function (hit, i) {
      var option = el("li", {
        id: P + "option-" + i,
        class: P + "option",
        role: "option",
        "aria-selected": i === state.active ? "true" : "false",
        "data-id": String(hit.id || ""),
      });
      if (hit.lang) option.setAttribute("lang", String(hit.lang));
      var href = pageUrl(hit.url);
      var title = el(href ? "a" : "span", { class: P + "title", tabindex: "-1", href: href }, hit.title);
      option.appendChild(title);
      option.appendChild(snippetNode(hit.snippet));
      if (hit.fallback) option.appendChild(el("span", { class: P + "note" }, t("Shown in its original language: no translation yet.")));
      option.addEventListener("click", function (event) {
        // a modified click follows the link (new tab…); a plain one opens the answer here
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1) return;
        event.preventDefault();
        state.active = i;
        openEntry(hit);
      });
      option.addEventListener("mousemove", function () {
        if (state.active !== i) setActive(i);
      });
      ui.list.appendChild(option);
    });
    var expanded = results.length > 0;
    ui.input.setAttribute("aria-expanded", expanded ? "true" : "false");
    updateActive();
    if (state.query) {
      if (!results.length) setStatus(t("No entries."));
      else setStatus(state.answered ? t("Best answers") : t("No good answer found. The closest entries are:"));
    }
    var offerReport = !!state.query && (!results.length || !state.answered);
    ui.missing.classList.toggle(P + "hidden", !offerReport);
    // aria-disabled rather than disabled: the focus stays on the button
    ui.report.setAttribute("aria-disabled", state.reported ? "true" : "false");
    ui.report.textContent = state.reported ? t("Thanks! The question was reported as missing.") : t("Report a missing answer");
  }

  function setActive(i) {
    state.active = i;
    var options = ui.list.children;
    for (var k = 0; k < options.length; k++) {
      options[k].setAttribute("aria-selected", k === i ? "true" : "false");
    }
    updateActive();
  }

  function updateActive() {
    var option = state.active >= 0 ? document.getElementById(P + "option-" + state.active) : null;
    if (option) {
      ui.input.setAttribute("aria-activedescendant", option.id);
      if (option.scrollIntoView) option.scrollIntoView({ block: "nearest" });
    } else {
      ui.input.removeAttribute("aria-activedescendant");
    }
  }

  function onInputKey(event) {
    var n = state.results.length;
    if (event.key === "ArrowDown" && n) {
      event.preventDefault();
      if (!ui.answer.classList.contains(P + "hidden")) showResults();
      setActive((state.active + 1) % n);
    } else if (event.key === "ArrowUp" && n) {
      event.preventDefault();
      if (!ui.answer.classList.contains(P + "hidden")) showResults();
      setActive((state.active - 1 + n) % n);
    } else if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(state.timer);
      var query = ui.input.value.replace(/\s+/g, " ").trim();
      if (query !== state.query) {
        search();
      } else if (state.active >= 0 && state.results[state.active]) {
        openEntry(state.results[state.active]);
      }
    }
  }

  function onEscape(event) {
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!ui.answer.classList.contains(P + "hidden")) {
      showResults();
      ui.input.focus();
    } else {
      closeDialog();
    }
  }

  function onDialogKey(event) {
    if (event.key === "Tab") trapFocus(event);
  }

  function trapFocus(event) {
    var focusable = Array.prototype.filter.call(
      ui.dialog.querySelectorAll("input,button,a[href],[tabindex='0']"),
      function (node) {
        return !node.disabled && node.getAttribute("tabindex") !== "-1" && node.offsetParent !== null;
      }
    );
    if (!focusable.length) return;
    var first = focusable[0];
    var last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function showResults() {
    if (!ui) return;
    ui.answer.classList.add(P + "hidden");
    ui.list.classList.remove(P + "hidden");
    state.entry = null;
    renderResults();
  }

  function reportMissing() {
    var query = state.query;
    if (!query || state.reported || state.reporting) return;
    state.reporting = true;
    sendFeedback({ query: query, kind: "missing-answer", lang: apiLang || null })
      .then(function () {
        state.reported = query === state.query;
        renderResults();
      })
      .catch(function (error) {
        setStatus(error && error.status ? error.message : t("Something went wrong. Please try again."));
      })
      .then(function () {
        state.reporting = false;
      });
  }

  // ------------------------------------------------------------------------------- an answer

  function voteButtons(entryId, getQuery) {
    var box = el("div", { class: P + "actions", role: "group", "aria-label": t("Was this helpful?") });
    box.appendChild(el("span", null, t("Was this helpful?")));
    var up = el("button", { type: "button", class: P + "vote", "aria-pressed": "false", "data-vote": "up" });
    up.appendChild(icon("up"));
    up.appendChild(document.createTextNode(t("Helpful")));
    var down = el("button", { type: "button", class: P + "vote", "aria-pressed": "false", "data-vote": "down" });
    down.appendChild(icon("down"));
    down.appendChild(document.createTextNode(t("Not helpful")));
    var note = el("span", { class: P + "note", role: "status", "aria-live": "polite" });
    var busy = false;
    function vote(helpful) {
      // aria-disabled rather than disabled: the focus stays on the button
      if (busy || up.getAttribute("aria-disabled") === "true") return;
      busy = true;
      sendFeedback({ query: getQuery(), entry_id: entryId, helpful: helpful, kind: "vote", lang: apiLang || null })
        .then(function () {
          (helpful ? up : down).setAttribute("aria-pressed", "true");
          up.setAttribute("aria-disabled", "true");
          down.setAttribute("aria-disabled", "true");
          note.textContent = t("Thanks for your feedback!");
        })
        .catch(function (error) {
          note.textContent = error && error.status ? error.message : t("Something went wrong. Please try again.");
        })
        .then(function () {
          busy = false;
        });
    }
    up.addEventListener("click", function () { vote(true); });
    down.addEventListener("click", function () { vote(false); });
    box.appendChild(up);
    box.appendChild(down);
    box.appendChild(note);
    return box;
  }

  function openEntry(hit) {
    var id = String(hit.id || "");
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) return;
    var seq = ++state.seq;
    setStatus(t("Searching…"));
    api("/entries/" + encodeURIComponent(id) + (apiLang ? "?lang=" + encodeURIComponent(apiLang) : ""))
      .then(function (entry) {
        if (seq !== state.seq) return;
        renderEntry(entry, hit);
      })
      .catch(function (error) {
        if (seq !== state.seq) return;
        setStatus(error && error.status ? error.message : t("The FAQ service cannot be reached."));
      });
  }

  function renderEntry(entry, hit) {
    state.entry = entry;
    var answer = ui.answer;
    clear(answer);
    answer.setAttribute("data-id", String(entry.id || ""));
    if (entry.lang) answer.setAttribute("lang", String(entry.lang));
    var back = el("button", { type: "button", class: P + "link-button" }, "\u2190 " + t("Back to the results"));
    back.addEventListener("click", function () {
      showResults();
      ui.input.focus();
    });
    answer.appendChild(back);
    var heading = el("h3", { id: P + "answer-title", tabindex: "-1" }, entry.title);
    answer.appendChild(heading);
    if (entry.fallback) answer.appendChild(el("p", { class: P + "note" }, t("Shown in its original language: no translation yet.")));
    var content = el("div", { class: P + "answer-body" });
    var href = pageUrl(entry.url || hit.url);
    content.appendChild(safeFragment(entry.html, href));
    answer.appendChild(content);
    var actions = voteButtons(String(entry.id), function () {
      return state.query;
    });
    if (href) {
      var link = el("a", { href: href, class: P + "link-button" }, t("Open the page") + " \u2192");
      actions.insertBefore(link, actions.firstChild);
    }
    answer.appendChild(actions);
    ui.list.classList.add(P + "hidden");
    ui.missing.classList.add(P + "hidden");
    answer.classList.remove(P + "hidden");
    setStatus("");
    heading.focus();
  }

  // ------------------------------------------------------------------------------ mounting

  function typing(target) {
    if (!target || target === document.body) return false;
    var tag = (target.tagName || "").toUpperCase();
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function onGlobalKey(event) {
    if (isOpen()) {
      if (event.key === "Escape") onEscape(event); // wherever the focus is
      return;
    }
    var key = event.key;
    var shortcut =
      ((event.ctrlKey || event.metaKey) && !event.altKey && (key === "k" || key === "K")) ||
      (!event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target) &&
        (key === "/" || (replaceSelector && (key === "s" || key === "f"))));
    if (!shortcut) return;
    event.preventDefault();
    event.stopImmediatePropagation(); // before the theme's own search shortcuts
    openDialog();
  }

  function makeButton(floating) {
    var button = el("button", {
      type: "button",
      class: P + "button" + (floating ? " " + P + "floating" : ""),
      "aria-haspopup": "dialog",
      "aria-keyshortcuts": "/ Control+K Meta+K",
      title: t("Search the FAQ"),
    });
    button.appendChild(icon("search"));
    button.appendChild(el("span", { class: P + "label" }, t("Ask a question")));
    button.appendChild(el("kbd", { "aria-hidden": "true" }, "/"));
    button.addEventListener("click", openDialog);
    return button;
  }

  function mountPageFeedback() {
    var boxes = document.querySelectorAll(".faq-page-feedback[data-faq-entry]");
    Array.prototype.forEach.call(boxes, function (box) {
      var id = box.getAttribute("data-faq-entry") || "";
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) || box.firstChild) return;
      box.appendChild(voteButtons(id, function () {
        return "";
      }));
    });
  }

  function mount() {
    injectStyle();
    window.addEventListener("keydown", onGlobalKey, true);
    var replaced = replaceSelector ? document.querySelectorAll(replaceSelector) : [];
    if (replaced.length) {
      var button = makeButton(false);
      replaced[0].parentNode.insertBefore(button, replaced[0]);
      Array.prototype.forEach.call(replaced, function (node) {
        node.classList.add(P + "hidden");
      });
    } else {
      document.body.appendChild(makeButton(true));
    }
    mountPageFeedback();
    document.documentElement.setAttribute("data-faq-widget", "ready");
  }

  function loadStrings() {
    if (!lang || lang === "en") return Promise.resolve();
    var url = new URL("faq-widget-i18n/" + encodeURIComponent(lang) + ".json", scriptUrl).href;
    return fetch(url)
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .then(function (data) {
        if (data && typeof data === "object") strings = data;
      })
      .catch(function () {});
  }

  function start() {
    var ready = loadStrings();
    if (!replaceSelector) {
      ready.then(mount);
      return;
    }
    // on a site with its own search: take over only when the API answers
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timeout = setTimeout(function () {
      if (controller) controller.abort();
    }, 4000);
    Promise.all([ready, api("/health", controller ? { signal: controller.signal } : {})])
      .then(function () {
        clearTimeout(timeout);
        mount();
      })
      .catch(function () {
        clearTimeout(timeout);
        document.documentElement.setAttribute("data-faq-widget", "fallback");
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
