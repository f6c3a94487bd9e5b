/* Keyboard focus where the reader can see it, in two places the theme leaves it elsewhere. */
document.addEventListener("DOMContentLoaded", function () {
  /* Closing the picture lightbox (GLightbox, started by mkdocs-glightbox as `lightbox`) puts
     focus back on the picture that opened it; GLightbox leaves it nowhere, so after Esc a
     keyboard or screen-reader user starts again from the top of the page. */
  if (typeof lightbox !== "undefined") {
    var opener = null;
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.glightbox");
      if (link) opener = link;
    }, true);
    lightbox.on("close", function () {
      if (opener && opener.isConnected) opener.focus();
      opener = null;
    });
  }

  /* On a phone, Material fixes the page in place while search is open. Tabbing out of the search
     box moves focus to the next link while the page cannot scroll, so that link stays off-screen
     once the page is free again: bring it into view then. */
  new MutationObserver(function () {
    var focused = document.activeElement;
    if (document.body.hasAttribute("data-md-scrolllock") || !focused || focused === document.body) return;
    var box = focused.getBoundingClientRect();
    if (box.bottom < 0 || box.top > window.innerHeight) focused.scrollIntoView({block: "nearest"});
  }).observe(document.body, {attributes: true, attributeFilter: ["data-md-scrolllock"]});
});
