// A page that refused a form takes the reader straight to the list of what to fix, as
// GOV.UK's error summary does; the summary says where each problem is and links to it.
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
