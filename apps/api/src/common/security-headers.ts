import type { NextFunction, Request, Response } from 'express';

/**
 * The policy of every answer under /v1, the HTML Service Delivery Summary included: it is served
 * from the origin where the dashboard keeps its token, and carries operators' text. The page needs
 * only its inline <style> and inline SVG: no script, no image, no font, no fetch, no form, no frame;
 * `sandbox` also gives it an opaque origin, so even markup that slipped through could not read the
 * dashboard's storage. JSON, CSV and Markdown answers are not rendered, so the policy costs them nothing.
 */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox";

/**
 * Every answer: `X-Content-Type-Options: nosniff`, so a browser never reads CSV or Markdown as HTML.
 * Under /v1 also the strict policy above (the dashboard page and /docs set or need their own).
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.path.startsWith('/v1/') || req.path === '/v1') res.setHeader('Content-Security-Policy', API_CONTENT_SECURITY_POLICY);
  next();
}
