/* Gilde's page around a package: lets the player (on the content address) finish the SCO
   before the learner moves on, and follows the navigation a SCO asks for. Messages are only
   taken from the player frame itself, on the content address. Without JavaScript the
   navigation forms work as plain forms. */
(function () {
  "use strict";
  var frame = document.getElementById("scorm-frame");
  if (!frame) { return; }
  var contentOrigin = frame.getAttribute("data-content-origin");
  var navUrl = frame.getAttribute("data-nav-url");
  var token = document.querySelector("#scorm-nav input[name=csrfmiddlewaretoken]");
  var pending = null;
  var timer = null;

  function post(action, fields) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = action;
    form.hidden = true;
    var all = [["csrfmiddlewaretoken", token ? token.value : ""]].concat(fields);
    all.forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = pair[0];
      input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function release() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!pending) { return; }
    var go = pending;
    pending = null;
    post(go.action, go.fields);
  }

  document.querySelectorAll("form.scorm-nav-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var fields = [];
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken") { fields.push([name, String(value)]); }
      });
      if (event.submitter && event.submitter.name) {
        fields.push([event.submitter.name, event.submitter.value]);
      }
      pending = {action: form.action, fields: fields};
      // Ask the player to close the SCO (it saves its data), then go; at most 5 seconds.
      frame.contentWindow.postMessage({type: "gilde-scorm:unload"}, contentOrigin);
      timer = setTimeout(release, 5000);
    });
  });

  window.addEventListener("message", function (event) {
    if (event.origin !== contentOrigin || event.source !== frame.contentWindow) { return; }
    var data = event.data || {};
    if (data.type === "gilde-scorm:unloaded") {
      release();
    } else if (data.type === "gilde-scorm:finished" && frame.hasAttribute("data-single")) {
      // A course of one part is over when that part finishes: back to the course page.
      post(navUrl, [["request", "exit"], ["target", ""]]);
    } else if (data.type === "gilde-scorm:navigate" && typeof data.request === "string") {
      post(navUrl, [["request", data.request], ["target", String(data.target || "")]]);
    }
  });
})();
