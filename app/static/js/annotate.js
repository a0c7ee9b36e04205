// The annotation view of one article: select a passage, tag it, see everyone's assessments.
//
// Offsets: the server speaks Unicode code points into Article.text; the DOM speaks UTF-16
// units. The article text is rendered verbatim (only text nodes, inside <mark>s for claims),
// so a DOM position's UTF-16 offset is the length of Range(textStart, position).toString(),
// and code points are counted from that exactly: astral characters (emoji, flags,
// mathematical letters) are two UTF-16 units but one code point; combining marks, joiners
// and right-to-left text are one unit each and stay in logical order in the DOM.

const root = document.getElementById("annotator");
const textEl = document.getElementById("article-text");
const popover = document.getElementById("tag-popover");
const listEl = document.getElementById("claim-list");
const detailEl = document.getElementById("claim-detail");
const statusEl = document.getElementById("status");
const popoverError = document.getElementById("popover-error");
const noteField = document.getElementById("popover-note");
const evidenceField = document.getElementById("popover-evidence");
const filterLabel = document.getElementById("filter-label");
const filterReviewer = document.getElementById("filter-reviewer");

const articleId = root.dataset.articleId;
// Who may do what, and which labels exist, come from the app (User rules, config).
const me = { name: root.dataset.user };
// What this user may do: the capability table's answer for their role (app/capabilities.py).
const MAY = new Set(document.body.dataset.may.split(" "));
const mayChange = (claim) => MAY.has("change_any_claim") || (MAY.has("annotate") && claim.author === me.name);
const LABELS = JSON.parse(root.dataset.labels);
const NO_FINAL_LABEL = root.dataset.noFinalLabel;
const DEFINITIONS = JSON.parse(root.dataset.definitions || "{}"); // label -> its codebook summary
const csrfToken = document.querySelector('meta[name="csrf-token"]').content;

let text = textEl.textContent;
let claims = [];
let pending = null; // {start, end, quote} in code points, the passage being tagged
let openClaimId = null;
let attaching = null; // the claim to re-attach to the next selection (an orphan, a moved one)

// ---- offsets ------------------------------------------------------------------------

/** UTF-16 index -> code-point index into `s`. */
export function codePointIndex(s, utf16) {
  let cp = 0;
  for (let i = 0; i < utf16; cp++) i += s.codePointAt(i) > 0xffff ? 2 : 1;
  return cp;
}

/** Code-point index -> UTF-16 index into `s`. */
export function utf16Index(s, codePoints) {
  let i = 0;
  for (let cp = 0; cp < codePoints && i < s.length; cp++) i += s.codePointAt(i) > 0xffff ? 2 : 1;
  return i;
}

/** UTF-16 offset of a DOM position from the start of the article text. */
function domOffset(node, offset) {
  const range = document.createRange();
  range.setStart(textEl, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The selection as a code-point span of the article text, or null. */
function selectedSpan() {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!textEl.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== textEl) {
    if (!range.intersectsNode(textEl)) return null;
  }
  let startU = textEl.contains(range.startContainer) ? domOffset(range.startContainer, range.startOffset) : 0;
  let endU = textEl.contains(range.endContainer) ? domOffset(range.endContainer, range.endOffset) : text.length;
  // Never split a surrogate pair.
  if (startU > 0 && /[\uDC00-\uDFFF]/.test(text[startU] || "")) startU -= 1;
  if (endU < text.length && /[\uDC00-\uDFFF]/.test(text[endU] || "")) endU += 1;
  if (endU <= startU) return null;
  return { start: codePointIndex(text, startU), end: codePointIndex(text, endU), quote: text.slice(startU, endU) };
}

/** Put the browser selection back on a code-point span (after a failed save, say). */
function selectSpan(span) {
  const startU = utf16Index(text, span.start);
  const endU = utf16Index(text, span.end);
  const range = document.createRange();
  let seen = 0;
  const walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const len = node.data.length;
    if (seen <= startU && startU <= seen + len) range.setStart(node, startU - seen);
    if (seen <= endU && endU <= seen + len) { range.setEnd(node, endU - seen); break; }
    seen += len;
  }
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
}

// ---- API ----------------------------------------------------------------------------

async function api(method, path, body) {
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw Object.assign(new Error("Could not reach the server. Nothing was lost: try again."), { status: 0 });
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const message = data?.message || `${response.status} ${response.statusText}`;
    throw Object.assign(new Error(message), { status: response.status, data });
  }
  return data;
}

// ---- rendering ----------------------------------------------------------------------

// A claim blind mode hides (another reviewer's, in a blind event, not assessed by me yet)
// comes without labels: it is drawn and listed as "hidden".
// A label's classes, as the server's vocabulary.label_class writes them: its name, and the
// tone of its place among the labels in force.
const labelClass = (label) =>
  LABELS.includes(label) ? `label-${label} tone tone-${LABELS.indexOf(label) + 1}` : `label-${label}`;
const labelOf = (claim) => (claim.hidden ? "hidden" : claim.final_label || NO_FINAL_LABEL);

/** Many code-point offsets -> UTF-16 indexes into `text`, in one pass over it (one walk per
 * claim was quadratic: seconds for a long article with a thousand claims). */
function utf16Indexes(points) {
  if (!/[\uD800-\uDFFF]/.test(text)) return points.slice(); // no astral characters: the same
  const order = points.map((p, i) => [p, i]).sort((a, b) => a[0] - b[0]);
  const out = new Array(points.length);
  let cp = 0;
  let u = 0;
  for (const [p, i] of order) {
    for (; cp < p && u < text.length; cp++) u += text.codePointAt(u) > 0xffff ? 2 : 1;
    out[i] = u;
  }
  return out;
}

/** Every drawn claim as {claim, s, e} in UTF-16 units. An orphan's offsets point into an
 * earlier revision of the text: it is listed, not drawn. */
function drawnSpans() {
  const drawn = claims.filter((c) => c.anchor !== "orphan");
  const at = utf16Indexes(drawn.flatMap((c) => [c.start, c.end]));
  return drawn.map((c, k) => ({ claim: c, s: at[2 * k], e: at[2 * k + 1] }));
}

/** The text's blocks as [start, end) in UTF-16 units. */
function chunkRanges() {
  const bounds = [0, ...chunkCuts(), text.length];
  return bounds.slice(0, -1).map((a, i) => [a, bounds[i + 1]]);
}

/** One block [a, b) of the text as segments; each segment knows every claim that covers it.
 * A sweep over the cut points keeps the claims open at each one, so the work grows with the
 * number of claims, not with claims times segments. */
function renderChunk(a, b, spans) {
  const opening = new Map();
  const closing = new Map();
  const add = (map, at, span) => { if (!map.has(at)) map.set(at, []); map.get(at).push(span); };
  for (const span of spans) {
    if (span.e <= a || span.s >= b) continue;
    add(opening, Math.max(span.s, a), span);
    add(closing, Math.min(span.e, b), span);
  }
  const points = [...new Set([a, b, ...opening.keys(), ...closing.keys()])].sort((x, y) => x - y);
  const open = new Set();
  const chunk = document.createElement("div");
  chunk.className = "chunk";
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    for (const span of closing.get(from) || []) open.delete(span);
    for (const span of opening.get(from) || []) open.add(span);
    const piece = document.createTextNode(text.slice(from, to));
    if (open.size === 0) { chunk.append(piece); continue; }
    // The innermost (shortest) claim gives the colour; depth shows overlaps.
    const covering = [...open].sort((x, y) => (x.e - x.s) - (y.e - y.s));
    const mark = document.createElement("mark");
    mark.className = `hl ${labelClass(labelOf(covering[0].claim))} depth-${Math.min(covering.length, 3)}`;
    mark.dataset.claims = covering.map(({ claim }) => claim.id).join(" ");
    mark.title = covering.map(({ claim }) => `${labelOf(claim)}: ${claim.quote.slice(0, 60)}`).join("\n");
    mark.append(piece);
    chunk.append(mark);
  }
  return chunk;
}

/** Re-render the whole text, block by block. */
function renderText() {
  const spans = drawnSpans();
  const ranges = chunkRanges();
  textEl.replaceChildren(...ranges.map(([a, b]) => renderChunk(a, b, spans)));
  textEl.classList.toggle("long", ranges.length > 1);
}

/** Re-render only the blocks a claim covers: saving one claim on a 1 MB text redraws one
 * block of 8,000 characters, not all 125 of them. */
function redrawAround(claim) {
  const ranges = chunkRanges();
  if (textEl.children.length !== ranges.length) { renderText(); return; }
  if (claim.anchor === "orphan") return;
  const [s, e] = utf16Indexes([claim.start, claim.end]);
  const spans = drawnSpans();
  ranges.forEach(([a, b], i) => {
    if (s < b && e > a) textEl.children[i].replaceWith(renderChunk(a, b, spans));
  });
}

/** Where the text's blocks end (UTF-16), as app/text/chunks.py cuts them: at a line break
 * (with the blank lines after it) once a block holds CHUNK characters. */
const CHUNK = 8000;
function chunkCuts() {
  const cuts = [];
  let start = 0;
  while (text.length - start > CHUNK) {
    let cut = text.indexOf("\n", start + CHUNK);
    if (cut === -1) break;
    while (cut + 1 < text.length && text[cut + 1] === "\n") cut += 1;
    cuts.push(cut + 1);
    start = cut + 1;
  }
  return cuts;
}

function anchorFlag(claim) {
  const flag = document.createElement("span");
  flag.className = `anchor-flag anchor-${claim.anchor}`;
  flag.textContent = claim.anchor === "orphan" ? `orphan · revision ${claim.revision}` : "moved · please check";
  return flag;
}

function badge(label) {
  const el = document.createElement("span");
  el.className = `badge ${labelClass(label)}`;
  el.textContent = label === NO_FINAL_LABEL ? "disagree" : label === "hidden" ? "not shown" : label;
  return el;
}

/** Whether a claim passes the list's filters (label, reviewer). */
function listed(c) {
  return (!filterLabel.value || labelOf(c) === filterLabel.value || (filterLabel.value === "attention" && c.anchor)) &&
    (!filterReviewer.value || c.assessments.some((a) => a.reviewer === filterReviewer.value));
}

function listItem(claim) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "claim-entry";
  button.dataset.claimId = claim.id;
  const quote = document.createElement("span");
  quote.className = "quote";
  quote.textContent = claim.quote.length > 140 ? `${claim.quote.slice(0, 140)}…` : claim.quote;
  const who = document.createElement("span");
  who.className = "meta";
  who.textContent = claim.hidden
    ? "Blind: give your label to see the others'"
    : claim.assessments.map((a) => `${a.reviewer}: ${a.label}`).join(" · ");
  button.append(badge(labelOf(claim)), quote, who);
  if (claim.anchor) button.append(anchorFlag(claim));
  button.addEventListener("click", () => { showClaim(claim.id); scrollToClaim(claim.id); });
  item.append(button);
  return item;
}

function renderList() {
  const reviewers = [...new Set(claims.flatMap((c) => c.assessments.map((a) => a.reviewer)))].sort();
  const chosen = filterReviewer.value;
  filterReviewer.replaceChildren(new Option("all", ""), ...reviewers.map((r) => new Option(r, r)));
  filterReviewer.value = reviewers.includes(chosen) ? chosen : "";
  const shown = claims.filter(listed);
  document.getElementById("claim-count").textContent = String(claims.length);
  const attention = claims.filter((c) => c.anchor).length;
  const notice = document.getElementById("anchor-notice");
  notice.hidden = attention === 0;
  if (attention) {
    const orphans = claims.filter((c) => c.anchor === "orphan").length;
    notice.querySelector("span").textContent = [
      orphans ? `${orphans} claim${orphans > 1 ? "s" : ""} lost ${orphans > 1 ? "their" : "its"} passage` : "",
      attention - orphans ? `${attention - orphans} moved with edited words` : "",
    ].filter(Boolean).join(", ") + " in a new revision of the text.";
  }
  listEl.replaceChildren(...shown.map(listItem));
  if (shown.length === 0) {
    const empty = document.createElement("li");
    empty.className = "muted";
    empty.textContent = claims.length ? "No claim matches these filters." : "No claims yet.";
    listEl.append(empty);
  }
}

/** A new claim into the list in its place, the rest left as they are (a list of 1,000 claims
 * is not rebuilt for one). A reviewer new to the list rebuilds it, for the filter's sake. */
function addToList(claim) {
  const known = [...filterReviewer.options].map((o) => o.value);
  if (!claim.assessments.every((a) => known.includes(a.reviewer)) || !listEl.querySelector(".claim-entry")) {
    renderList();
    return;
  }
  document.getElementById("claim-count").textContent = String(claims.length);
  if (!listed(claim)) return;
  const position = claims.indexOf(claim);
  const next = claims.slice(position + 1).find(listed);
  const before = next && listEl.querySelector(`.claim-entry[data-claim-id="${next.id}"]`);
  const item = listItem(claim);
  if (before) before.parentElement.before(item); else listEl.append(item);
}

function render() {
  renderText();
  renderList();
  if (openClaimId !== null) showClaim(openClaimId);
}

function say(message) { statusEl.textContent = message; }

function scrollToClaim(id) {
  const marks = [...textEl.querySelectorAll("mark")].filter((m) => m.dataset.claims.split(" ").includes(String(id)));
  if (!marks.length) return;
  marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  for (const m of marks) { m.classList.add("flash"); setTimeout(() => m.classList.remove("flash"), 1600); }
}

// ---- one claim's assessments ----------------------------------------------------------

function safeLink(url) {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
  } catch { return null; }
  const a = document.createElement("a");
  a.href = url;
  a.rel = "noopener noreferrer nofollow";
  a.target = "_blank";
  a.textContent = url;
  return a;
}

function showClaim(id) {
  const claim = claims.find((c) => c.id === id);
  if (!claim) { detailEl.hidden = true; openClaimId = null; return; }
  // A re-render (after a save) keeps the History open, and reloads it.
  const historyWasOpen = openClaimId === id && !detailEl.hidden
    && Boolean(detailEl.querySelector(".claim-history")?.open);
  openClaimId = id;
  const heading = document.createElement("h3");
  heading.append(badge(labelOf(claim)), " Claim");
  const quote = document.createElement("blockquote");
  quote.textContent = claim.quote;
  const list = document.createElement("ul");
  list.className = "assessments";
  for (const a of claim.assessments) {
    const li = document.createElement("li");
    const head = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = a.reviewer;
    head.append(name, " ", badge(a.label));
    li.append(head);
    if (a.note) { const note = document.createElement("p"); note.className = "note"; note.textContent = a.note; li.append(note); }
    if (a.evidence_url) { const link = safeLink(a.evidence_url); if (link) li.append(link); }
    list.append(li);
  }
  const parts = [heading, quote];
  if (claim.hidden) {
    const blindNote = document.createElement("p");
    blindNote.className = "muted blind-note";
    blindNote.textContent = "This event is blind: the other reviewers' labels and notes appear once you have given yours.";
    parts.push(blindNote);
  }
  if (claim.anchor) parts.push(anchorSection(claim));
  parts.push(list);
  if (claim.adjudicated_label || (MAY.has("adjudicate") && !claim.hidden)) parts.push(decisionSection(claim));
  const mine = claim.assessments.find((a) => a.reviewer === me.name);
  if (MAY.has("assess")) {
    const form = document.createElement("div");
    form.className = "my-assessment";
    const title = document.createElement("p");
    title.textContent = mine ? "Change your label:" : "Add your assessment:";
    const note = document.createElement("textarea");
    note.rows = 2;
    note.maxLength = 10000;
    note.placeholder = "Note (optional)";
    note.value = mine?.note || "";
    note.setAttribute("aria-label", "Your note");
    // Every reviewer may back their label with a link, not only the claim's author.
    const evidence = document.createElement("input");
    evidence.type = "url";
    evidence.className = "evidence-url";
    evidence.maxLength = 2000;
    evidence.placeholder = "Evidence URL (optional): https://…";
    evidence.value = mine?.evidence_url || "";
    evidence.setAttribute("aria-label", "Your evidence URL");
    const buttons = document.createElement("div");
    buttons.className = "label-buttons";
    for (const label of LABELS) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = `label-button ${labelClass(label)}`;
      b.textContent = label;
      if (DEFINITIONS[label]) b.title = DEFINITIONS[label];
      if (mine?.label === label) b.setAttribute("aria-pressed", "true");
      b.addEventListener("click", () => saveAssessment(claim, mine, label, note.value, form, evidence.value.trim()));
      buttons.append(b);
    }
    const error = document.createElement("p");
    error.className = "error";
    error.hidden = true;
    form.append(title, buttons, note, evidence, error);
    parts.push(form);
  }
  if (mayChange(claim)) {
    const del = document.createElement("button");
    del.type = "button";
    del.className = "danger";
    del.textContent = "Delete claim";
    del.addEventListener("click", () => deleteClaim(claim));
    parts.push(del);
  }
  const history = historyDisclosure(claim);
  parts.push(whereElseDisclosure(claim), history);
  // On a phone the details are a sheet over the text's bottom: a button closes it.
  const close = document.createElement("button");
  close.type = "button";
  close.className = "link close-sheet";
  close.textContent = "Close";
  close.addEventListener("click", () => { detailEl.hidden = true; openClaimId = null; });
  parts.unshift(close);
  detailEl.replaceChildren(...parts);
  const wasHidden = detailEl.hidden;
  detailEl.hidden = false;
  if (historyWasOpen) history.open = true;
  // Opened from a claim far up or down the list: bring the details into view.
  const box = detailEl.getBoundingClientRect();
  if (wasHidden || box.top > window.innerHeight || box.bottom < 0) {
    detailEl.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
}

// ---- the decision on a claim: seen, changed and cleared where the claim is shown --------

function decisionSection(claim) {
  const box = document.createElement("div");
  box.className = "decision";
  const line = document.createElement("p");
  if (claim.adjudicated_label) {
    line.append("Decided: ", badge(claim.adjudicated_label), ` by ${claim.adjudicated_by || "someone"}`);
    if (claim.adjudication_note) {
      const why = document.createElement("span");
      why.className = "note";
      why.textContent = ` — ${claim.adjudication_note}`;
      line.append(why);
    }
  } else {
    line.textContent = "No decision yet.";
  }
  box.append(line);
  if (!MAY.has("adjudicate")) return box;
  const note = document.createElement("input");
  note.type = "text";
  note.maxLength = 10000;
  note.placeholder = "Why (optional)";
  note.value = claim.adjudication_note || "";
  note.setAttribute("aria-label", "Reason for the decision");
  const buttons = document.createElement("div");
  buttons.className = "label-buttons";
  const error = document.createElement("p");
  error.className = "error";
  error.hidden = true;
  const act = async (method, body) => {
    error.hidden = true;
    try {
      await api(method, `/claims/${claim.id}/adjudication`, body);
      replaceClaim(await api("GET", `/claims/${claim.id}`));
      say(method === "DELETE" ? "Decision cleared." : `Decided: ${body.label}.`);
    } catch (err) {
      error.textContent = `Not saved: ${err.message}`;
      error.hidden = false;
    }
  };
  for (const label of LABELS) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = `label-button small ${labelClass(label)}`;
    b.textContent = claim.adjudicated_label ? `decide ${label}` : label;
    if (claim.adjudicated_label === label) b.setAttribute("aria-pressed", "true");
    b.addEventListener("click", () => act("PUT", { label, note: note.value.trim() || null }));
    buttons.append(b);
  }
  box.append(buttons, note);
  if (claim.adjudicated_label) {
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "link";
    clear.textContent = "Clear the decision";
    clear.addEventListener("click", () => act("DELETE"));
    box.append(clear);
  }
  box.append(error);
  return box;
}

// ---- claims that a new revision moved or orphaned --------------------------------------

function anchorSection(claim) {
  const box = document.createElement("div");
  box.className = `anchor-check anchor-${claim.anchor}`;
  const what = document.createElement("p");
  if (claim.anchor === "orphan") {
    what.textContent = `Its passage is gone from the current text. It was in revision ${claim.revision}, here:`;
    const context = document.createElement("p");
    context.className = "old-context";
    const q = document.createElement("mark");
    q.className = `hl ${labelClass(labelOf(claim))}`;
    q.textContent = claim.quote;
    context.append(`…${claim.prefix}`, q, `${claim.suffix}…`);
    box.append(what, context);
  } else {
    what.textContent = "A new revision changed these words and the claim followed them. Check that it still says what was labelled.";
    box.append(what);
  }
  if (!mayChange(claim)) return box;
  const buttons = document.createElement("div");
  buttons.className = "anchor-buttons";
  if (claim.anchor === "moved") {
    const ok = document.createElement("button");
    ok.type = "button";
    ok.textContent = "Looks right";
    ok.addEventListener("click", () => reattach(claim, { start: claim.start, end: claim.end, quote: claim.quote }));
    buttons.append(ok);
  }
  const attach = document.createElement("button");
  attach.type = "button";
  attach.className = "attach";
  attach.textContent = claim.anchor === "orphan" ? "Re-attach to a passage…" : "Attach elsewhere…";
  attach.addEventListener("mousedown", (event) => event.preventDefault()); // keep a selection
  attach.addEventListener("click", () => startAttaching(claim));
  buttons.append(attach);
  box.append(buttons);
  return box;
}

/** Re-attach `claim` to the selected passage, or to the next one the reviewer selects. */
function startAttaching(claim) {
  closePopover();
  const span = selectedSpan();
  if (span) { reattach(claim, span); return; }
  attaching = claim;
  root.classList.add("attaching");
  say("Select the claim's passage in the text: it is attached when you release the mouse (or press Enter after Shift+arrows). Esc cancels.");
  textEl.focus();
}

function stopAttaching(message) {
  attaching = null;
  root.classList.remove("attaching");
  if (message) say(message);
}

async function reattach(claim, span) {
  stopAttaching();
  try {
    replaceClaim(await api("POST", `/claims/${claim.id}/anchor`, { start: span.start, end: span.end, quote: span.quote }));
    window.getSelection().removeAllRanges();
    const labels = [...new Set(claim.assessments.map((a) => a.label))];
    const kept = labels.length ? ` It keeps its label${labels.length > 1 ? "s" : ""} (${labels.join(", ")}): check that ${labels.length > 1 ? "they still fit" : "it still fits"} the new words.` : "";
    say(`Claim attached to “${span.quote.slice(0, 80)}”.${kept}`);
    scrollToClaim(claim.id);
  } catch (err) {
    say(`Not attached: ${err.message}`);
  }
}

// ---- history ------------------------------------------------------------------------

function describeChange(entry) {
  const before = entry.before || {};
  const after = entry.after || {};
  switch (entry.entity) {
    case "claim":
      return `${entry.action === "create" ? "created" : entry.action === "delete" ? "deleted" : "restored"} the claim`;
    case "assessment":
      return entry.action === "create"
        ? `labelled it ${after.label}`
        : before.label !== after.label
          ? `changed the label ${before.label} → ${after.label}`
          : "changed the note or evidence";
    case "adjudication":
      return after.label ? `adjudicated: ${after.label}` : "cleared the adjudication";
    case "proposition_link":
      return entry.action === "link" ? `linked it to proposition ${after.proposition_id}` : `unlinked it from proposition ${before.proposition_id}`;
    default:
      return `${entry.action} ${entry.entity}`;
  }
}

/** "Where else": the same or similar wording in other articles, any outlet or event, with
 * the claims already made there (a start for linking propositions). Fetched when opened. */
function whereElseDisclosure(claim) {
  const details = document.createElement("details");
  details.className = "where-else";
  const summary = document.createElement("summary");
  summary.textContent = "Where else";
  const list = document.createElement("ol");
  details.append(summary, list);
  details.addEventListener("toggle", async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = "1";
    list.replaceChildren(Object.assign(document.createElement("li"), { textContent: "Searching…" }));
    try {
      const passages = await api("GET", `/claims/${claim.id}/where-else`);
      if (!passages.length) {
        list.replaceChildren(Object.assign(document.createElement("li"), { textContent: "No other article has this wording." }));
        return;
      }
      list.replaceChildren(...passages.map((p) => {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.href = `/articles/${p.article.id}`;
        link.textContent = p.article.title;
        const meta = document.createElement("span");
        meta.className = "meta";
        const same = p.similarity >= 100 ? "same wording" : `${Math.round(p.similarity)}% alike`;
        const linked = p.claims.filter((c) => c.proposition).length;
        meta.textContent = ` · ${p.article.outlet.name} · ${same}`
          + (p.claims.length ? ` · ${p.claims.length} claim(s) there${linked ? `, ${linked} linked to a proposition` : ""}` : "");
        const quote = document.createElement("blockquote");
        quote.className = "in-context";
        quote.dir = "auto";
        quote.textContent = p.quote;
        li.append(link, meta, quote);
        return li;
      }));
    } catch (err) {
      delete details.dataset.loaded;
      list.replaceChildren(Object.assign(document.createElement("li"), { textContent: `Could not search: ${err.message}` }));
    }
  });
  return details;
}

/** A "History" disclosure; the record is fetched when it is first opened. */
function historyDisclosure(claim) {
  const details = document.createElement("details");
  details.className = "claim-history";
  const summary = document.createElement("summary");
  summary.textContent = "History";
  const list = document.createElement("ol");
  details.append(summary, list);
  details.addEventListener("toggle", async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = "1";
    list.replaceChildren(Object.assign(document.createElement("li"), { textContent: "Loading…" }));
    try {
      const entries = await api("GET", `/claims/${claim.id}/history`);
      list.replaceChildren(...entries.map((entry) => {
        const li = document.createElement("li");
        const when = document.createElement("time");
        when.dateTime = entry.at;
        when.textContent = entry.at.slice(0, 16).replace("T", " ");
        const who = document.createElement("strong");
        who.textContent = entry.user || "import";
        li.append(when, " ", who, ` ${describeChange(entry)}`);
        return li;
      }));
    } catch (err) {
      delete details.dataset.loaded;
      list.replaceChildren(Object.assign(document.createElement("li"), { textContent: `Could not load the history: ${err.message}` }));
    }
  });
  return details;
}

async function saveAssessment(claim, mine, label, note, form, evidenceUrl = "") {
  const error = form.querySelector(".error");
  error.hidden = true;
  const evidence_url = evidenceUrl || null;
  try {
    if (mine) {
      await api("PATCH", `/claims/${claim.id}`, { label, note, evidence_url, version: mine.version });
    } else {
      await api("PUT", `/claims/${claim.id}/assessment`, { label, note, evidence_url });
    }
    replaceClaim(await api("GET", `/claims/${claim.id}`));
    say(`Saved: ${label}.`);
  } catch (err) {
    if (err.status === 409 && err.data?.current) {
      replaceClaim(await api("GET", `/claims/${claim.id}`));
      const again = detailEl.querySelector(".my-assessment");
      again.querySelector("textarea").value = note; // keep what was typed
      const e = again.querySelector(".error");
      e.textContent = `Not saved: this assessment changed meanwhile (now ${err.data.current.label}, version ${err.data.current.version}). Your note is kept; pick the label again to apply it.`;
      e.hidden = false;
    } else {
      error.textContent = `Not saved: ${err.message}`;
      error.hidden = false;
    }
  }
}

async function deleteClaim(claim) {
  if (!window.confirm(`Delete this claim and its ${claim.assessments.length} assessment(s)?`)) return;
  try {
    await api("DELETE", `/claims/${claim.id}`);
    claims = claims.filter((c) => c.id !== claim.id);
    openClaimId = null;
    detailEl.hidden = true;
    render();
    say("Claim deleted.");
  } catch (err) {
    say(`Not deleted: ${err.message}`);
  }
}

function replaceClaim(updated) {
  claims = claims.map((c) => (c.id === updated.id ? updated : c));
  render();
}

// ---- tagging a new passage ----------------------------------------------------------

function openPopover(span) {
  const changed = !pending || pending.start !== span.start || pending.end !== span.end;
  pending = span;
  if (changed) popoverError.hidden = true;
  document.getElementById("popover-quote").textContent =
    span.quote.length > 160 ? `“${span.quote.slice(0, 160)}…”` : `“${span.quote}”`;
  const rect = window.getSelection().getRangeAt(0).getBoundingClientRect();
  popover.hidden = false;
  const width = popover.offsetWidth;
  const left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - width - 8));
  popover.style.left = `${left}px`;
  popover.style.top = `${window.scrollY + rect.bottom + 8}px`;
}

function closePopover() {
  popover.hidden = true;
  pending = null;
}

let saving = false;

async function tag(label) {
  if (!pending || saving) return;
  saving = true;
  const span = pending;
  popoverError.hidden = true;
  popover.setAttribute("aria-busy", "true");
  try {
    const claim = await api("POST", `/articles/${articleId}/claims`, {
      start: span.start, end: span.end, quote: span.quote, label,
      note: noteField.value || null, evidence_url: evidenceField.value.trim() || null,
    });
    claims.push(claim);
    claims.sort((a, b) => a.start - b.start || b.end - a.end);
    noteField.value = "";
    evidenceField.value = "";
    closePopover();
    window.getSelection().removeAllRanges();
    redrawAround(claim);
    addToList(claim);
    if (openClaimId !== null) showClaim(openClaimId);
    say(`Tagged as ${label}: “${claim.quote.slice(0, 80)}”.`);
  } catch (err) {
    // Keep the popover, the selection, the note and the URL: nothing typed is lost.
    popoverError.textContent = `Not saved: ${err.message}`;
    popoverError.hidden = false;
    selectSpan(span);
    pending = span;
  } finally {
    popover.removeAttribute("aria-busy");
    saving = false;
  }
}

function onSelectionDone(byKeyboard = false) {
  if (!MAY.has("annotate")) return;
  const selected = selectedSpan();
  if (!selected) return;
  const span = byKeyboard ? snappedToWords(selected) : selected;
  if (attaching && byKeyboard) { say("Press Enter to attach the claim to this passage. Esc cancels."); return; }
  if (attaching) { reattach(attaching, span); return; }
  openPopover(span);
}

// The keyboard caret: a visible mark in the text, moved without a mouse as INCEpTION and Label
// Studio allow. Arrows move it by character (Ctrl or Alt: by word), up and down by line,
// [ and ] by sentence; with Shift they extend a selection from where it stands. The
// selection ends snap out to whole words when tagged by keyboard.
const caretEl = document.createElement("span");
caretEl.className = "kb-caret";
caretEl.hidden = true;
caretEl.setAttribute("aria-hidden", "true");
document.body.append(caretEl);

function placeCaret() {
  const sel = window.getSelection();
  if (sel.rangeCount === 0 || !textEl.contains(sel.focusNode) || document.activeElement !== textEl) {
    caretEl.hidden = true;
    return;
  }
  const range = document.createRange();
  range.setStart(sel.focusNode, sel.focusOffset);
  range.collapse(true);
  const rects = range.getClientRects();
  const rect = rects.length ? rects[0] : range.getBoundingClientRect();
  if (!rect || (rect.height === 0 && rect.top === 0)) { caretEl.hidden = true; return; }
  caretEl.hidden = false;
  caretEl.style.left = `${window.scrollX + rect.left - 1}px`;
  caretEl.style.top = `${window.scrollY + rect.top}px`;
  caretEl.style.height = `${Math.max(rect.height, 16)}px`;
}

function ensureCaret(sel) {
  if (sel.rangeCount > 0 && textEl.contains(sel.anchorNode)) return true;
  const first = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT).nextNode();
  if (!first) return false;
  sel.collapse(first, 0);
  return true;
}

function moveCaret(event) {
  const moves = {
    ArrowLeft: ["backward", "character"], ArrowRight: ["forward", "character"],
    ArrowUp: ["backward", "line"], ArrowDown: ["forward", "line"],
    "[": ["backward", "sentence"], "]": ["forward", "sentence"],
    "{": ["backward", "sentence"], "}": ["forward", "sentence"], // Shift+[ and Shift+]
  };
  const move = moves[event.key];
  if (!move || event.metaKey) return;
  const sel = window.getSelection();
  if (!ensureCaret(sel)) return;
  const granularity = (event.ctrlKey || event.altKey) && move[1] === "character" ? "word" : move[1];
  event.preventDefault();
  if (granularity === "sentence") {
    jumpSentence(sel, move[0] === "forward", event.shiftKey);
    return;
  }
  if (event.shiftKey) {
    sel.modify("extend", move[0], granularity);
    placeCaret();
    onSelectionDone(true);
    return;
  }
  if (!sel.isCollapsed) sel.collapse(sel.focusNode, sel.focusOffset);
  sel.modify("move", move[0], granularity);
  closePopover();
  placeCaret();
}

/** Where the text's sentences start (UTF-16 offsets): its start, after a paragraph break,
 * and after . ! ? or … (and closing quotes) followed by a space. */
function sentenceStarts() {
  const starts = [0];
  const pattern = /(?:[.!?…؟。]["”’»)\]]*\s+|\n\s*)(?=\S)/gu;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) starts.push(m.index + m[0].length);
  return [...new Set(starts)].sort((a, b) => a - b);
}

function domPoint(utf16) {
  const walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT);
  let seen = 0;
  let last = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (utf16 <= seen + node.data.length) return [node, utf16 - seen];
    seen += node.data.length;
    last = node;
  }
  return last ? [last, last.data.length] : null;
}

/** [ and ]: the caret to the start of the previous or next sentence; with Shift, the
 * selection's end there. */
function jumpSentence(sel, forward, extend) {
  const here = domOffset(sel.focusNode, sel.focusOffset);
  const starts = sentenceStarts();
  const target = forward
    ? starts.find((at) => at > here) ?? text.length
    : [...starts].reverse().find((at) => at < here) ?? 0;
  const point = domPoint(target);
  if (!point) return;
  if (extend) {
    sel.extend(...point);
    placeCaret();
    onSelectionDone(true);
  } else {
    sel.collapse(...point);
    closePopover();
    placeCaret();
  }
}

/** A keyboard selection's ends pushed out to the edges of the words they fall in. */
function snappedToWords(span) {
  const chars = Array.from(text);
  const wordChar = (c) => c !== undefined && /[\p{L}\p{N}_'’-]/u.test(c);
  let { start, end } = span;
  while (start > 0 && wordChar(chars[start - 1]) && wordChar(chars[start])) start -= 1;
  while (end < chars.length && wordChar(chars[end - 1]) && wordChar(chars[end])) end += 1;
  return { start, end, quote: chars.slice(start, end).join("") };
}

function inField(event) {
  return event.target instanceof HTMLElement && event.target.matches("input, textarea, select");
}

document.addEventListener("keydown", (event) => {
  if (event.key === "n" && !inField(event) && popover.hidden && !attaching && root.dataset.next
      && !event.ctrlKey && !event.metaKey && !event.altKey) {
    window.location.assign(root.dataset.next);
    return;
  }
  if (event.key === "?" && !inField(event)) {
    const book = document.getElementById("codebook");
    book.open = !book.open;
    if (book.open) { book.scrollIntoView({ block: "nearest" }); book.querySelector("summary").focus(); }
    event.preventDefault();
    return;
  }
  if (event.key === "Escape" && attaching) { stopAttaching("Re-attaching cancelled."); return; }
  if (event.key === "Enter" && attaching && selectedSpan()) { event.preventDefault(); reattach(attaching, selectedSpan()); return; }
  if (event.key === "Escape" && !popover.hidden) { closePopover(); textEl.focus(); return; }
  // e: to the note of the passage being tagged (the selection stays drawn meanwhile).
  if (event.key === "e" && !popover.hidden && !inField(event) && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    noteField.focus();
    return;
  }
  if (popover.hidden || event.ctrlKey || event.metaKey) return;
  if (inField(event) && !event.altKey) return; // digits typed into the note stay digits
  // With Alt held some layouts report e.key as a symbol: the physical key decides.
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  const index = match ? Number(match[1]) - 1 : -1;
  if (index < 0 || index >= LABELS.length) return;
  event.preventDefault();
  tag(LABELS[index]);
});

for (const button of popover.querySelectorAll(".label-button")) {
  button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  button.addEventListener("click", () => tag(button.dataset.label));
}

textEl.addEventListener("mouseup", () => setTimeout(onSelectionDone, 0));
textEl.addEventListener("keydown", (event) => { keyboardAt = Date.now(); moveCaret(event); });
// Touch: a long-press selection (and its handles) ends in no mouseup, so the selection is read
// once it has settled; a mouse drag or the keyboard is handled where it ends.
let keyboardAt = 0;
let mouseIsDown = false;
let settle = null;
textEl.addEventListener("pointerdown", (event) => { mouseIsDown = event.pointerType === "mouse"; });
document.addEventListener("pointerup", () => { mouseIsDown = false; });
document.addEventListener("selectionchange", () => {
  clearTimeout(settle);
  settle = setTimeout(() => {
    if (mouseIsDown || Date.now() - keyboardAt < 400 || !popover.hidden) return;
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed && textEl.contains(sel.anchorNode)) onSelectionDone();
  }, 300);
});
textEl.addEventListener("focus", () => { ensureCaret(window.getSelection()); placeCaret(); });
textEl.addEventListener("blur", () => { caretEl.hidden = true; });
textEl.addEventListener("mousedown", () => { caretEl.hidden = true; });
window.addEventListener("resize", placeCaret);
textEl.addEventListener("click", (event) => {
  const mark = event.target.closest("mark");
  if (!mark || !window.getSelection().isCollapsed) return;
  const ids = mark.dataset.claims.split(" ").map(Number);
  // Repeated clicks on an overlap cycle through the claims stacked there.
  const next = ids.includes(openClaimId) ? ids[(ids.indexOf(openClaimId) + 1) % ids.length] : ids[0];
  showClaim(next);
  if (ids.length > 1) say(`${ids.length} claims overlap here; click again for the next one.`);
});
document.addEventListener("mousedown", (event) => {
  if (!popover.hidden && !popover.contains(event.target) && !textEl.contains(event.target)) closePopover();
});
filterLabel.addEventListener("change", renderList);
document.getElementById("show-attention").addEventListener("click", () => { filterLabel.value = "attention"; renderList(); });
filterReviewer.addEventListener("change", renderList);

async function load() {
  try {
    // The text is the page's own (rendered verbatim); only the claims are fetched.
    claims = await api("GET", `/articles/${articleId}/claims`);
    render();
    root.dataset.ready = "true";
  } catch (err) {
    say(`Could not load the claims: ${err.message}`);
  }
}

load();
