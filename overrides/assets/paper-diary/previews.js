// Link previews that work on touch. A tap on a link, in a note, to another paper shows a card (title, date,
// topic, tags, summary, from papers.json) with a button that opens the paper; a second tap on the same link opens
// it too. Mouse and keyboard are left alone: only a tap (pointerType "touch") shows a card.
(function () {
  "use strict";
  var root = new URL("../../", document.currentScript.src);  // this file is assets/paper-diary/previews.js
  var papers = null;    // a promise of Map(page path -> paper), fetched once, on the first touch
  var lastPointer = ""; // "touch", "mouse", "pen", or "" after a key press
  var card = null;      // the card on screen, if any
  var shownFor = "";    // the href of the link the card is about

  function pathOf(url) {
    return new URL(url, root).pathname.replace(/\/index\.html$/, "/");
  }

  function load() {
    if (!papers) {
      papers = fetch(new URL("papers.json", root).href)
        .then(function (response) { return response.ok ? response.json() : { papers: [] }; })
        .then(function (data) {
          var byPath = new Map();
          (data.papers || []).forEach(function (paper) { byPath.set(pathOf(paper.url), paper); });
          return byPath;
        })
        .catch(function () { return new Map(); });
    }
    return papers;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;  // text, never markup: the data comes from notes
    return node;
  }

  function hide() {
    if (card) card.remove();
    card = null;
    shownFor = "";
  }

  function show(paper, link) {
    hide();
    card = element("aside", "pd-preview md-typeset");
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-label", "Preview of " + paper.title);
    var close = element("button", "pd-preview__close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Close the preview");
    close.addEventListener("click", hide);
    card.appendChild(close);
    card.appendChild(element("p", "pd-preview__title", paper.title));
    var facts = [paper.date, paper.topic_title].filter(Boolean).join(" \u00b7 ");
    if (facts) card.appendChild(element("p", "pd-preview__facts", facts));
    if (paper.tags && paper.tags.length) {
      var tags = element("p", "pd-preview__tags");
      paper.tags.forEach(function (tag) { tags.appendChild(element("span", "pd-preview__tag", "#" + tag)); });
      card.appendChild(tags);
    }
    if (paper.summary) card.appendChild(element("p", "pd-preview__summary", paper.summary));
    var open = element("a", "md-button md-button--primary pd-preview__open", "Open the paper");
    open.href = link.href;
    card.appendChild(open);
    document.body.appendChild(card);
    shownFor = link.href;
  }

  // A link a note's author wrote, to another page of the site (not the diary's own chips, lists and buttons).
  function noteLink(target) {
    var link = target.closest ? target.closest(".md-content a[href]:not([class])") : null;
    if (!link || link.closest(".pd-preview")) return null;
    var url = new URL(link.href);
    if (url.origin !== location.origin || pathOf(url) === pathOf(location.href)) return null;
    return link;
  }

  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType;
    if (event.pointerType === "touch") load();
    if (card && !card.contains(event.target) && !noteLink(event.target)) hide();
  }, true);
  document.addEventListener("keydown", function (event) {
    lastPointer = "";
    if (event.key === "Escape") hide();
  }, true);

  // Capture on the document runs before Material's instant navigation, which listens on the body.
  document.addEventListener("click", function (event) {
    if (lastPointer !== "touch" || event.defaultPrevented) return;
    var link = noteLink(event.target);
    if (!link) return;
    if (card && shownFor === link.href) { hide(); return; }  // the second tap opens the paper
    event.preventDefault();
    event.stopPropagation();
    load().then(function (byPath) {
      var paper = byPath.get(pathOf(link.href));
      if (paper) show(paper, link);
      else location.href = link.href;  // not a paper: the tap opens the page as usual
    });
  }, true);

  // Material's instant navigation swaps pages without reloading this script: drop the card on each page.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(hide);
})();
