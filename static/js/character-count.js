// Character counts under long text boxes, after GOV.UK's pattern. The page already says
// "You can enter up to N characters"; this tells people how many are left, or over, as they
// type. Nothing is ever cut: the server refuses a text that is too long, in words.
(function () {
  "use strict";

  var SETTLE_MS = 800; // announce once typing pauses, not at every key

  // Browsers send each line break as two characters (CR LF), and the server counts what it
  // receives; count the same way, so "0 remaining" is never refused.
  function length(text) {
    return text.replace(/\r?\n/g, "\r\n").length;
  }

  var LANGUAGE = document.documentElement.lang || "en-GB";
  // Which plural form a number takes in the page's language: "one", "few", "many", "other" ...
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(LANGUAGE) : null;

  // The words come from the page, in its language: the text box carries each message in a form
  // for each plural category (data-remaining-one, data-over-few, ...), "{count}" for the number.
  function message(box, limit, used) {
    var left = limit - used;
    var n = Math.abs(left);
    var prefix = left >= 0 ? "data-remaining-" : "data-over-";
    var name = prefix + (plurals ? plurals.select(n) : n === 1 ? "one" : "other");
    if (!box.hasAttribute(name)) name = prefix + "other";
    return (box.getAttribute(name) || "").split("{count}").join(n.toLocaleString(LANGUAGE));
  }

  function attach(box) {
    var limit = parseInt(box.getAttribute("data-character-count"), 10);
    var hint = document.getElementById(box.id + "-count");
    if (!limit || !hint || !box.hasAttribute("data-remaining-other")) return;
    // The static hint stays for screen readers, as the box's description; sighted readers see
    // a count that follows every key, while a polite live region speaks once typing settles.
    var shown = document.createElement("p");
    shown.className = "character-count__message";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    hint.classList.add("visually-hidden");
    hint.after(shown, spoken);
    var timer = null;

    function update(announce) {
      var used = length(box.value);
      shown.textContent = message(box, limit, used);
      shown.classList.toggle("character-count__message--over", used > limit);
      if (!announce) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        spoken.textContent = message(box, limit, length(box.value));
      }, SETTLE_MS);
    }

    box.addEventListener("input", function () { update(true); });
    update(false);
  }

  function start() {
    document.querySelectorAll("textarea[data-character-count]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
