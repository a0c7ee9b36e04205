// The side-by-side view: select a proposition to line every column up on its claims;
// click a claim to see the most similar passages in the other columns and link them.

const columnsEl = document.getElementById("columns");
const statusEl = document.getElementById("status");
const suggestionsEl = document.getElementById("suggestions");
const eventId = columnsEl.dataset.eventId;
const labels = JSON.parse(columnsEl.dataset.labels);
const mayAnnotate = document.body.dataset.may.split(" ").includes("annotate");
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

async function api(method, path, body) {
  const response = await fetch(`/api/v1${path}`, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new Error(data?.message || `${response.status} ${response.statusText}`);
  return data;
}

/** The claim ids and proposition ids a mark carries, position by position. */
function marksOf(mark) {
  const claims = mark.dataset.claims.split(" ");
  const props = mark.dataset.propositions.split(" ");
  return claims.map((id, i) => ({ id, proposition: props[i] || "" }));
}

function showProposition(button) {
  const id = button.dataset.proposition;
  for (const b of document.querySelectorAll("button.proposition")) b.setAttribute("aria-pressed", String(b === button));
  for (const m of columnsEl.querySelectorAll("mark.prop-active")) m.classList.remove("prop-active");
  let reporting = 0;
  for (const column of columnsEl.querySelectorAll(".column")) {
    const text = column.querySelector(".column-text");
    const marks = [...text.querySelectorAll("mark")].filter((m) => marksOf(m).some((c) => c.proposition === id));
    column.querySelector(".omits").hidden = marks.length > 0;
    if (!marks.length) continue;
    reporting += 1;
    for (const m of marks) m.classList.add("prop-active");
    const offset = marks[0].getBoundingClientRect().top - text.getBoundingClientRect().top;
    text.scrollTo({ top: Math.max(0, text.scrollTop + offset - 24), behavior: "smooth" });
  }
  statusEl.textContent = `${reporting} of ${columnsEl.children.length} columns state this proposition.`;
}

function button(text, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

async function ensureProposition(claimId, claimQuote, current) {
  if (current) return Number(current);
  const statement = window.prompt("This claim states… (a proposition the other outlets can be lined up on)", claimQuote.slice(0, 200));
  if (!statement) return null;
  const created = await api("POST", `/events/${eventId}/propositions`, { statement, claims: [Number(claimId)] });
  return created.id;
}

async function showSuggestions(mark) {
  const [{ id, proposition }] = marksOf(mark);
  const quote = mark.textContent;
  suggestionsEl.hidden = false;
  suggestionsEl.replaceChildren(Object.assign(document.createElement("p"), { textContent: "Finding similar passages…" }));
  let found;
  try {
    found = await api("GET", `/claims/${id}/suggestions`);
  } catch (err) {
    suggestionsEl.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: err.message }));
    return;
  }
  const heading = document.createElement("h3");
  heading.textContent = "Similar passages in the other outlets";
  const list = document.createElement("ol");
  for (const s of found) {
    const item = document.createElement("li");
    const who = document.createElement("strong");
    who.textContent = `${s.outlet} `;
    const q = document.createElement("q");
    q.textContent = s.quote;
    const score = document.createElement("span");
    score.className = "muted";
    score.textContent = ` · similarity ${s.score.toFixed(2)} `;
    item.append(who, q, score);
    if (mayAnnotate) {
      for (const label of labels) {
        item.append(button(`link as ${label}`, async () => {
          try {
            const pid = await ensureProposition(id, quote, proposition);
            if (pid === null) return;
            await api("POST", `/articles/${s.article_id}/claims`, { start: s.start, end: s.end, quote: s.quote, label, proposition: pid });
            window.location.reload();
          } catch (err) {
            statusEl.textContent = `Not linked: ${err.message}`;
          }
        }), " ");
      }
    }
    list.append(item);
  }
  if (!found.length) list.append(Object.assign(document.createElement("li"), { textContent: "Nothing similar found." }));
  suggestionsEl.replaceChildren(heading, list);
}

for (const b of document.querySelectorAll("button.proposition")) b.addEventListener("click", () => showProposition(b));
columnsEl.addEventListener("click", (event) => {
  const mark = event.target.closest("mark");
  if (mark && window.getSelection().isCollapsed) showSuggestions(mark);
});
