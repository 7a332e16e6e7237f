import type { TestProject } from "vitest/node";
import { createFreshDatabase } from "../../scripts/fresh-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const database = await createFreshDatabase("unit");
  project.provide("databaseUrl", database.url);
  return () => database.drop();
}
