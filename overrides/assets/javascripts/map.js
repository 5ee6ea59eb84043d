// Paper Diary: touch on the map of papers (/map/). The map is an SVG drawn at build time; this adds pinch and drag
// to zoom and move it, and a card for a paper: tapped (the nearest point within a finger's width) or hovered with
// a mouse. The card names the paper, its date, one line about it and its cluster, with a link to open it.
// Nothing is fetched: every point carries its paper's facts.
(function () {
  "use strict";
  var FINGER = 24;  // px: a tap picks the nearest point this close (points are smaller than a finger)
  var MOUSE = 12;
  var MOVED = 8;  // px: a pointer that moved more is dragging, not tapping
  var closeCard = null;  // the card of the map on this page (instant navigation replaces the page, not this script)
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && closeCard) closeCard(); });

  function text(tag, className, value) {
    var el = document.createElement(tag);
    el.className = className;
    el.textContent = value;  // never innerHTML: note values are text
    return el;
  }

  function setup(frame) {
    if (frame.getAttribute("data-pd-map") === "ready") return;
    frame.setAttribute("data-pd-map", "ready");
    var svg = frame.querySelector("svg");
    var size = Number(svg.getAttribute("data-size")) || 1000;
    var view = { x: 0, y: 0, w: size };
    var points = Array.prototype.map.call(svg.querySelectorAll(".pd-map-paper"), function (el) {
      return { el: el, x: Number(el.getAttribute("cx")), y: Number(el.getAttribute("cy")) };
    });
    var card = null;
    var current = null;
    var controls = frame.querySelector(".pd-map-controls");
    if (controls) controls.hidden = false;

    // The clusters' names, largest cluster first: each is written at a size a person can read on this screen
    // (whatever the zoom), and one that would overlap a larger cluster's name is left out until zooming in
    // makes room for it.
    var names = Array.prototype.map.call(svg.querySelectorAll(".pd-map-cluster-name"), function (el) {
      return { el: el, x: Number(el.getAttribute("x")), y: Number(el.getAttribute("y")),
               papers: Number(el.getAttribute("data-papers")) || 0 };
    }).sort(function (a, b) { return b.papers - a.papers; });
    var NAME_PX = [13, 16];  // px on screen: the smallest and largest a name is written at
    var NAME_UNITS = 22;  // the name's size in the map's units without this script (map.css)

    function label() {
      if (!names.length) return;
      var s = scale().s;
      if (!s) return;
      var px = Math.max(NAME_PX[0], Math.min(NAME_PX[1], NAME_UNITS * s * view.w / size));
      var units = px / s;
      var pad = 4 / s;  // px between two names
      var shown = [];
      if (controls && !controls.hidden) {  // the buttons cover a corner of the map: no name goes under them
        var c = controls.getBoundingClientRect();
        var at = toMap(c.left, c.top);
        shown.push({ l: at.x, t: at.y, r: at.x + c.width / s, b: at.y + c.height / s });
      }
      names.forEach(function (n) {
        n.el.style.fontSize = units.toFixed(2) + "px";
        n.el.style.strokeWidth = (5 * units / NAME_UNITS).toFixed(2) + "px";
        var fits = null;
        n.el.setAttribute("x", n.x);
        n.el.setAttribute("y", n.y);
        var half = n.el.getBBox().width / 2 + pad;  // kept inside the map: moved in from its edge
        var x = Math.max(view.x + half, Math.min(view.x + view.w - half, n.x));
        [0, 1, -1, 2, -2].some(function (step) {  // where it was put, else a line lower or higher
          var y = n.y + step * units * 1.15;
          n.el.setAttribute("x", x.toFixed(1));
          n.el.setAttribute("y", y.toFixed(1));
          var b = n.el.getBBox();
          var box = { l: b.x - pad, r: b.x + b.width + pad, t: b.y - pad, b: b.y + b.height + pad };
          var inside = box.l >= view.x && box.r <= view.x + view.w && box.t >= view.y && box.b <= view.y + view.w;
          var free = inside && shown.every(function (o) { return box.r <= o.l || box.l >= o.r || box.b <= o.t || box.t >= o.b; });
          if (free) fits = box;
          return free;
        });
        if (fits) shown.push(fits); else { n.el.setAttribute("x", n.x); n.el.setAttribute("y", n.y); }
        n.el.classList.toggle("pd-map-name-hidden", !fits);
      });
    }

    function apply() {
      svg.setAttribute("viewBox", [view.x, view.y, view.w, view.w].map(function (v) { return v.toFixed(2); }).join(" "));
      frame.classList.toggle("pd-map-zoomed", view.w < size - 0.5);
      label();
      if (current) place(current);
    }

    // Screen to map: the SVG keeps its square (preserveAspectRatio meet), so one scale for both axes.
    function scale() {
      var box = svg.getBoundingClientRect();
      return { box: box, s: Math.min(box.width, box.height) / view.w };
    }
    function toMap(clientX, clientY) {
      var m = scale();
      return { x: view.x + (clientX - m.box.left) / m.s, y: view.y + (clientY - m.box.top) / m.s, s: m.s };
    }

    function nearest(clientX, clientY, radius) {
      var at = toMap(clientX, clientY);
      var best = null;
      var bestD = Infinity;
      points.forEach(function (p) {
        var d = (p.x - at.x) * (p.x - at.x) + (p.y - at.y) * (p.y - at.y);
        if (d < bestD) { bestD = d; best = p; }
      });
      return best && Math.sqrt(bestD) * at.s <= radius ? best : null;
    }

    function zoom(factor, mx, my) {
      var w = Math.max(size / 30, Math.min(size, view.w / factor));
      if (mx === undefined) { mx = view.x + view.w / 2; my = view.y + view.w / 2; }
      view.x = mx - (mx - view.x) * (w / view.w);
      view.y = my - (my - view.y) * (w / view.w);
      view.w = w;
      keepInside();
      apply();
    }
    function keepInside() {
      view.x = Math.max(-view.w / 2, Math.min(size - view.w / 2, view.x));
      view.y = Math.max(-view.w / 2, Math.min(size - view.w / 2, view.y));
      if (view.w >= size) { view.x = 0; view.y = 0; }
    }

    function close() {
      if (card) card.remove();
      if (current) current.el.classList.remove("pd-map-current");
      card = null;
      current = null;
    }

    function place(p) {
      var m = scale();
      var fx = (p.x - view.x) * m.s;
      var fy = (p.y - view.y) * m.s;
      var width = frame.clientWidth;
      var left = Math.max(8, Math.min(fx - card.offsetWidth / 2, width - card.offsetWidth - 8));
      var top = fy + 16;  // under the point; above it when there is no room below
      if (top + card.offsetHeight > frame.clientHeight && fy - 16 - card.offsetHeight >= 0) top = fy - 16 - card.offsetHeight;
      card.style.left = left + "px";
      card.style.top = Math.max(0, top) + "px";
    }

    function show(p) {
      if (current === p) return;
      close();
      var d = p.el.dataset;
      card = document.createElement("div");
      card.className = "pd-map-card";
      card.setAttribute("role", "dialog");
      card.setAttribute("aria-label", d.title);
      card.appendChild(text("p", "pd-map-card-title", d.title));
      card.appendChild(text("p", "pd-map-card-facts", [d.date, d.topic].filter(Boolean).join(" · ")));
      if (d.summary) card.appendChild(text("p", "pd-map-card-summary", d.summary));
      card.appendChild(text("p", "pd-map-card-cluster", "Cluster: " + d.cluster));
      var open = text("a", "pd-map-card-open md-button md-button--primary", "Open paper");
      open.href = d.href;
      card.appendChild(open);
      var dismiss = text("button", "pd-map-card-close md-button", "Close");
      dismiss.type = "button";
      dismiss.addEventListener("click", function (e) { e.preventDefault(); close(); });
      card.appendChild(dismiss);
      frame.appendChild(card);
      current = p;
      p.el.classList.add("pd-map-current");
      place(p);
    }

    // Pointers: one drags (when zoomed in, or with a mouse), two pinch, a tap without moving picks a point.
    var down = new Map();
    var gesture = null;
    svg.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "mouse" && e.button !== 0) return;
      down.set(e.pointerId, { x: e.clientX, y: e.clientY });
      try { svg.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic pointer */ }
      var all = Array.from(down.values());
      if (all.length === 1) gesture = { kind: "tap", x: e.clientX, y: e.clientY, view: Object.assign({}, view) };
      else if (all.length === 2) {
        var mid = { x: (all[0].x + all[1].x) / 2, y: (all[0].y + all[1].y) / 2 };
        gesture = { kind: "pinch", d: Math.hypot(all[0].x - all[1].x, all[0].y - all[1].y) || 1,
                    at: toMap(mid.x, mid.y), view: Object.assign({}, view) };
      }
    });
    svg.addEventListener("pointermove", function (e) {
      if (!down.has(e.pointerId)) {
        if (e.pointerType === "mouse") {  // hover: the same card a tap shows
          var p = nearest(e.clientX, e.clientY, MOUSE);
          if (p) show(p);
        }
        return;
      }
      down.set(e.pointerId, { x: e.clientX, y: e.clientY });
      var all = Array.from(down.values());
      if (gesture && gesture.kind === "pinch" && all.length === 2) {
        var d = Math.hypot(all[0].x - all[1].x, all[0].y - all[1].y);
        var mid = { x: (all[0].x + all[1].x) / 2, y: (all[0].y + all[1].y) / 2 };
        view.w = Math.max(size / 30, Math.min(size, gesture.view.w * gesture.d / d));
        var m = scale();  // the map point first under the fingers stays under them
        view.x = gesture.at.x - (mid.x - m.box.left) / m.s;
        view.y = gesture.at.y - (mid.y - m.box.top) / m.s;
        keepInside();
        apply();
        e.preventDefault();
      } else if (gesture && (gesture.kind === "tap" || gesture.kind === "drag") && all.length === 1) {
        var dx = e.clientX - gesture.x;
        var dy = e.clientY - gesture.y;
        if (gesture.kind === "tap" && Math.hypot(dx, dy) > MOVED) gesture.kind = "drag";
        if (gesture.kind === "drag" && (view.w < size || e.pointerType === "mouse")) {
          var s = scale().s;
          view.x = gesture.view.x - dx / s;
          view.y = gesture.view.y - dy / s;
          keepInside();
          apply();
        }
      }
    });
    function up(e) {
      if (!down.has(e.pointerId)) return;
      down.delete(e.pointerId);
      if (e.type === "pointerup" && gesture && gesture.kind === "tap" && down.size === 0) {
        var p = nearest(e.clientX, e.clientY, e.pointerType === "mouse" ? MOUSE : FINGER);
        if (p) show(p); else close();
      }
      if (down.size === 0) gesture = null;
    }
    svg.addEventListener("pointerup", up);
    svg.addEventListener("pointercancel", up);
    // A trackpad's pinch arrives as a wheel with Ctrl; a plain wheel scrolls the page as usual.
    svg.addEventListener("wheel", function (e) {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      var at = toMap(e.clientX, e.clientY);
      zoom(Math.exp(-e.deltaY / 200), at.x, at.y);
    }, { passive: false });

    function button(selector, action) {
      var el = frame.querySelector(selector);
      if (el) el.addEventListener("click", function (e) { e.preventDefault(); action(); });
    }
    button(".pd-map-zoom-in", function () { zoom(1.6); });
    button(".pd-map-zoom-out", function () { zoom(1 / 1.6); });
    button(".pd-map-reset", function () { view = { x: 0, y: 0, w: size }; apply(); });
    closeCard = close;
    label();
    // A turned iPad or a resized window writes the names again at the new size.
    if (window.ResizeObserver) new ResizeObserver(function () { label(); }).observe(svg);
    else window.addEventListener("resize", label);

    // A paper page's "On the map" link: #paper-... names its point; show it, a little closer.
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && points.filter(function (p) { return p.el.id === id; })[0];
    if (target) {
      zoom(2, target.x, target.y);
      show(target);
      frame.scrollIntoView({ block: "center" });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-pd-map]"), setup);
  }
  // Material's instant navigation swaps pages without reloading: set up each new page's map.
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
