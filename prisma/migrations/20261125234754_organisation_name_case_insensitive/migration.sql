-- Hand-written: organisation names are unique within a pole whatever their case ("Compost Commun" and
-- "compost commun" are one organisation). The domain checks it for a nice message; this index settles races.
CREATE UNIQUE INDEX "Organisation_poleId_lower_name_key" ON "Organisation" ("poleId", lower("name"));
