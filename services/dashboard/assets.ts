import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The page's files, read once at start-up and held in memory with a gzip copy
 * and an ETag: no disk read per request, no internet (uPlot comes from
 * node_modules), and a reload costs a 304 per file. Only the paths listed here
 * are served, so no request can walk out of the folder.
 */
export interface Asset {
  body: Buffer;
  gzip: Buffer;
  type: string;
  etag: string;
  /** Cache-Control value */
  cache: string;
}

const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'static');
const require = createRequire(import.meta.url);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

function load(file: string, cache: string): Asset {
  const body = readFileSync(file);
  const ext = file.slice(file.lastIndexOf('.'));
  return {
    body, gzip: gzipSync(body), type: TYPES[ext] ?? 'application/octet-stream', cache,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
  };
}

export function loadAssets(): Map<string, Asset> {
  // The app's own files revalidate on every load (cheap 304s) so a new
  // version shows at once; the vendored library is versioned by its package.
  const app = 'no-cache';
  const vendor = 'public, max-age=86400';
  const uplotDir = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  return new Map<string, Asset>([
    ['/', load(join(STATIC_DIR, 'index.html'), app)],
    ['/static/app.js', load(join(STATIC_DIR, 'app.js'), app)],
    ['/static/charts.js', load(join(STATIC_DIR, 'charts.js'), app)],
    ['/static/insight.js', load(join(STATIC_DIR, 'insight.js'), app)],
    ['/static/format.js', load(join(STATIC_DIR, 'format.js'), app)],
    ['/static/app.css', load(join(STATIC_DIR, 'app.css'), app)],
    ['/vendor/uPlot.iife.min.js', load(join(uplotDir, 'uPlot.iife.min.js'), vendor)],
    ['/vendor/uPlot.min.css', load(join(uplotDir, 'uPlot.min.css'), vendor)],
  ]);
}
