/* Lint for the web edition's script (a browser script, no modules) and its tests (node). */
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  js.configs.recommended,
  {
    files: ["map.js"],
    languageOptions: { ecmaVersion: 2020, sourceType: "script", globals: globals.browser },
    rules: { strict: ["error", "global"], "no-var": "error", "prefer-const": "error", eqeqeq: "error" },
  },
  {
    /* the tests run in node, and hand functions to the page, which run in the browser */
    files: ["test/**/*.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "commonjs",
      globals: { ...globals.node, ...globals.browser } },
    rules: { "no-var": "error", "prefer-const": "error", eqeqeq: "error" },
  },
];
