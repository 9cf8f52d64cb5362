// Injected by `evidentia serve` only (never part of a built site): reloads the page when
// the site has been rebuilt, or when its sources turned bad or good again.
(function () {
  "use strict";
  if (!window.EventSource) {
    return;
  }
  var events = new EventSource("/__evidentia/events");
  events.addEventListener("reload", function () {
    window.location.reload();
  });
})();
