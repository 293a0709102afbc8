// Runs first thing in <body>: GOV.UK Frontend styles its components' scripted states only when this is set.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
