// summarize review: ties evidence in the article text to the brief's fields, and sends the
// reviewer's changes as JSON with the session token. No library, no external request.
"use strict";

(function () {
  const token = document.querySelector('meta[name="review-token"]').content;
  const bar = document.getElementById("review");
  if (!bar) return; // the index needs no script
  const article = bar.dataset.article;
  const version = Number(bar.dataset.version);
  const text = document.getElementById("text");
  const message = document.getElementById("message");

  function say(msg, bad) {
    message.textContent = msg;
    message.classList.toggle("bad", Boolean(bad));
  }

  function errorAt(paths, msg) {
    const spot = paths
      .filter(Boolean)
      .map((p) => document.querySelector('.err[data-for="' + CSS.escape(p) + '"]'))
      .find(Boolean);
    if (spot) {
      spot.textContent = msg;
      spot.scrollIntoView({ block: "nearest" });
    }
    say(msg, true);
  }

  async function send(what, body, errorPath) {
    body.version = version;
    let response;
    try {
      response = await fetch("/api/article/" + encodeURIComponent(article) + "/" + what, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Review-Token": token },
        body: JSON.stringify(body),
      });
    } catch (e) {
      say("not saved: the review server does not answer (" + e + ")", true);
      return null;
    }
    const data = await response.json().catch(() => ({ error: "HTTP " + response.status }));
    if (!response.ok) {
      errorAt([data.path, errorPath], data.error || "HTTP " + response.status);
      return null;
    }
    return data;
  }

  async function change(body, errorPath) {
    document.querySelectorAll(".err").forEach((e) => (e.textContent = ""));
    const done = await send("change", body, errorPath || body.path);
    if (done) location.reload();
  }

  // --- evidence <-> fields --------------------------------------------------------------
  function clear() {
    document.querySelectorAll(".on").forEach((e) => e.classList.remove("on"));
  }

  function light(ids) {
    clear();
    if (!ids.length) return;
    const wanted = new Set(ids);
    let first = null;
    document.querySelectorAll("#text [data-ev]").forEach((seg) => {
      if (seg.dataset.ev.split(" ").some((id) => wanted.has(id))) {
        seg.classList.add("on");
        first = first || seg;
      }
    });
    document.querySelectorAll(".item[data-ev], .quote[data-ev]").forEach((el) => {
      if (el.dataset.ev.split(" ").some((id) => wanted.has(id))) el.classList.add("on");
    });
    return first;
  }

  document.querySelectorAll(".item[data-ev]").forEach((item) => {
    item.addEventListener("click", (event) => {
      if (event.target.closest("input, textarea, select, button")) return;
      const ids = item.dataset.ev.split(" ").filter(Boolean);
      const first = light(ids);
      if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
    });
  });

  if (text) {
    text.addEventListener("click", (event) => {
      const seg = event.target.closest("[data-ev]");
      if (!seg || String(window.getSelection())) return;
      light(seg.dataset.ev.split(" "));
      const item = document.querySelector(".item.on");
      if (item) item.scrollIntoView({ block: "center", behavior: "smooth" });
    });
  }

  let current = -1;
  function step(by) {
    const all = Array.from(document.querySelectorAll(".quote[data-ev]"));
    if (!all.length) return;
    current = (current + by + all.length) % all.length;
    const first = light([all[current].dataset.ev]);
    all[current].closest(".item").scrollIntoView({ block: "center" });
    if (first) first.scrollIntoView({ block: "center" });
  }

  // --- field edits ----------------------------------------------------------------------
  function valueOf(input) {
    if (input.dataset.list) {
      return input.value.split(",").map((v) => v.trim()).filter(Boolean);
    }
    return input.value;
  }

  document.querySelectorAll("[data-path]").forEach((input) => {
    input.addEventListener("change", () =>
      change({ op: "set", path: input.dataset.path, value: valueOf(input) }),
    );
  });

  document.querySelectorAll("[data-delete]").forEach((button) => {
    button.addEventListener("click", () => change({ op: "delete", path: button.dataset.delete }));
  });

  document.querySelectorAll("[data-add-topic]").forEach((input) => {
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      change({ op: "add", path: input.dataset.addTopic, value: input.value });
    });
  });

  const newEvent = document.getElementById("add-event-form");
  if (newEvent) {
    newEvent.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = {};
      newEvent.querySelectorAll("[data-field]").forEach((f) => (value[f.dataset.field] = f.value));
      change({ op: "add", path: "events", value: value });
    });
  }

  // --- add an item from selected text ---------------------------------------------------
  const add = document.getElementById("add");
  const kind = document.getElementById("add-kind");
  let span = null;

  // Offsets are the server's: code points into the article text, not UTF-16 units.
  function offset(node, within) {
    const seg = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    const piece = seg && seg.closest("#text [data-s]");
    if (!piece) return null;
    const before = node.nodeType === Node.TEXT_NODE ? node.data.slice(0, within) : "";
    return Number(piece.dataset.s) + Array.from(before).length;
  }

  function showKind() {
    add.querySelectorAll(".kindfields").forEach((d) => (d.hidden = d.dataset.kind !== kind.value));
  }

  if (text && add) {
    kind.addEventListener("change", showKind);
    text.addEventListener("mouseup", () => {
      const selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return;
      const range = selection.getRangeAt(0);
      if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return;
      const start = offset(range.startContainer, range.startOffset);
      const end = offset(range.endContainer, range.endOffset);
      if (start === null || end === null || start === end) return;
      span = [Math.min(start, end), Math.max(start, end)];
      const chosen = String(selection).trim();
      document.getElementById("selected").textContent = chosen;
      add.querySelectorAll("[data-fill]").forEach((f) => (f.value = chosen));
      add.hidden = false;
      showKind();
    });
    add.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!span) return;
      const at = "events[" + document.getElementById("add-event").value + "]";
      const fields = add.querySelector('.kindfields[data-kind="' + kind.value + '"]');
      const value = {};
      fields.querySelectorAll("[data-field]").forEach((f) => (value[f.dataset.field] = valueOf(f)));
      const body = { op: "add", path: at + "." + kind.value, span: span, value: value };
      if (kind.value === "topics") body.value = value.topic;
      change(body, "add");
    });
    document.getElementById("add-cancel").addEventListener("click", () => {
      add.hidden = true;
      span = null;
    });
  }

  // --- reviewed mark and keys -----------------------------------------------------------
  const mark = document.getElementById("mark");
  async function markReviewed(goNext) {
    const reviewed = mark.dataset.reviewed === "true";
    const done = await send("reviewed", { reviewed: reviewed }, null);
    if (!done) return;
    if (goNext && reviewed && bar.dataset.next) {
      location.href = "/article/" + encodeURIComponent(bar.dataset.next);
    } else {
      location.reload();
    }
  }
  if (mark) mark.addEventListener("click", () => markReviewed(false));

  const undo = document.getElementById("undo");
  async function undoLast() {
    if (await send("undo", {}, null)) location.reload();
  }
  if (undo) undo.addEventListener("click", undoLast);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select")) return;
    const go = (id) => id && (location.href = "/article/" + encodeURIComponent(id));
    if (event.key === "r" && mark) markReviewed(true);
    else if (event.key === "u" && undo) undoLast();
    else if (event.key === "j") step(1);
    else if (event.key === "k") step(-1);
    else if (event.key === "n") go(bar.dataset.nextArticle);
    else if (event.key === "p") go(bar.dataset.prevArticle);
    else if (event.key === "Escape") {
      clear();
      if (add) add.hidden = true;
    } else return;
    event.preventDefault();
  });
})();
