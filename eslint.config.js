import { readdirSync } from "node:fs";
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

// Another area's server code is reached only through its public face, `index.server.ts`; its pure modules
// (schemas, rules, labels, dates), which the browser also gets, may be imported directly.
// Every folder of app/domain is an area, read from the tree: a new stream's folder is covered without an edit here.
const AREAS = readdirSync(new URL("./app/domain", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
// Test code stays out of what runs: `npm start` seeds the demo, so the seed building it with tests' factories
// would load test code at server start. The domain's provisioning serves both.
const NO_TESTS = { regex: "(^|/)tests(/|$)", message: "Only tests import tests/: use the domain (its provisioning)." };
const throughIndexOnly = (own) => ({
  "no-restricted-imports": [
    "error",
    {
      patterns: [
        {
          regex: `^~/domain/(?!${own ? `${own}/` : "$^"})[^/]+/(?!index\\.server$)[^/]+\\.server$`,
          message: "Import another area's server code through its index.server.ts.",
        },
        NO_TESTS,
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ["build/", "public/build/", "app/generated/", ".cache/", "node_modules/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
  // Tests and benchmarks may reach into an area to test its parts; the app may not.
  { files: ["app/**", "server.ts", "prisma/**", "scripts/**"], rules: throughIndexOnly(null) },
  { files: ["bench/**"], rules: { "no-restricted-imports": ["error", { patterns: [NO_TESTS] }] } },
  { files: ["app/**/*.tsx"], ...reactHooks.configs.flat["recommended-latest"] },
  ...AREAS.map((area) => ({ files: [`app/domain/${area}/**`], rules: throughIndexOnly(area) })),
);
