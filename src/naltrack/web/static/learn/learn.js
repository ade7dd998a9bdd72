// Ask page: submit the question without reloading the page. Without JavaScript the same form
// posts normally and the server renders the whole page; here we post it with fetch, ask the
// server for just the result part (X-Requested-With: fetch) and put it in place.
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  var target = document.getElementById("ask-result");
  var status = document.getElementById("ask-status");
  if (!form || !target || !window.fetch || !window.FormData) { return; }
  var button = form.querySelector("button[type=submit]");

  function setBusy(busy) {
    if (button) { button.disabled = busy; }
    form.setAttribute("aria-busy", busy ? "true" : "false");
    if (status) { status.textContent = busy ? "Looking for an answer\u2026" : ""; }
  }

  function show(html) {
    target.innerHTML = html;  // server-rendered, escaped by Django's templates
    var examples = document.querySelector(".ask-examples");
    if (examples) { examples.hidden = true; }
    var heading = target.querySelector("h2, [role=alert]");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) { heading.setAttribute("tabindex", "-1"); }
      heading.focus();
    }
  }

  function ask(question) {
    var data = new FormData(form);
    if (typeof question === "string") { data.set("question", question); }
    setBusy(true);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      show(html);
    }).catch(function () {
      // The network failed: fall back to an ordinary form post.
      form.submit();
    }).then(function () { setBusy(false); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    ask();
  });

  Array.prototype.forEach.call(document.querySelectorAll(".example-form"), function (exampleForm) {
    exampleForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var question = exampleForm.querySelector("input[name=question]").value;
      var box = form.querySelector("textarea[name=question]");
      if (box) { box.value = question; }
      ask(question);
    });
  });
}());
