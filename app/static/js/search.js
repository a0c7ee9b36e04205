// The search page: "/" returns to the box, j/k move through the results, Enter opens one.
const box = document.getElementById("q");
const hits = [...document.querySelectorAll(".search-hit")];
let current = -1;

function focusHit(index) {
  if (!hits.length) return;
  current = Math.max(0, Math.min(hits.length - 1, index));
  hits[current].focus();
  hits[current].scrollIntoView({ block: "nearest" });
}

document.addEventListener("keydown", (event) => {
  const typing = event.target.closest("input, select, textarea");
  if (event.key === "/" && !typing) {
    event.preventDefault();
    box.focus();
    box.select();
  } else if (!typing && !event.altKey && !event.ctrlKey && !event.metaKey) {
    if (event.key === "j") focusHit(current + 1);
    else if (event.key === "k") focusHit(current - 1);
    else if (event.key === "Enter" && current >= 0) hits[current].querySelector("a").click();
  }
});
