// The facet counts of a search with many matches load after its hits: the counts replace
// the link to them (which still works without this script).
document.querySelectorAll("[data-facets]").forEach(function (box) {
  fetch(box.getAttribute("data-facets"), { headers: { accept: "text/html" } })
    .then(function (r) {
      if (!r.ok) { throw new Error("facets: " + r.status); }
      return r.text();
    })
    .then(function (html) { box.outerHTML = html; })
    .catch(function () { box.classList.add("failed"); });
});
