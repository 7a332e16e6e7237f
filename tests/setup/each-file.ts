import { afterEach, beforeEach, expect, inject, vi } from "vitest";

// Every test file talks to the run's own database; set before any app module reads the environment.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.APP_ENV = "test";

// An unexpected console.error is a failure: it is how Remix and React report what went wrong.
let consoleError: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  consoleError = vi.spyOn(console, "error");
});
afterEach(() => {
  expect(consoleError, "console.error a été appelé pendant le test").not.toHaveBeenCalled();
  consoleError.mockRestore();
});
