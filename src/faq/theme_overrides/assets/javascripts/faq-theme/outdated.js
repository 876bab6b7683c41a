// The inline script of mkdocs-material 9.8.1's partials/javascripts/outdated.html, as a file:
// the site's Content-Security-Policy allows no inline script.
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.dataset.base),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
