// Search as you type: a short list of matching listings under the query box.
// Progressive enhancement only: without JavaScript the form submits as usual.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("live-results");
  if (!input || !list) { return; }
  var timer = null;
  var latest = 0;

  function clear() { list.replaceChildren(); list.hidden = true; }

  function show(results, ticket) {
    if (ticket !== latest) { return; }  // an older answer arriving late
    clear();
    results.forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "/tin/" + r.id;
      link.textContent = r.title;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = r.kind === "offer" ? input.dataset.offerLabel : input.dataset.needLabel;
      item.append(kind, " ", link);
      list.append(item);
    });
    list.hidden = results.length === 0;
  }

  function lookup() {
    var q = input.value.trim();
    if (q.length < 2) { clear(); return; }
    var ticket = ++latest;
    var url = "/api/listings?typing=1&per_page=6&q=" + encodeURIComponent(q);
    fetch(url, { headers: { "Accept": "application/json" } })
      .then(function (res) { return res.ok ? res.json() : { results: [] }; })
      .then(function (body) { show(body.results || [], ticket); })
      .catch(function () { clear(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 250);
  });
  input.addEventListener("keydown", function (e) { if (e.key === "Escape") { clear(); } });
}());
