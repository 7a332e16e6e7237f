// PostgreSQL's SQLSTATE of a failed query, however Prisma and its pg adapter wrapped it.
export function sqlState(error: unknown): string | undefined {
  const e = error as {
    code?: string;
    cause?: { originalCode?: string };
    meta?: { driverAdapterError?: { cause?: { originalCode?: string } } };
  } | null;
  if (!e) return undefined;
  if (e.code === "P2002") return "23505";
  if (e.code === "P2003") return "23503";
  return (
    e.cause?.originalCode ??
    e.meta?.driverAdapterError?.cause?.originalCode ??
    (e.code && /^[0-9A-Z]{5}$/.test(e.code) ? e.code : undefined)
  );
}

/** An exclusion constraint refused the row (e.g. an overlapping booking). */
export const isExclusionViolation = (error: unknown) => sqlState(error) === "23P01";
export const isUniqueViolation = (error: unknown) => sqlState(error) === "23505";
/** A row refers to one that is not there (any more). */
export const isForeignKeyViolation = (error: unknown) => sqlState(error) === "23503";
export const isCheckViolation = (error: unknown) => sqlState(error) === "23514";
