/* Keyboard focus where the reader can see it, in two places the theme leaves it elsewhere. */
document.addEventListener("DOMContentLoaded", function () {
  /* The picture lightbox (GLightbox, started by mkdocs-glightbox as `lightbox`) as a dialog a
     keyboard or screen-reader user can follow: named by the heading of the step it shows, its
     picture with the step's alt text (GLightbox leaves it empty), focus on its close button while
     it is open, and back on the picture last shown when it closes (Esc, the close button, a tap
     outside): GLightbox leaves focus behind the dialog, then nowhere, so one started again from
     the top of the page. */
  if (typeof lightbox !== "undefined") {
    var shownLink = null;  /* the picture's link on the page, for the slide on screen */
    var dialog = function () { return document.getElementById("glightbox-body"); };

    var nameDialog = function () {
      var step = shownLink && shownLink.closest(".guide-step");
      var heading = step && step.previousElementSibling;
      if (dialog() && heading && heading.id) dialog().setAttribute("aria-labelledby", heading.id);
    };

    /* Our pictures have no caption: GLightbox still prepares an empty one, an empty heading to
       a screen reader. */
    var hideEmptyCaptions = function () {
      if (!dialog()) return;
      dialog().querySelectorAll(".gslide-description").forEach(function (caption) {
        if (!caption.textContent.trim()) caption.setAttribute("aria-hidden", "true");
      });
    };

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.glightbox");
      if (link) shownLink = link;
    }, true);
    lightbox.on("open", function () {
      nameDialog();
      dialog().setAttribute("aria-modal", "true");
      /* The class too: GLightbox then keeps Tab among its own buttons; without it, Tab from a
         button leaves the dialog. */
      var close = dialog().querySelector(".gclose");
      if (close) {
        close.focus();
        close.classList.add("focused");
      }
      hideEmptyCaptions();
    });
    lightbox.on("slide_changed", function (data) {
      if (data.current && data.current.trigger) shownLink = data.current.trigger;
      nameDialog();
    });
    lightbox.on("slide_after_load", function (data) {
      var shown = data.slide && data.slide.querySelector(".gslide-image img");
      var source = data.trigger && data.trigger.querySelector("img");
      if (shown && source) shown.alt = source.alt;
      hideEmptyCaptions();
    });
    lightbox.on("close", function () {
      if (shownLink && shownLink.isConnected) shownLink.focus();
      shownLink = null;
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
