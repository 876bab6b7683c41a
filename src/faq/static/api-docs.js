// Starts Swagger UI on /api/docs (a file, not an inline script: the Content-Security-Policy
// allows scripts from this server only). No online validator: it would call a third party.
(function () {
  "use strict";
  var openapi = document.currentScript.dataset.openapi;
  window.ui = SwaggerUIBundle({
    url: openapi,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
