// While reports are added, the job's progress is fetched every two seconds and put in place:
// the page is not reloaded, so a screen reader is not sent back to its top each time. When the
// job ends, the form and the list of reports are brought up to date and what happened is said
// once (a status region). Without this script the page reloads itself every few seconds.
(function () {
  var job = document.getElementById("job");
  if (!job || job.getAttribute("data-running") !== "1") { return; }
  function poll() {
    fetch(location.pathname, { headers: { accept: "text/html" } })
      .then(function (r) {
        if (!r.ok) { throw new Error("job: " + r.status); }
        return r.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("job");
        if (!fresh) { return; }
        job.innerHTML = fresh.innerHTML;
        if (fresh.getAttribute("data-running") === "1") { setTimeout(poll, 2000); return; }
        job.setAttribute("data-running", "0");
        ["upload", "indexed"].forEach(function (id) {
          var here = document.getElementById(id), there = page.getElementById(id);
          if (here && there) { here.outerHTML = there.outerHTML; }
        });
        var said = document.getElementById("job-said"), done = job.querySelector("h2 + p");
        if (said) { said.textContent = "Done." + (done ? " " + done.textContent : ""); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 2000);
})();
