// The adjudication queue: decide the highlighted claim with a digit, move with j/k, undo with
// u. A decided claim leaves the queue and the next one is highlighted, so a curator can work
// through it with the keyboard alone. Keys act only while a claim of the queue has the focus:
// a digit typed in a filter, a select or a button never decides anything.

const list = document.getElementById("review-queue");
const statusEl = document.getElementById("review-status");
const totalEl = document.getElementById("review-total");
const undoEl = document.getElementById("review-undo");
const UNDO_SECONDS = 10;
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

if (list) {
  const LABELS = JSON.parse(list.dataset.labels);
  let current = 0;
  let busy = false;

  const items = () => [...list.querySelectorAll(".review-item:not(.decided)")];
  let last = null; // the last decision, while it can be undone: { item, label, timer }

  function count(delta) {
    if (totalEl) totalEl.textContent = String(Math.max(0, Number(totalEl.textContent) + delta));
  }

  function offerUndo(item, label) {
    if (last) clearTimeout(last.timer);
    last = { item, label, timer: setTimeout(() => { last = null; undoEl.hidden = true; }, UNDO_SECONDS * 1000) };
    undoEl.hidden = false;
  }

  async function undo() {
    if (!last || busy) return;
    const { item, label, timer } = last;
    clearTimeout(timer);
    last = null;
    undoEl.hidden = true;
    busy = true;
    try {
      const response = await fetch(`/api/v1/claims/${item.dataset.claimId}/adjudication`, {
        method: "DELETE",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
      });
      if (!response.ok) {
        const data = await response.json().catch(() => null);
        throw new Error(data?.message || `${response.status} ${response.statusText}`);
      }
      item.classList.remove("decided");
      item.hidden = false;
      count(+1);
      statusEl.textContent = `Undone: the decision ${label} is cleared; the claim is back in the queue.`;
      highlight(items().indexOf(item));
    } catch (err) {
      statusEl.textContent = `Not undone: ${err.message}. The decision ${label} stands; clear it on the claim's article page.`;
    } finally {
      busy = false;
    }
  }

  function highlight(index) {
    const all = items();
    if (all.length === 0) {
      statusEl.textContent = "Queue done: nothing left to decide here. Reload for more.";
      if (!undoEl.hidden) document.getElementById("review-undo-button").focus();
      return;
    }
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((item, i) => item.classList.toggle("current", i === current));
    all[current].focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  async function decide(item, label) {
    if (busy) return;
    busy = true;
    const error = item.querySelector(".error");
    error.hidden = true;
    const note = item.querySelector("textarea").value.trim();
    try {
      const response = await fetch(`/api/v1/claims/${item.dataset.claimId}/adjudication`, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify({ label, note: note || null }),
      });
      const data = await response.json().catch(() => null);
      if (!response.ok) throw new Error(data?.message || `${response.status} ${response.statusText}`);
      const index = items().indexOf(item);
      item.classList.add("decided");
      item.classList.remove("current");
      item.hidden = true;
      count(-1);
      statusEl.textContent = `Decided: ${label}. ${items().length} left on this page. Undo with u or the button, for ${UNDO_SECONDS} seconds.`;
      offerUndo(item, label);
      highlight(index);
    } catch (err) {
      // The note stays where it was typed; nothing is lost.
      error.textContent = `Not saved: ${err.message === "Failed to fetch" ? "could not reach the server; try again" : err.message}`;
      error.hidden = false;
    } finally {
      busy = false;
    }
  }

  list.addEventListener("click", (event) => {
    const button = event.target.closest(".label-button");
    if (!button) return;
    const item = button.closest(".review-item");
    highlight(items().indexOf(item));
    decide(item, button.dataset.label);
  });
  list.addEventListener("focusin", (event) => {
    const item = event.target.closest(".review-item");
    const index = items().indexOf(item);
    if (index >= 0 && index !== current) {
      current = index;
      items().forEach((x, i) => x.classList.toggle("current", i === current));
    }
  });

  document.getElementById("review-undo-button").addEventListener("click", undo);

  list.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey) return;
    const all = items();
    if (all.length === 0 && event.key !== "u") return;
    const inNote = event.target instanceof HTMLTextAreaElement;
    // Keys act on the claim that has the focus itself, or (Alt+digit, Esc) from its note;
    // never from a button, a link or any other control.
    const onItem = event.target instanceof HTMLElement && event.target.classList.contains("review-item");
    if (inNote && event.key === "Escape") { all[current].focus(); return; }
    const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
    if (match && (onItem || (inNote && event.altKey))) {
      const index = Number(match[1]) - 1;
      if (index < LABELS.length) { event.preventDefault(); decide(all[current], LABELS[index]); }
      return;
    }
    if (!onItem) return;
    if (event.key === "j") { event.preventDefault(); highlight(current + 1); }
    else if (event.key === "k") { event.preventDefault(); highlight(current - 1); }
    else if (event.key === "e") { event.preventDefault(); all[current].querySelector("textarea").focus(); }
    else if (event.key === "u") { event.preventDefault(); undo(); }
  });

  highlight(0);
}
