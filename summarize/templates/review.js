// summarize review: ties evidence in the article text to the brief's fields, sends the
// reviewer's changes as JSON with the session token, and gives every action a key (the help
// overlay, "?", lists them). No library, no external request.
"use strict";

(function () {
  const token = document.querySelector('meta[name="review-token"]').content;
  const root = document.documentElement;
  let help = null;
  // One listener for the page's life; each view (index, article) sets what keys do.
  let onKey = null;
  document.addEventListener("keydown", (event) => onKey && onKey(event));
  // The address changes with the view; going back shows the page for it.
  window.addEventListener("popstate", () => location.reload());

  function typing(target) {
    return Boolean(target.closest && target.closest("input, textarea, select"));
  }

  function toggleHelp(show) {
    if (!help) return;
    help.hidden = show === undefined ? !help.hidden : !show;
  }

  // Every action saves, then shows the page as the server now renders it. Only <main> is
  // replaced (no new navigation, no script or sheet loaded again): that is most of the
  // time an action takes. `push` for a new address (another article, the index).
  async function show(url, said, push) {
    let response;
    try {
      response = await fetch(url, { headers: { accept: "text/html" } });
    } catch (e) {
      location.href = url;
      return;
    }
    if (!response.ok) {
      location.href = url;
      return;
    }
    if (!shown(await response.text(), said)) {
      location.href = url;
      return;
    }
    if (push) {
      history.pushState(null, "", response.url);
      window.scrollTo(0, 0);
    }
  }

  // Shows a page's <main> in place of this one's; false if `html` has none.
  function shown(html, said) {
    const page = new DOMParser().parseFromString(html, "text/html");
    const main = page.querySelector("main");
    if (!main) return false;
    document.querySelector("main").replaceWith(document.adoptNode(main));
    document.title = page.title;
    if (said) sessionStorage.setItem("review-flash", said);
    setUp();
    return true;
  }

  function setUp() {
    help = document.getElementById("help");
    document.querySelectorAll("[data-help]").forEach((b) => b.addEventListener("click", () => toggleHelp()));
    // A message said before the page was shown again (what a save did, kept or withdrawn).
    const flashed = sessionStorage.getItem("review-flash");
    sessionStorage.removeItem("review-flash");
    const index = document.getElementById("index");
    const bar = document.getElementById("review");
    onKey = index ? indexKeys(index) : bar ? articlePage(bar, flashed) : null;
    // Counts the views shown: tests and the benchmark wait on it, not on a clock.
    root.dataset.shown = String(Number(root.dataset.shown || 0) + 1);
  }

  setUp();

  // --- index ----------------------------------------------------------------------------
  function indexKeys(root) {
    const rows = Array.from(root.querySelectorAll("tr.row"));
    let at = Number(sessionStorage.getItem("review-row:" + location.search) || 0);
    at = Math.min(Math.max(at, 0), Math.max(rows.length - 1, 0));
    function focusRow(n) {
      if (!rows.length) return;
      at = (n + rows.length) % rows.length;
      rows.forEach((r) => r.classList.remove("focus"));
      rows[at].classList.add("focus");
      rows[at].focus({ preventScroll: true });
      rows[at].scrollIntoView({ block: "nearest" });
      sessionStorage.setItem("review-row:" + location.search, String(at));
    }
    focusRow(at);
    const cycle = (attr, list, by) => {
      const now = root.dataset[attr];
      const i = list.indexOf(now);
      return list[(i + by + list.length) % list.length];
    };
    const filters = Array.from(root.querySelectorAll("[data-filter]")).map((a) => a.dataset.filter);
    const sorts = [...new Set(Array.from(root.querySelectorAll("[data-sort]")).map((a) => a.dataset.sort))];
    const go = (filter, sort) =>
      show("/?show=" + encodeURIComponent(filter) + "&sort=" + encodeURIComponent(sort), null, true);
    return (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const key = event.key;
      if (key === "?") toggleHelp();
      else if (key === "Escape") toggleHelp(false);
      else if (key === "j" || key === "ArrowDown") focusRow(at + 1);
      else if (key === "k" || key === "ArrowUp") focusRow(at - 1);
      else if ((key === "Enter" || key === "o") && rows[at]) {
        const link = rows[at].querySelector("a.open");
        if (link) show(link.href, null, true);
      } else if (key === "w") show("/next", null, true);
      else if (key === "f") go(cycle("show", filters, 1), root.dataset.sort);
      else if (key === "F") go(cycle("show", filters, -1), root.dataset.sort);
      else if (key === "s") go(root.dataset.show, cycle("sort", sorts, 1));
      else if (key === "S") {
        const sort = root.dataset.sort;
        go(root.dataset.show, sort.startsWith("-") ? sort.slice(1) : "-" + sort);
      } else return;
      event.preventDefault();
    };
  }

  // --- article page ---------------------------------------------------------------------
  function articlePage(bar, flashed) {
    const article = bar.dataset.article;
    const version = Number(bar.dataset.version);
    const base = bar.dataset.base;
    const wasReviewed = bar.dataset.reviewed === "true";
    const text = document.getElementById("text");
    const message = document.getElementById("message");
    const focusKey = "review-focus:" + article;

    function say(msg, bad) {
      message.textContent = msg;
      message.classList.toggle("bad", Boolean(bad));
    }
    if (flashed) say(flashed, false);

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
      body.base = base;
      // The answer brings the page as it now stands, unless another page is shown next.
      if (body.page === undefined) body.page = true;
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
        const more = data.remade || data.conflict ? " (press F5 to reload)" : "";
        errorAt([data.path, errorPath], (data.error || "HTTP " + response.status) + more);
        if (data.remade) document.body.classList.add("remade");
        return null;
      }
      return data;
    }

    function reviewedNote(data) {
      if (data.reviewed_kept) {
        return " The brief stays marked reviewed" +
          (bar.dataset.reviewedBy ? " by " + bar.dataset.reviewedBy : "") +
          " (kept); press r to withdraw the mark.";
      }
      if (data.reviewed_withdrawn) return " The reviewed mark was withdrawn; press r to mark it again.";
      return "";
    }

    async function change(body, errorPath, done) {
      document.querySelectorAll(".err").forEach((e) => (e.textContent = ""));
      // A brief already reviewed stays reviewed through an edit, and the page says so.
      body.keep_reviewed = wasReviewed;
      const data = await send("change", body, errorPath || body.path);
      if (!data) return;
      const said = (done || "Saved.") + reviewedNote(data);
      if (!(data.page && shown(data.page, said))) show(location.href, said, false);
    }

    // --- evidence <-> items ---------------------------------------------------------------
    function clear() {
      document.querySelectorAll(".on").forEach((e) => e.classList.remove("on"));
    }

    function light(ids) {
      clear();
      if (!ids.length) return null;
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

    const items = Array.from(document.querySelectorAll("#brief [data-item]"));
    let focused = null;
    function focusItem(item, scroll) {
      if (!item) return;
      items.forEach((i) => i.classList.remove("focus"));
      focused = item;
      item.classList.add("focus");
      sessionStorage.setItem(focusKey, item.dataset.item);
      const ids = (item.dataset.ev || "").split(" ").filter(Boolean);
      const first = light(ids);
      item.classList.add("on");
      if (scroll !== false) {
        item.scrollIntoView({ block: "nearest" });
        if (first) first.scrollIntoView({ block: "nearest" });
      }
    }
    function stepItem(by) {
      if (!items.length) return;
      const at = focused ? items.indexOf(focused) : -1;
      focusItem(items[(at + by + items.length) % items.length]);
    }
    // After a reload the same place keeps the focus (after a delete: the item that moved up).
    const kept = sessionStorage.getItem(focusKey);
    if (kept) {
      const again =
        items.find((i) => i.dataset.item === kept) ||
        items.filter((i) => i.dataset.item < kept).pop() ||
        items[0];
      focusItem(again, true);
    }

    items.forEach((item) => {
      item.addEventListener("click", (event) => {
        if (event.target.closest("input, textarea, select, button")) return;
        focusItem(item);
      });
    });

    if (text) {
      text.addEventListener("click", (event) => {
        const seg = event.target.closest("[data-ev]");
        if (!seg || String(window.getSelection())) return;
        light(seg.dataset.ev.split(" "));
        const item = document.querySelector(".item.on");
        if (item) focusItem(item);
      });
    }

    // --- field edits ----------------------------------------------------------------------
    function valueOf(input) {
      if (input.dataset.list) {
        return input.value.split(",").map((v) => v.trim()).filter(Boolean);
      }
      return input.value;
    }

    document.querySelectorAll("#brief [data-path]").forEach((input) => {
      input.addEventListener("change", () =>
        change({ op: "set", path: input.dataset.path, value: valueOf(input) }),
      );
      input.addEventListener("keydown", (event) => {
        if (event.key !== "Escape") return;
        event.preventDefault();
        const owner = input.closest("[data-item]");
        input.blur();
        if (owner) focusItem(owner, false);
      });
    });

    function reject(path) {
      change({ op: "delete", path: path }, path, "Deleted " + path + ". Press u to undo.");
    }
    function accept(path, on) {
      change({ op: "check", path: path, value: on }, path, (on ? "Accepted " : "Took back ") + path + ". Press u to undo.");
    }
    document.querySelectorAll("[data-delete]").forEach((b) =>
      b.addEventListener("click", () => reject(b.dataset.delete)),
    );
    document.querySelectorAll("[data-accept]").forEach((b) =>
      b.addEventListener("click", () => accept(b.dataset.accept, b.dataset.checked !== "true")),
    );

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

    // --- the selection ------------------------------------------------------------------
    const add = document.getElementById("add");
    const kind = document.getElementById("add-kind");
    const eventChoice = document.getElementById("add-event");
    let span = null;

    // Offsets are the server's: code points into the article text, not UTF-16 units.
    function offset(node, within) {
      const seg = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
      const piece = seg && seg.closest("#text [data-s]");
      if (!piece) return null;
      const before = node.nodeType === Node.TEXT_NODE ? node.data.slice(0, within) : "";
      return Number(piece.dataset.s) + Array.from(before).length;
    }

    // The article characters selected now, or null.
    function selection() {
      const sel = window.getSelection();
      if (!text || !sel.rangeCount || sel.isCollapsed) return null;
      const range = sel.getRangeAt(0);
      if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
      const start = offset(range.startContainer, range.startOffset);
      const end = offset(range.endContainer, range.endOffset);
      if (start === null || end === null || start === end) return null;
      return { span: [Math.min(start, end), Math.max(start, end)], text: String(sel).trim() };
    }

    function showKind() {
      add.querySelectorAll(".kindfields").forEach((d) => (d.hidden = d.dataset.kind !== kind.value));
    }

    function openAdd(chosen, as) {
      span = chosen.span;
      document.getElementById("selected").textContent = chosen.text;
      add.querySelectorAll("[data-fill]").forEach((f) => (f.value = chosen.text));
      if (as) kind.value = as;
      // To the event of the focused item, else the first.
      const ev = focused && /^events\[(\d+)\]/.exec(focused.dataset.item);
      if (ev && eventChoice) eventChoice.value = ev[1];
      add.hidden = false;
      showKind();
    }

    function submitAdd() {
      if (!span) return;
      const at = "events[" + eventChoice.value + "]";
      const fields = add.querySelector('.kindfields[data-kind="' + kind.value + '"]');
      const value = {};
      fields.querySelectorAll("[data-field]").forEach((f) => (value[f.dataset.field] = valueOf(f)));
      const body = { op: "add", path: at + "." + kind.value, span: span, value: value };
      if (kind.value === "topics") body.value = value.topic;
      const n = fields.closest("form") ? kind.options[kind.selectedIndex].text : kind.value;
      change(body, "add", "Added the selection as " + n + ". Press u to undo.");
    }

    // One key adds the selection: at once when nothing else is needed, else the form opens
    // on the first field left to fill (an outcome's "stated by"), Enter saves.
    function addSelection(as) {
      const chosen = selection();
      if (!chosen) {
        say("Select the article text that states it first, then press the key.", true);
        return;
      }
      if (!add) return;
      openAdd(chosen, as);
      const fields = add.querySelector('.kindfields[data-kind="' + as + '"]');
      const empty = Array.from(fields.querySelectorAll("input[data-field], textarea[data-field]"))
        .find((f) => f.dataset.needed && !f.value.trim());
      if (empty) {
        empty.focus();
        say("Fill in " + (empty.dataset.label || "the field") + ", then press Enter to add.", false);
      } else submitAdd();
    }

    function repoint() {
      const chosen = selection();
      if (!focused || !focused.dataset.evidenced) {
        say("Move to a participant, outcome, follow-up or initiator first (j / k).", true);
        return;
      }
      if (!chosen) {
        say("Select the article text that states it, then press e.", true);
        return;
      }
      const path = focused.dataset.item;
      change({ op: "point", path: path, span: chosen.span }, path, "Evidence of " + path + " re-pointed. Press u to undo.");
    }

    if (text && add) {
      kind.addEventListener("change", showKind);
      text.addEventListener("mouseup", () => {
        const chosen = selection();
        if (chosen) openAdd(chosen, null);
      });
      add.addEventListener("submit", (event) => {
        event.preventDefault();
        submitAdd();
      });
      add.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && event.target.tagName !== "TEXTAREA") {
          event.preventDefault();
          submitAdd();
        } else if (event.key === "Enter" && event.target.tagName === "TEXTAREA" && !event.shiftKey) {
          event.preventDefault();
          submitAdd();
        }
      });
      document.getElementById("add-cancel").addEventListener("click", () => {
        add.hidden = true;
        span = null;
      });
    }
    document.querySelectorAll("[data-point]").forEach((b) =>
      b.addEventListener("mousedown", (event) => {
        // Keep the selection: the button reads it.
        event.preventDefault();
        focusItem(b.closest("[data-item]"), false);
        repoint();
      }),
    );

    // --- reviewed mark, undo, navigation --------------------------------------------------
    const mark = document.getElementById("mark");
    async function markReviewed(goNext) {
      const reviewed = mark.dataset.reviewed === "true";
      const next = goNext && reviewed;
      const done = await send("reviewed", { reviewed: reviewed, page: !next }, null);
      if (!done) return;
      if (next) {
        show("/next?after=" + encodeURIComponent(article), "Marked reviewed: " + article + ".", true);
      } else {
        const said = reviewed ? "Marked reviewed." : "Reviewed mark withdrawn.";
        if (!(done.page && shown(done.page, said))) show(location.href, said, false);
      }
    }
    if (mark) mark.addEventListener("click", () => markReviewed(false));

    const undo = document.getElementById("undo");
    async function undoLast() {
      const data = await send("undo", { keep_reviewed: wasReviewed }, null);
      if (!data) return;
      const said = "Undone." + reviewedNote(data);
      if (!(data.page && shown(data.page, said))) show(location.href, said, false);
    }
    if (undo) undo.addEventListener("click", undoLast);

    return (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target)) return;
      const go = (id) => id && show("/article/" + encodeURIComponent(id), null, true);
      const key = event.key;
      const path = focused && focused.dataset.item;
      const locked = document.getElementById("brief") && document.getElementById("brief").disabled;
      if (key === "?") toggleHelp();
      else if (key === "Escape") {
        toggleHelp(false);
        clear();
        if (add) add.hidden = true;
      } else if (key === "j") stepItem(1);
      else if (key === "k") stepItem(-1);
      else if (key === "n") go(bar.dataset.nextArticle);
      else if (key === "p") go(bar.dataset.prevArticle);
      else if (key === "w") show("/next?after=" + encodeURIComponent(article), null, true);
      else if (key === "i") show("/", null, true);
      else if (locked) return;
      else if (key === "r" && mark) markReviewed(true);
      else if (key === "u" && undo) undoLast();
      else if (key === "a" && path && focused.dataset.evidenced) {
        accept(path, !focused.classList.contains("checked"));
      } else if (key === "x" && path) reject(path);
      else if (key === "e") repoint();
      else if (key === "1") addSelection("participants");
      else if (key === "2") addSelection("outcomes");
      else if (key === "3") addSelection("follow_ups");
      else if (key === "4") addSelection("initiator");
      else if (key === "5") addSelection("topics");
      else if (key === "Enter" && focused) {
        const first = focused.querySelector("input, textarea, select");
        if (!first) return;
        first.focus();
      } else return;
      event.preventDefault();
    };
  }
})();
