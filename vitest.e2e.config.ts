import path from "node:path";
import { defineConfig } from "vitest/config";

// Browser journeys against the built app (run `npm run build` first; `npm test` does).
export default defineConfig({
  resolve: { alias: { "~": path.resolve(__dirname, "app") } },
  test: {
    include: ["tests/e2e/**/*.e2e.test.ts"],
    globalSetup: ["tests/e2e/setup/server.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 150_000,
  },
});
