// Copy buttons beside read-only fields marked data-copy (the xAPI client's address, key and
// secret). Without this script the fields still work: select the text and copy it.
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("copy-status");
  document.querySelectorAll("input[data-copy]").forEach(function (field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary copy-button";
    button.textContent = field.dataset.copyLabel;
    button.setAttribute("aria-describedby", field.id);
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      var done = function () {
        if (status) status.textContent = field.labels[0].textContent + ": " + field.dataset.copied;
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done);
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    });
    field.insertAdjacentElement("afterend", button);
  });
});
