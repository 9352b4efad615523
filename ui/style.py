"""The page's look and its small scripts: styles, citation clicks, plain-text copy, scrolling to a cited sentence."""

CSS = """
.source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 10px 12px; margin-bottom: 10px; }
.source.active { border-color: var(--color-accent); box-shadow: 0 0 0 2px var(--color-accent-soft); }
.source h4 { margin: 0 0 4px; font-size: 15px; }
.source .meta { color: var(--body-text-color-subdued); font-size: 12px; margin-bottom: 6px; }
.source .passage { font-size: 14px; line-height: 1.7; white-space: pre-wrap; }
.source mark { background: #fde68a; padding: 0 2px; }
.related-label { color: var(--body-text-color-subdued); font-size: 13px; margin: 4px 0 8px; }
.empty { color: var(--body-text-color-subdued); }
.message-buttons button.copied { color: var(--color-accent); }
.source .open-article { font-size: 12px; margin-left: 8px; font-weight: normal; }
.article { font-size: 15px; line-height: 1.8; white-space: pre-wrap; }
.article mark { background: #fde68a; padding: 0 2px; }
"""
# A click on a citation marker [n] in the chat shows source n in the panel instead of following the link.
# A message's copy button copies its text as read, "[1]" and all, not the markdown behind it nor the notes under it.
HEAD = """
<script>
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href*='#source-']");
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const id = link.getAttribute("href").split("#")[1];
  document.querySelectorAll(".source.active").forEach((card) => card.classList.remove("active"));
  const card = document.getElementById(id);
  if (card) { card.classList.add("active"); card.scrollIntoView({behavior: "smooth", block: "nearest"}); }
}, true);
document.addEventListener("click", (event) => {
  const button = event.target.closest(".message-buttons button");
  const message = button?.closest(".message-buttons").previousElementSibling;
  const content = message?.querySelector(".message-content");
  if (!content) return;
  event.preventDefault();
  event.stopPropagation();
  const notes = [...content.querySelectorAll("small")].map((note) => note.innerText);
  const text = notes.reduce((all, note) => all.replace(note, ""), content.innerText).trim();
  if (navigator.clipboard) {
    navigator.clipboard.writeText(text);
  } else {
    const box = document.createElement("textarea");
    box.value = text;
    document.body.append(box);
    box.select();
    document.execCommand("copy");
    box.remove();
  }
  button.classList.add("copied");
  setTimeout(() => button.classList.remove("copied"), 1500);
}, true);
// An article opened from a citation card scrolls to the cited sentence once it is on screen.
new MutationObserver(() => {
  const cited = document.querySelector("#article-body mark#cited:not([data-shown])");
  if (!cited || cited.offsetParent === null) return;
  cited.dataset.shown = "1";
  cited.scrollIntoView({block: "center"});
}).observe(document.documentElement, {childList: true, subtree: true});
</script>
"""
