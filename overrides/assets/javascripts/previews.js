// Paper Diary: link previews that work on touch. The first tap on a link to another paper shows a card (title,
// summary, tags, date) with a button to open it; a second tap on the same link, or the button, opens the paper.
// Mouse and keyboard are left alone: only taps (pointerType "touch" or "pen") are intercepted.
(function () {
  "use strict";
  var script = document.currentScript;
  var papersUrl = new URL(script.getAttribute("data-papers"), location.href);
  var root = new URL("./", papersUrl);
  var papers = null;
  var loading = null;
  var lastPointer = "mouse";
  var armed = null;
  var card = null;

  function load() {
    if (!loading) {
      loading = fetch(papersUrl.href).then(function (r) { return r.json(); }).then(function (data) {
        papers = {};
        data.papers.forEach(function (p) { papers[new URL(p.url, root).pathname] = p; });
        document.documentElement.setAttribute("data-pd-papers", "ready");
        return papers;
      }).catch(function () { papers = {}; return papers; });
    }
    return loading;
  }

  function paperOf(link) {
    if (!papers || !link.href) return null;
    var url = new URL(link.href, location.href);
    if (url.origin !== location.origin || url.pathname === location.pathname) return null;
    return papers[url.pathname] || papers[url.pathname.replace(/index\.html$/, "")] || null;
  }

  function close() {
    if (card) { card.remove(); card = null; }
    armed = null;
  }

  function text(tag, className, value) {
    var el = document.createElement(tag);
    el.className = className;
    el.textContent = value;  // never innerHTML: note values are text
    return el;
  }

  function show(link, paper) {
    close();
    card = document.createElement("div");
    card.className = "pd-preview md-typeset";  // md-typeset: the theme's buttons inside
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-label", "Preview: " + paper.title);
    card.appendChild(text("p", "pd-preview-title", paper.title));
    var facts = [paper.topic_title, paper.date || "undated"].filter(Boolean).join(" · ");
    card.appendChild(text("p", "pd-preview-facts", facts));
    if (paper.summary) card.appendChild(text("p", "pd-preview-summary", paper.summary));
    if (paper.tags && paper.tags.length) {
      card.appendChild(text("p", "pd-preview-tags", paper.tags.map(function (t) { return "#" + t; }).join(" ")));
    }
    var open = document.createElement("a");
    open.className = "pd-preview-open md-button md-button--primary";
    open.href = link.href;
    open.textContent = "Open paper";
    card.appendChild(open);
    var dismiss = text("button", "pd-preview-close md-button", "Close");
    dismiss.type = "button";
    dismiss.addEventListener("click", function (e) { e.preventDefault(); close(); });
    card.appendChild(dismiss);
    document.body.appendChild(card);
    var box = link.getBoundingClientRect();
    var top = box.bottom + window.scrollY + 8;
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - card.offsetWidth - 8));
    card.style.top = top + "px";
    card.style.left = left + "px";
    armed = link;
  }

  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    if (lastPointer !== "mouse") load();
    if (card && !card.contains(e.target) && e.target.closest && e.target.closest("a") !== armed) close();
  }, true);

  document.addEventListener("click", function (e) {
    if (lastPointer === "mouse" || e.defaultPrevented || e.button !== 0) return;
    // Links of the page's content only: a search result, the navigation and the header open at once.
    var link = e.target.closest && e.target.closest(".md-content a[href]");
    if (!link || (card && card.contains(link)) || link.closest(".pd-map-card")) return;  // the map's card is one
    if (link === armed) { close(); return; }  // second tap: follow the link
    var paper = paperOf(link);
    if (!paper) return;
    e.preventDefault();
    e.stopPropagation();  // Material's instant navigation must not follow a first tap
    show(link, paper);
  }, true);

  document.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  // On a touch screen, have the papers at hand before the first tap.
  if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) load();
  // Material's instant navigation swaps pages without reloading: a card never outlives its page.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(close);
})();
