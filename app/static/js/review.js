// The adjudication queue: decide the highlighted claim with a digit, move with j/k.
// A decided claim leaves the queue and the next one is highlighted, so a curator can work
// through it with the keyboard alone.

const list = document.getElementById("review-queue");
const statusEl = document.getElementById("review-status");
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

if (list) {
  const LABELS = JSON.parse(list.dataset.labels);
  let current = 0;
  let busy = false;

  const items = () => [...list.querySelectorAll(".review-item")];

  function highlight(index) {
    const all = items();
    if (all.length === 0) {
      statusEl.textContent = "Queue done: nothing left to decide here. Reload for more.";
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
      item.remove();
      statusEl.textContent = `Decided: ${label}. ${items().length} left on this page.`;
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

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey) return;
    const all = items();
    if (all.length === 0) return;
    const inNote = event.target instanceof HTMLTextAreaElement;
    if (inNote && event.key === "Escape") { all[current].focus(); return; }
    const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
    if (match && (!inNote || event.altKey)) {
      const index = Number(match[1]) - 1;
      if (index < LABELS.length) { event.preventDefault(); decide(all[current], LABELS[index]); }
      return;
    }
    if (inNote || event.target instanceof HTMLSelectElement || event.target instanceof HTMLInputElement) return;
    if (event.key === "j") { event.preventDefault(); highlight(current + 1); }
    else if (event.key === "k") { event.preventDefault(); highlight(current - 1); }
    else if (event.key === "e") { event.preventDefault(); all[current].querySelector("textarea").focus(); }
  });

  highlight(0);
}
