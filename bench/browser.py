"""`make bench-browser`: a 1 MB article (about 200,000 words) with 1,000 claims, opened and
annotated in Chromium through Playwright, against gunicorn (2 workers) on SQLite.

Label Studio takes about 30 s to open a 50 kB text with its NER spans (its issue 1124). Measured
here, medians of --runs navigations:
- text visible: navigation start to the article's first words painted;
- interactive: navigation start to the annotator ready (claims drawn, keys bound);
- save: a selection deep in the text, `1` pressed, to the claim in the list (the API's 201);
- scrolling: the longest main-thread task while the text is scrolled end to end.
Results: a table on stdout and bench/results/<date>-browser.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.run import RESULTS, app_env, flask, fresh_database, log, machine_facts
from bench.server import Server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_INTERACTIVE_S = 1.5
WORDS = [
    "the",
    "residents",
    "left",
    "camp",
    "at",
    "dawn",
    "and",
    "officials",
    "said",
    "transfer",
    "of",
    "group",
    "was",
    "complete",
    "critics",
    "called",
    "it",
    "years",
    "too",
    "late",
    "while",
    "UN",
    "agency",
    "staff",
    "counted",
    "buses",
    "in",
    "Tirana",
]


def long_article(chars: int, claims: int, seed: int = 1) -> dict:
    """A JSONL record: about `chars` characters in paragraphs, with `claims` claims spread
    through it (emoji and Persian in places, so offsets are code points, not UTF-16 units)."""
    rng = random.Random(seed)
    paragraphs, length = [], 0
    while length < chars:
        words = [rng.choice(WORDS) for _ in range(rng.randint(40, 90))]
        if rng.random() < 0.05:
            words.insert(rng.randrange(len(words)), "👨‍👩‍👧")
        if rng.random() < 0.03:
            words.insert(rng.randrange(len(words)), "کمپ لیبرتی")
        paragraph = " ".join(words).capitalize() + "."
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    text = "\n\n".join(paragraphs)
    spans, step = [], len(text) // claims
    for i in range(claims):
        start = text.find(" ", i * step) + 1
        end = text.find(" ", start + rng.randint(15, 60))
        if end == -1 or end <= start:
            continue
        spans.append(
            {
                "start": start,
                "end": end,
                "quote": text[start:end],
                "label": rng.choice(["supporting", "contested", "unsourced"]),
            }
        )
    return {
        "outlet": "Long Form",
        "title": "A very long article",
        "text": text,
        "url": "https://bench.example/long",
        "claims": spans,
    }


SELECT_DEEP = """(fraction) => {
  const el = document.getElementById('article-text');
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const total = el.textContent.length;
  let from = Math.floor(total * fraction);
  from = el.textContent.indexOf(' ', from) + 1;
  const to = el.textContent.indexOf(' ', from + 12);
  const range = document.createRange();
  let seen = 0;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (seen <= from && from < seen + n.data.length) range.setStart(n, from - seen);
    if (seen < to && to <= seen + n.data.length) { range.setEnd(n, to - seen); break; }
    seen += n.data.length;
  }
  range.startContainer.parentElement.scrollIntoView({block: 'center'});
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  el.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  return el.textContent.slice(from, to);
}"""

LONG_TASKS = """() => {
  window.__longest = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
  }).observe({type: 'longtask', buffered: false});
}"""

SCROLL = """async () => {
  const steps = 40;
  const height = document.documentElement.scrollHeight;
  for (let i = 1; i <= steps; i++) {
    window.scrollTo(0, height * i / steps);
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  return window.__longest;
}"""


def measure(base: str, article_id: int, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    visible, interactive, saves, longest, drawn, api = [], [], [], [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/login")
        page.get_by_label("Username").fill("bench")
        page.get_by_label("Password").fill("bench-password")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(f"{base}/")
        for run in range(runs):
            page.goto(f"{base}/articles/{article_id}", wait_until="commit")
            page.wait_for_selector("#article-text .chunk", state="attached")
            page.wait_for_function(
                "document.getElementById('article-text').getBoundingClientRect().height > 0"
            )
            visible.append(page.evaluate("performance.now()") / 1000)
            page.wait_for_selector("#annotator[data-ready='true']", state="attached")
            interactive.append(page.evaluate("performance.now()") / 1000)
            drawn.append(page.locator("#article-text mark").count())
            page.evaluate(LONG_TASKS)
            quote = page.evaluate(SELECT_DEEP, 0.37 + run * 0.05)
            page.wait_for_selector("#tag-popover:not([hidden])")
            started = time.perf_counter()
            with page.expect_response(
                lambda r: r.request.method == "POST" and "/claims" in r.url
            ) as info:
                page.keyboard.press("1")
            if info.value.status != 201:
                raise RuntimeError(f"save: HTTP {info.value.status} for {quote!r}")
            page.wait_for_function(
                "(q) => [...document.querySelectorAll('#claim-list .claim-entry')]"
                ".some((e) => e.textContent.includes(q))",
                arg=quote,
            )
            saves.append(time.perf_counter() - started)
            timing = info.value.request.timing
            api.append(timing["responseEnd"] - timing["requestStart"])
            page.evaluate("window.scrollTo(0, 0)")
            longest.append(page.evaluate(SCROLL))
        browser.close()
    return {
        "runs": runs,
        "text_visible_s": round(statistics.median(visible), 3),
        "interactive_s": round(statistics.median(interactive), 3),
        "interactive_max_s": round(max(interactive), 3),
        "save_ms": round(statistics.median(saves) * 1000, 1),
        "save_request_ms": round(statistics.median(api), 1),
        "scroll_longest_task_ms": round(statistics.median(longest), 1),
        "claims_drawn": min(drawn),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.browser", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    record = long_article(args.chars, args.claims)
    with tempfile.TemporaryDirectory(prefix="parallax-bench-browser-") as tmp:
        folder = Path(tmp)
        with fresh_database("sqlite", folder) as url:
            env = app_env(url)
            flask(env, "db", "upgrade")
            flask(env, "create-user", "bench", "--role", "reviewer", stdin="bench-password\n")
            path = folder / "long.jsonl"
            path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
            flask(env, "import", str(path))
            server = Server(env)
            server.start()
            try:
                log(f"{len(record['text']):,} characters, {len(record['claims'])} claims")
                figures = measure(f"http://127.0.0.1:{server.port}", 1, args.runs)
            finally:
                server.stop()
    if figures["claims_drawn"] < len(record["claims"]):
        raise RuntimeError(f"only {figures['claims_drawn']} of the claims were drawn")
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_facts([]),
        "article": {"chars": len(record["text"]), "claims": len(record["claims"])},
        "figures": figures,
        "targets": [
            {
                "figure": "interactive_s",
                "value": figures["interactive_s"],
                "target": f"<= {TARGET_INTERACTIVE_S} s",
                "ok": figures["interactive_s"] <= TARGET_INTERACTIVE_S,
            }
        ],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    out = args.out / f"{dt.date.today():%Y-%m-%d}-browser.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"(written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
