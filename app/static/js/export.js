// The export page: a live count of the claims the chosen filters select.
const form = document.getElementById("export-form");
const countEl = document.getElementById("export-count");
const button = document.getElementById("export-download");
let latest = 0;

function query() {
  const params = new URLSearchParams();
  for (const [key, value] of new FormData(form)) if (value) params.set(key, value);
  return params;
}

async function refresh() {
  const ticket = ++latest;
  countEl.textContent = "Counting…";
  try {
    const params = query();
    params.delete("format");
    const response = await fetch(`/api/v1/export/count?${params}`, { credentials: "same-origin" });
    const data = await response.json();
    if (ticket !== latest) return; // a newer choice is on its way
    if (!response.ok) throw new Error(data.message);
    countEl.textContent = `${data.count.toLocaleString()} claim${data.count === 1 ? "" : "s"} match.`;
    button.disabled = data.count === 0;
  } catch (err) {
    if (ticket === latest) countEl.textContent = `Could not count: ${err.message}`;
  }
}

form.addEventListener("change", refresh);
// The download sends only the filters chosen: the API refuses an empty value (an "any"
// choice is no parameter at all).
form.addEventListener("submit", () => {
  const empty = [...form.elements].filter((el) => el.name && !el.disabled && el.value === "");
  empty.forEach((el) => { el.disabled = true; });
  setTimeout(() => empty.forEach((el) => { el.disabled = false; }), 0);
});
refresh();
