// The inline script of mkdocs-material 9.8.1's partials/javascripts/announce.html, as a file:
// the site's Content-Security-Policy allows no inline script.
var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.querySelector(".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidden=!0)}
