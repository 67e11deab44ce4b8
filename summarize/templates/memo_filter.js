// The memo's filter box: shows the events that match a participant, a country, a type and a
// date range, in the timeline, the event list, divergent accounts and open follow-ups.
// Offline and self-contained; the page's content security policy admits this script by hash.
(function () {
  "use strict";
  var form = document.getElementById("event-filter");
  var data = document.getElementById("memo-filter-data");
  if (!form || !data) {
    return;
  }
  var records = JSON.parse(data.textContent);
  var status = document.getElementById("filter-status");
  var byAnchor = {};
  records.forEach(function (r) {
    r.parts = [];
    byAnchor[r.a] = r;
  });
  function add(anchor, element) {
    if (byAnchor[anchor]) {
      byAnchor[anchor].parts.push(element);
    }
  }
  // Rows and blocks belong to the event they link to (the timeline and follow-up tables) or
  // carry its anchor (the event sections and their divergent accounts).
  document.querySelectorAll("#timeline tbody tr, #open-follow-ups tbody tr").forEach(function (row) {
    var link = row.querySelector("a.evlink");
    if (link) {
      add(link.getAttribute("href").slice(1), row);
    }
  });
  records.forEach(function (r) {
    var section = document.getElementById(r.a);
    var divergent = document.getElementById("div-" + r.a);
    if (section) {
      r.parts.push(section);
    }
    if (divergent) {
      r.parts.push(divergent);
    }
  });
  function folded(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  function matches(r, q) {
    if (q.actor && !r.n.some(function (name) { return folded(name).indexOf(q.actor) !== -1; })) {
      return false;
    }
    if (q.country && r.c.indexOf(q.country) === -1) {
      return false;
    }
    if (q.type && r.t !== q.type) {
      return false;
    }
    if ((q.from || q.to) && !r.d) {
      return false;
    }
    return !(q.from && r.d < q.from) && !(q.to && r.d > q.to);
  }
  function apply() {
    var q = {
      actor: folded(form.elements.actor.value),
      country: form.elements.country.value,
      type: form.elements.type.value,
      from: form.elements.from.value,
      to: form.elements.to.value
    };
    var shown = 0;
    records.forEach(function (r) {
      var show = matches(r, q);
      shown += show ? 1 : 0;
      r.parts.forEach(function (el) {
        el.hidden = !show;
      });
    });
    var active = q.actor || q.country || q.type || q.from || q.to;
    document.body.classList.toggle("filtered", Boolean(active));
    status.textContent = active
      ? "Showing " + shown + " of " + records.length + " events."
      : "Showing all " + records.length + " events.";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  form.hidden = false;
})();
