// Search for the exported decision log: no server, no framework. It loads
// search-index.json once, then filters and ranks as /decide search does:
// every word must start a word of the title, decision, rationale or
// impact (diacritics and case folded, stop words left out unless that
// leaves nothing); title matches rank first, then the newest.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script.getAttribute("data-root");
  var form = document.querySelector("form.filters");
  var hits = document.getElementById("hits");
  var count = document.getElementById("results-title");
  var fields = ["q", "channel", "area", "status", "owner", "from", "to"];
  var stop = {};
  ("i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself " +
   "it its itself they them their theirs themselves what which who whom this that these those am is are was were be " +
   "been being have has had having do does did doing a an the and but if or because as until while of at by for with " +
   "about against between into through during before after above below to from up down in out on off over under again " +
   "further then once here there when where why how all any both each few more most other some such no nor not only " +
   "own same so than too very s t can will just don should now").split(" ").forEach(function (w) { stop[w] = true; });
  var index = null;

  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function words(s) {
    return fold(s).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function queryWords(q) {
    var ws = words(q), kept = ws.filter(function (w) { return !stop[w]; });
    return kept.length ? kept : ws;
  }
  function prefixHits(tokens, w) {
    var n = 0;
    for (var i = 0; i < tokens.length; i++) if (tokens[i].lastIndexOf(w, 0) === 0) n++;
    return n;
  }
  function params() {
    var p = new URLSearchParams(location.search), out = {};
    fields.forEach(function (f) { out[f] = (p.get(f) || "").trim(); });
    return out;
  }
  function fill(p) {
    fields.forEach(function (f) { if (form.elements[f]) form.elements[f].value = p[f]; });
  }
  function read() {
    var p = {};
    fields.forEach(function (f) { p[f] = form.elements[f] ? form.elements[f].value.trim() : ""; });
    return p;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function item(d) {
    var li = el("li", "decision"), art = el("article"), h = el("h3"), a = el("a");
    a.href = root + d.url;
    a.appendChild(el("span", "id", d.id));
    a.appendChild(document.createTextNode(" " + d.title));
    h.appendChild(a);
    art.appendChild(h);
    var meta = el("p", "meta");
    meta.appendChild(el("span", "status s-" + d.status, d.status));
    meta.appendChild(document.createTextNode(" · " + d.date + " · Owner " + d.owner_name + " · " + d.channel_name +
      (d.area ? " · Area " + d.area : "")));
    art.appendChild(meta);
    if (d.summary) art.appendChild(el("p", "summary", d.summary));
    li.appendChild(art);
    return li;
  }
  function run(p) {
    var ws = p.q ? queryWords(p.q) : [];
    var out = [];
    index.forEach(function (d) {
      if (p.channel && d.channel !== p.channel) return;
      if (p.area && d.area !== p.area) return;
      if (p.status && d.status !== p.status) return;
      if (p.owner && d.owner !== p.owner) return;
      if (p.from && d.date < p.from) return;
      if (p.to && d.date > p.to) return;
      var score = 0;
      if (ws.length) {
        d._t = d._t || words(d.title);
        d._b = d._b || words(d.body);
        for (var i = 0; i < ws.length; i++) {
          var t = prefixHits(d._t, ws[i]), b = prefixHits(d._b, ws[i]);
          if (!t && !b) return;
          score += 10 * t + b;
        }
      }
      out.push({ d: d, score: score });
    });
    out.sort(function (a, b) { return b.score - a.score || b.d.n - a.d.n; });
    hits.textContent = "";
    var shown = out.slice(0, 200);
    shown.forEach(function (r) { hits.appendChild(item(r.d)); });
    count.textContent = out.length + (out.length === 1 ? " decision" : " decisions") +
      (out.length > shown.length ? ", the first " + shown.length + " shown" : "");
  }
  function update() {
    var p = read(), qs = new URLSearchParams();
    fields.forEach(function (f) { if (p[f]) qs.set(f, p[f]); });
    history.replaceState(null, "", qs.toString() ? "?" + qs.toString() : location.pathname);
    run(p);
  }
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  count.textContent = "Loading the search index…";
  fetch(script.getAttribute("data-index"))
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (data) { index = data; var p = params(); fill(p); run(p); })
    .catch(function () { count.textContent = "The search index could not be loaded; browse the timeline instead."; });
})();
