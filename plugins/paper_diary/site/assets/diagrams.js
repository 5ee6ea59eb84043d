// Draws the page's ```mermaid blocks with the diary's own copy of Mermaid (mermaid/mermaid.min.js, loaded just
// before this script), as Obsidian draws them: Mermaid's default theme in light, its dark theme in dark; drawn
// again when the reader switches Material's palette. A block Mermaid cannot read keeps its source, under a
// one-line message. Material's instant navigation runs this script again on each page that has a diagram.
(function () {
  "use strict";
  let counter = 0;

  function theme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "default";
  }

  function firstLine(error) {
    const text = String((error && (error.message || error.str)) || error || "unknown error");
    const lines = text.split("\n").map((line) => line.trim()).filter((line) => line);
    // Mermaid's parse errors: "Parse error on line 3:", the line, a caret, then what it expected.
    const expecting = lines.find((line) => line.startsWith("Expecting") || line.startsWith("Unrecognized"));
    const line = [lines[0] || text, expecting].filter(Boolean).join(" ");
    return line.length > 120 ? line.slice(0, 119) + "…" : line;
  }

  async function draw() {
    const mermaid = window.mermaid;
    const boxes = document.querySelectorAll(".pd-diagram");
    if (!mermaid || !boxes.length) return;
    const wanted = theme();
    mermaid.initialize({ startOnLoad: false, theme: wanted, securityLevel: "strict", suppressErrorRendering: true });
    for (const box of boxes) {
      if (box.dataset.pdTheme === wanted) continue;
      box.dataset.pdTheme = wanted;
      const source = box.querySelector(".pd-diagram-source").textContent;
      const drawing = box.querySelector(".pd-diagram-drawing");
      const message = box.querySelector(".pd-diagram-message");
      const id = "pd-diagram-" + (++counter);
      try {
        const { svg } = await mermaid.render(id, source);
        drawing.innerHTML = svg;
        message.hidden = true;
        box.classList.add("pd-diagram-drawn");
        box.classList.remove("pd-diagram-failed");
      } catch (error) {
        for (const left of document.querySelectorAll("#" + id + ", #d" + id)) left.remove();
        drawing.innerHTML = "";
        message.textContent = "This diagram could not be drawn: " + firstLine(error);
        message.hidden = false;
        box.classList.add("pd-diagram-failed");
        box.classList.remove("pd-diagram-drawn");
      }
    }
  }

  if (!window.pdDiagramsWatch) {  // once per visit: redraw when the palette changes
    window.pdDiagramsWatch = new MutationObserver(() => draw());
    window.pdDiagramsWatch.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }
  draw();
})();
