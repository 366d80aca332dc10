/**
 * The window's Content-Security-Policy. src-renderer/index.html carries the same policy in a
 * meta tag (the Electron window loads a file, which has no headers); the HTTP server sends it
 * as a header with frame-ancestors, which a meta tag cannot set. A test keeps the two equal.
 *
 * Why each source: scripts only from our bundle (no 'unsafe-eval': zod runs jitless);
 * 'unsafe-inline' styles because ag-grid injects its theme as <style> elements and React Flow
 * positions nodes with style attributes; data: images for ag-grid's icons in its CSS; connect
 * to our own origin only (the API and its event stream, in a browser).
 */
export const UI_CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
] as const;

/** The header: the meta tag's policy, and no page may frame the UI. */
export const UI_CSP_HEADER = [...UI_CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');
