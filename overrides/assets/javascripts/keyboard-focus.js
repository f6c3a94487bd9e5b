/* Keyboard focus where the reader can see it, in two places the theme leaves it elsewhere. */
document.addEventListener("DOMContentLoaded", function () {
  /* The picture lightbox (GLightbox, started by mkdocs-glightbox as `lightbox`) as a dialog a
     keyboard or screen-reader user can follow: named by its step's heading, its picture with the
     step's alt text (GLightbox leaves it empty), focus on its close button while it is open, and
     back on the picture that opened it when it closes (Esc, the close button, a tap outside):
     GLightbox leaves focus behind the dialog, then nowhere, so one started again from the top. */
  /* Our pictures have no caption: GLightbox still leaves an empty one, an empty heading to a
     screen reader, in the slides it prepares. */
  function hideEmptyCaptions(dialog) {
    if (!dialog) return;
    dialog.querySelectorAll(".gslide-description").forEach(function (caption) {
      if (!caption.textContent.trim()) caption.setAttribute("aria-hidden", "true");
    });
  }

  if (typeof lightbox !== "undefined") {
    var opener = null;
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.glightbox");
      if (link) opener = link;
    }, true);
    lightbox.on("open", function () {
      var dialog = document.getElementById("glightbox-body");
      var step = opener && opener.closest(".guide-step");
      var heading = step && step.previousElementSibling;
      if (dialog && heading && heading.id) dialog.setAttribute("aria-labelledby", heading.id);
      if (dialog) dialog.setAttribute("aria-modal", "true");
      /* The class too: GLightbox then keeps Tab among its own buttons; without it, Tab from a
         button leaves the dialog. */
      var close = dialog && dialog.querySelector(".gclose");
      if (close) {
        close.focus();
        close.classList.add("focused");
      }
      hideEmptyCaptions(dialog);
    });
    lightbox.on("slide_after_load", function (data) {
      var shown = data.slide && data.slide.querySelector(".gslide-image img");
      var source = data.trigger && data.trigger.querySelector("img");
      if (shown && source) shown.alt = source.alt;
      hideEmptyCaptions(document.getElementById("glightbox-body"));
    });
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
