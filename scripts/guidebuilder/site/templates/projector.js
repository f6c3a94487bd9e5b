// The projector view (projector.html.j2): one screen at a time. Next: the button, ArrowRight,
// Page Down (what presentation clickers send) or the space bar; previous: the button, ArrowLeft,
// Page Up or Shift+space; Home and End: the first and last screen. In a right-to-left language the
// arrow keys follow the page: ArrowLeft goes forward. Each change is announced (aria-live), and
// the address keeps the screen (#step-...), so reloading stays on it. Without this script the
// page shows every screen in order.
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  const screens = [...document.querySelectorAll(".screen")];
  const controls = document.querySelector(".controls");
  const live = controls.querySelector("[aria-live]");
  const previous = controls.querySelector("[data-go=previous]");
  const next = controls.querySelector("[data-go=next]");
  const rtl = document.documentElement.dir === "rtl";
  let current = -1;

  // A step's picture beside its text or under it, whichever shows it larger with all the text in
  // view: a strip of settings is larger across the screen, a tall menu beside the text. Measured
  // on the screen as shown, so it follows the window, the zoom and the length of the text.
  function arrange(screen) {
    const picture = screen.querySelector(".screen__picture");
    if (!picture) return;
    const text = screen.querySelector(".screen__text");
    const bottom = controls.getBoundingClientRect().top;
    const layouts = [false, true].map((wide) => {
      screen.classList.toggle("screen--wide", wide);
      const box = picture.getBoundingClientRect();
      return {
        wide,
        fits: text.scrollHeight <= text.clientHeight + 1 && text.getBoundingClientRect().bottom <= bottom,
        scale: Math.min(box.width / picture.getAttribute("width"),
                        box.height / picture.getAttribute("height")),
      };
    });
    const best = layouts.filter((layout) => layout.fits).concat(layouts)
      .reduce((a, b) => (b.fits === a.fits && b.scale > a.scale ? b : a));
    screen.classList.toggle("screen--wide", best.wide);
  }

  function show(index, announce) {
    index = Math.max(0, Math.min(screens.length - 1, index));
    if (index === current) return;
    current = index;
    screens.forEach((screen, i) => { screen.hidden = i !== index; });
    arrange(screens[index]);
    previous.setAttribute("aria-disabled", String(index === 0));
    next.setAttribute("aria-disabled", String(index === screens.length - 1));
    try {
      history.replaceState(null, "", "#" + screens[index].id);
    } catch (error) {
      // some browsers refuse it on file://: the screen is then not kept on reload
    }
    if (announce) live.textContent = screens[index].dataset.announce;
  }

  controls.hidden = false;
  const start = screens.findIndex((screen) => "#" + screen.id === location.hash);
  show(Math.max(start, 0), false);
  addEventListener("resize", () => arrange(screens[current]));
  previous.addEventListener("click", () => show(current - 1, true));
  next.addEventListener("click", () => show(current + 1, true));

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const onControl = event.target.closest && event.target.closest("button, a");
    if (onControl && (event.key === " " || event.key === "Enter")) return; // the control's own
    const forward = rtl ? "ArrowLeft" : "ArrowRight";
    const back = rtl ? "ArrowRight" : "ArrowLeft";
    let target;
    if (event.key === forward || event.key === "PageDown") target = current + 1;
    else if (event.key === back || event.key === "PageUp") target = current - 1;
    else if (event.key === " ") target = current + (event.shiftKey ? -1 : 1);
    else if (event.key === "Home") target = 0;
    else if (event.key === "End") target = screens.length - 1;
    else return;
    event.preventDefault();
    show(target, true);
  });
});
