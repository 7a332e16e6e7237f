import { withDatabase } from "./with-database";

// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
await withDatabase(async (url) => {
  console.log(`Migrations à jour sur ${url.replace(/:[^:@/]*@/, ":***@")}`);
});
