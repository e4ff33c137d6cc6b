// Small fixes for the static book, loaded first on every page.

// 1. The theme reads its light/dark mode from localStorage and logs an error on a
//    first visit, when there is none yet. Start first-time visitors in light mode.
if (!document.documentElement.dataset.mode) {
  document.documentElement.dataset.mode = "light";
}

// 2. The widget manager typesets labels with MathJax 2's `MathJax.Hub.Queue`;
//    the book ships MathJax 3. Give it that one function, backed by MathJax 3.
(function () {
  const hub = {
    Queue: function () {
      if (window.MathJax && window.MathJax.typesetPromise) {
        window.MathJax.typesetPromise().catch(function () {});
      }
    },
  };
  function install() {
    if (window.MathJax && !window.MathJax.Hub) {
      window.MathJax.Hub = hub;
    }
  }
  install();
  document.addEventListener("DOMContentLoaded", install);
})();
