/* The player on the content address: the SCORM runtime (scorm-again) next to the SCO, so that
   the SCO finds window.API (SCORM 1.2) or window.API_1484_11 (SCORM 2004) as the standard
   says. It loads the learner's saved data, commits to Gilde with a sequence number (the server
   keeps only newer data), and tells Gilde's page (by postMessage, to that origin only) when
   the SCO has finished or asks to go elsewhere. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gilde-launch").textContent);
  var is12 = data.standard === "scorm12";
  var seq = data.seq || 0;
  var navRequest = "";
  var fromServer = {request: "", target: ""};
  var initialized = false;
  var finished = false;
  var unloading = false;

  function tell(message) {
    if (window.parent !== window) { window.parent.postMessage(message, data.page_origin); }
  }

  function parseNav(value) {
    var match = /^\{target=([^}]+)\}(choice|jump)$/.exec(value || "");
    if (match) { return {request: match[2], target: match[1]}; }
    return {request: value || "", target: ""};
  }

  var Runtime = is12 ? window.Scorm12API : window.Scorm2004API;
  var api = new Runtime({
    lmsCommitUrl: data.commit_url,
    autocommit: true,
    autocommitSeconds: 30,
    logLevel: 4,
    requestHandler: function (commitObject, meta) {
      seq += 1;
      var cmi = commitObject && commitObject.cmi ? commitObject.cmi : commitObject;
      return {seq: seq, terminate: !!(meta && meta.isTerminateCommit), nav: navRequest, cmi: cmi};
    },
    xhrResponseHandler: function (xhr) {
      var body = {};
      try { body = JSON.parse(xhr.responseText || "{}"); } catch (e) { body = {}; }
      if (body.next) { fromServer = {request: body.next, target: body.target || ""}; }
      var ok = xhr.status === 200 && (body.result === "true" || body.result === true);
      return {result: ok ? "true" : "false", errorCode: ok ? 0 : 101};
    },
    responseHandler: function (response) {
      return response.json().then(function (body) {
        if (body.next) { fromServer = {request: body.next, target: body.target || ""}; }
        var ok = response.status === 200 && (body.result === "true" || body.result === true);
        return {result: ok ? "true" : "false", errorCode: ok ? 0 : 101};
      });
    }
  });
  api.loadFromJSON(data.cmi);
  if (is12) { window.API = api; } else { window.API_1484_11 = api; }

  api.on(is12 ? "LMSInitialize" : "Initialize", function () { initialized = true; });
  api.on("SetValue.adl.nav.request", function (element, value) { navRequest = value; });
  api.on(is12 ? "LMSFinish" : "Terminate", function () {
    finished = true;
    setTimeout(function () {
      if (unloading) { tell({type: "gilde-scorm:unloaded"}); return; }
      var asked = navRequest && navRequest !== "_none_" ? parseNav(navRequest) : fromServer;
      if (asked.request) {
        tell({type: "gilde-scorm:navigate", request: asked.request, target: asked.target});
      } else {
        tell({type: "gilde-scorm:finished"});
      }
    // A moment for the server to finish the terminating commit before the page moves on.
    }, 200);
  });

  function finishForTheSco() {
    // The SCO was closed without finishing: finish on its behalf so its time and data count.
    if (initialized && !finished) {
      if (is12) { api.LMSFinish(""); } else { api.Terminate(""); }
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== data.page_origin || event.source !== window.parent) { return; }
    if ((event.data || {}).type === "gilde-scorm:unload") {
      unloading = true;
      var frame = document.getElementById("sco");
      frame.src = "about:blank";
      setTimeout(function () {
        finishForTheSco();
        tell({type: "gilde-scorm:unloaded"});
      }, 50);
    }
  });

  window.addEventListener("pagehide", function () {
    if (!initialized || finished || !navigator.sendBeacon) { return; }
    seq += 1;
    var cmi = api.renderCommitCMI(true);
    var body = JSON.stringify({seq: seq, terminate: true, nav: navRequest, cmi: cmi && cmi.cmi ? cmi.cmi : cmi});
    navigator.sendBeacon(data.commit_url, new Blob([body], {type: "application/json"}));
    finished = true;
  });

  document.getElementById("sco").src = data.content_url;
})();
