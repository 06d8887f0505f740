// Download links (a[data-download]): while the server builds the file, the link is disabled and
// the status next to it says "Đang tạo…". The link is followed with ?dl=<token>; the server sends
// the token back in a cookie with the file, which is how the page learns the download started.
// Without JavaScript the links are plain links.
(function () {
  "use strict";
  var COOKIE = "trienkhai_download=";
  var LIMIT = 180000; // give up waiting after 3 minutes (LibreOffice times out at 2)

  function arrived(token) {
    return document.cookie.split(/;\s*/).indexOf(COOKIE + token) !== -1;
  }

  function status(link) {
    var next = link.nextElementSibling;
    return next && next.classList.contains("download-busy") ? next : null;
  }

  function setBusy(link, busy) {
    var box = status(link);
    if (busy) {
      link.setAttribute("aria-disabled", "true");
    } else {
      link.removeAttribute("aria-disabled");
    }
    if (box) box.textContent = busy ? link.dataset.busy || "…" : "";
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[data-download]") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    var token = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
    var url = new URL(link.href, window.location.href);
    url.searchParams.set("dl", token);
    setBusy(link, true);
    var started = Date.now();
    var timer = window.setInterval(function () {
      if (arrived(token) || Date.now() - started > LIMIT) {
        window.clearInterval(timer);
        setBusy(link, false);
      }
    }, 250);
    // An attachment does not replace the page; an error page (e.g. 503 without LibreOffice) does.
    window.location.href = url.toString();
  });
})();
