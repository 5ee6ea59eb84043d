// Install the diary's service worker (written at the site root by the paper-diary plugin): after the first
// visit it keeps every page, the search index and the assets, so the diary reads with no network.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var root = new URL("../../", document.currentScript.src);  // this file is assets/paper-diary/offline.js
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.pathname })
      .catch(function (error) { console.warn("paper-diary: no offline copy:", error); });
  });
})();
