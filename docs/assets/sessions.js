// « Prochaines sessions » stays true between two builds: a session whose start date has passed
// (by the visitor's clock) leaves the page; when no session that can be joined is left, the
// build's « Aucune session n'est programmée » sentence (hidden until then) is shown. The rule is
// the build's (the programme view's upcoming_sessions, generator/catalogue/view.py): a session starting
// today is still offered.
// Without JavaScript the page keeps the build's list, from which the build dropped the sessions
// already started on the build day. JSON-LD and LHÉO change only at the next build.
(function () {
  "use strict";

  function isoToday() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function dropStartedSessions() {
    var today = isoToday();
    document.querySelectorAll(".sessions-block").forEach(function (block) {
      block.querySelectorAll("li.session[data-start]").forEach(function (item) {
        if (item.getAttribute("data-start") < today) {
          item.remove();
        }
      });
      var list = block.querySelector("ul.sessions");
      if (list && !list.querySelector("li")) {
        list.remove();
      }
      var none = block.querySelector(".no-session");
      if (none && !block.querySelector("li.session:not(.session-annulée)")) {
        none.hidden = false;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", dropStartedSessions);
  } else {
    dropStartedSessions();
  }
})();
