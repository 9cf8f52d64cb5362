// The search page's script: asks Pagefind's index (pagefind/, written by the build) and
// lists results as plain links. Every string from the index is set as text, never as
// HTML. Pagefind fetches its index and WebAssembly, which browsers refuse from file://.
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const kind = document.getElementById("search-kind");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");

const root = new URL(form.dataset.root, document.baseURI);
const bundle = new URL(form.dataset.bundle, document.baseURI);
let pagefind = null;

function say(text) {
  status.textContent = text;
}

function plain(html) {
  // Excerpts carry <mark> around matches; keep only their text.
  return new DOMParser().parseFromString(html, "text/html").body.textContent || "";
}

function show(term, found, items) {
  results.replaceChildren();
  if (items.length === 0) {
    say(term ? `No results for “${term}”.` : "No results.");
    return;
  }
  const shown = items.length < found ? `, the first ${items.length} shown` : "";
  say(`${found} result${found === 1 ? "" : "s"}${term ? ` for “${term}”` : ""}${shown}.`);
  const list = document.createElement("ol");
  list.className = "search-results";
  for (const r of items) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = r.url;
    a.textContent = (r.meta && r.meta.title) || r.url;
    li.append(a);
    const k = r.filters && r.filters.kind && r.filters.kind[0];
    if (k) {
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = k;
      li.append(" ", tag);
    }
    if (r.excerpt) {
      const p = document.createElement("p");
      p.className = "search-excerpt";
      p.textContent = plain(r.excerpt);
      li.append(p);
    }
    list.append(li);
  }
  results.append(list);
}

async function run() {
  if (!pagefind) return;
  const term = input.value.trim();
  const filters = kind.value ? { kind: kind.value } : {};
  if (!term && !kind.value) {
    results.replaceChildren();
    say("Type a word to search every page.");
    return;
  }
  const search = await pagefind.debouncedSearch(term || null, { filters }, 200);
  if (search === null) return; // a newer keystroke superseded this search
  const items = await Promise.all(search.results.slice(0, 50).map((r) => r.data()));
  show(term, search.results.length, items);
}

async function start() {
  if (location.protocol === "file:") {
    say("Search cannot run from a file:// page: browsers do not let it load its index. Serve the site (evidentia serve, or any static web server) to search it.");
    return;
  }
  try {
    pagefind = await import(new URL("pagefind.js", bundle).href);
    await pagefind.options({ baseUrl: root.pathname });
    pagefind.init();
  } catch (e) {
    say(`The search index could not be loaded (${e.message}).`);
    return;
  }
  const q = new URLSearchParams(location.search);
  if (q.get("q")) input.value = q.get("q");
  if (q.get("kind")) kind.value = q.get("kind");
  say("Type a word to search every page.");
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  input.addEventListener("input", run);
  kind.addEventListener("change", run);
  if (input.value || kind.value) run();
}

start();
