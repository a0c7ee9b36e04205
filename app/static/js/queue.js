// "n" opens the next article in the reviewer's queue (home page).
const queue = document.getElementById("my-queue");
document.addEventListener("keydown", (event) => {
  if (event.key !== "n" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target instanceof HTMLElement && event.target.matches("input, textarea, select")) return;
  if (queue?.dataset.next) window.location.assign(queue.dataset.next);
});
