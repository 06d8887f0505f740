// Every htmx request (and any script's fetch through window.trienkhaiCsrf) carries the session's
// CSRF token from <meta name="csrf-token">: the server refuses cookie-authenticated writes to
// /api/v1 without it, so another site cannot post with the user's cookie.
(function () {
  "use strict";
  function token() {
    // hx-boost swaps only the body, so a form's hidden field is fresher than the head's meta
    // (signing in starts a new session with a new token).
    var field = document.querySelector('input[name="csrf"]');
    if (field && field.value) return field.value;
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  window.trienkhaiCsrf = token;
  document.addEventListener("htmx:configRequest", function (event) {
    var value = token();
    if (value) event.detail.headers["X-CSRF-Token"] = value;
  });
})();
