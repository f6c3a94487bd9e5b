/* A guide of several device paths ("On a computer", "On a phone"): the page holds each path as a
   level-2 heading (h2.guide-path-title, its id the path's) followed by its steps, all readable in
   order without this script and on paper. Here they become tabs (WAI-ARIA tabs pattern): a
   tablist of buttons, one tabpanel per path, arrow keys (mirrored right to left), Home and End.
   The address's fragment chooses the tab (#phone, or the anchor of a step in it) and follows it.
   No library, no request: the page also works opened from a folder (file://). */
document.addEventListener("DOMContentLoaded", function () {
  var marker = document.querySelector("[data-guide-paths]");
  if (!marker) return;
  var headings = Array.prototype.filter.call(
    marker.parentNode.children, function (node) { return node.matches("h2.guide-path-title"); });
  if (headings.length < 2) return;
  var rtl = document.documentElement.dir === "rtl";

  var tablist = document.createElement("div");
  tablist.className = "guide-paths__tabs";
  tablist.setAttribute("role", "tablist");
  tablist.setAttribute("aria-label", marker.getAttribute("data-label") || "");
  marker.appendChild(tablist);

  /* Each path's heading and what follows it, up to the next path or the next other h2 (the
     handouts, the source), moved into its panel. */
  var tabs = [], panels = [];
  headings.forEach(function (heading) {
    var id = heading.id;
    var panel = document.createElement("div");
    panel.className = "guide-path-panel";
    panel.id = "panel-" + id;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", "tab-" + id);
    panel.tabIndex = 0;
    var node = heading, next;
    heading.parentNode.insertBefore(panel, heading);
    while (node) {
      next = node.nextElementSibling;
      panel.appendChild(node);
      if (!next || next.tagName === "H2") break;
      node = next;
    }
    var tab = document.createElement("button");
    tab.type = "button";
    tab.className = "guide-paths__tab";
    tab.id = "tab-" + id;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", panel.id);
    tab.textContent = heading.textContent.trim();
    tab.addEventListener("click", function () { select(id, false, true); });
    tablist.appendChild(tab);
    tabs.push(tab);
    panels.push(panel);
  });
  marker.classList.add("guide-paths--tabs");
  document.body.classList.add("guide-has-tabs");

  function select(id, focus, remember) {
    tabs.forEach(function (tab, i) {
      var chosen = panels[i].id === "panel-" + id;
      tab.setAttribute("aria-selected", chosen ? "true" : "false");
      tab.tabIndex = chosen ? 0 : -1;
      panels[i].hidden = !chosen;
      if (chosen && focus) tab.focus();
    });
    if (remember && location.hash !== "#" + id) {
      try { history.replaceState(null, "", "#" + id); } catch (e) { /* a sandboxed frame */ }
    }
  }

  tablist.addEventListener("keydown", function (event) {
    var at = tabs.indexOf(document.activeElement);
    if (at < 0) return;
    var forward = rtl ? "ArrowLeft" : "ArrowRight", back = rtl ? "ArrowRight" : "ArrowLeft";
    var to = {Home: 0, End: tabs.length - 1}[event.key];
    if (event.key === forward) to = (at + 1) % tabs.length;
    if (event.key === back) to = (at - 1 + tabs.length) % tabs.length;
    if (to === undefined) return;
    event.preventDefault();
    select(tabs[to].id.slice(4), true, true);
  });

  /* The tab the fragment names: a path (#phone) or something inside one (#phone-open-settings). */
  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    var panel = target && target.closest(".guide-path-panel");
    if (!panel) return false;
    select(panel.id.slice(6), false, false);
    target.scrollIntoView();
    return true;
  }
  window.addEventListener("hashchange", follow);
  if (!follow()) select(headings[0].id, false, false);
});
