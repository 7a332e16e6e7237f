import {
  createRequestHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { Request as ExpressRequest, RequestHandler } from "express";
import { requestOrigin } from "./request-guards.server";

// Remix behind Express, like @remix-run/express, except that the body comes already read (and capped) by
// `cappedBody`, and the Origin header stays here: `sameOriginOnly` has judged it, on rules of our own that
// also know APP_URL, so Remix's narrower check (Origin against Host) cannot turn a vetted request into a 500.

const DROPPED_HEADERS = new Set(["origin", "content-length", "transfer-encoding"]);

export function remixHandler(
  build: ServerBuild,
  getLoadContext: (req: ExpressRequest, res: Parameters<RequestHandler>[1]) => AppLoadContext,
): RequestHandler {
  const handle = createRequestHandler(build, build.mode);
  return async (req, res, next) => {
    try {
      const controller = new AbortController();
      // Stop loaders and actions when the answer can no longer be written (the client left).
      res.once("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const body = res.locals.body as Buffer<ArrayBuffer> | undefined;
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || DROPPED_HEADERS.has(name)) continue;
        for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
      }
      if (body) headers.set("content-length", String(body.length));
      const request = new Request(`${requestOrigin(req)}${req.originalUrl}`, {
        method: req.method,
        headers,
        body,
        signal: controller.signal,
      });
      const response = await handle(request, getLoadContext(req, res));
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [name, value] of response.headers.entries()) res.append(name, value);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  };
}
