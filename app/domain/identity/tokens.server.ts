import { createHash, randomBytes } from "node:crypto";

// Emailed links carry a random token; only its SHA-256 is stored, so a database read leaks no usable link.
export const newToken = () => randomBytes(32).toString("base64url");

export const digestToken = (token: string) => createHash("sha256").update(token).digest("hex");
