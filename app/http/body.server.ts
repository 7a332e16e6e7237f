import type { RequestHandler } from "express";
import { refuse } from "./refusal.server";

/**
 * Reads a request's body into memory, counting bytes as they arrive — chunked or not, whatever Content-Length
 * claims — and stops reading at the cap: the answer is 413 and the connection is closed rather than drained.
 * The body is kept in `res.locals.body` for the Remix adapter.
 */
export function cappedBody(limitBytes: number): RequestHandler {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    const tooLarge = () => refuse(req, res, 413, "Requête trop volumineuse.");
    if (Number(req.headers["content-length"] ?? 0) > limitBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.off("data", onData).off("end", onEnd);
        req.pause();
        tooLarge();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      res.locals.body = Buffer.concat(chunks, size);
      next();
    };
    req.on("data", onData).once("end", onEnd);
    // The client went away mid-body: nothing to answer.
    req.once("error", () => req.off("data", onData).off("end", onEnd));
  };
}
