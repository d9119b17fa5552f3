/**
 * The dashboard in a real browser, on a running embedded pipeline.
 *
 * Debian's Chromium (/usr/bin/chromium, installed by scripts/ensure-chromium.sh)
 * driven by playwright-core; no browser is ever downloaded. The pipeline is
 * the real one (synthetic sources → in-process bus → processor → SQLite) with
 * a clock that runs 20× faster than the wall clock, so a new 1-minute candle
 * closes every three seconds and the charts fill within the test.
 * Every request the page makes outside the dashboard server is blocked and
 * recorded: the page must work offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createEmbeddedPipeline, type EmbeddedPipeline } from '../../services/cli/embedded.ts';
import { createDashboardServer, type DashboardServer } from '../../services/dashboard/server.ts';
import { loadConfig } from '../../services/lib/runtime/config.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import type { Clock } from '../../services/lib/runtime/clock.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Debian's colour emoji font, installed with Chromium by scripts/ensure-chromium.sh: posts are full of 🚀 */
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';
const REPORTS = join(process.cwd(), '.reports');
const SPEED = 20; // simulated seconds per real second

function chromiumMissing(): string | undefined {
  if (existsSync(CHROMIUM) && existsSync(EMOJI_FONT)) return undefined;
  // `make test` installs it first; a bare `vitest run` tries once too.
  const r = spawnSync('bash', ['scripts/ensure-chromium.sh'], { encoding: 'utf8', timeout: 300_000 });
  if (existsSync(CHROMIUM)) return undefined;
  return `${CHROMIUM} is missing and scripts/ensure-chromium.sh could not install it: ${(r.stderr || r.stdout || String(r.error ?? '')).trim().split('\n').at(-1)}`;
}

const missing = chromiumMissing();
if (missing) console.warn(`browser test skipped: ${missing}`);

/** Wall-clock time sped up SPEED×, starting now, so timestamps look like today. */
function fastClock(): Clock {
  const t0 = Date.now();
  return { now: () => t0 + (Date.now() - t0) * SPEED };
}

describe.skipIf(missing !== undefined)('dashboard in Chromium on a running embedded pipeline', () => {
  let home: string;
  let profile: string;
  let pipeline: EmbeddedPipeline;
  let running: Promise<void>;
  const stop = new AbortController();
  let dashboard: DashboardServer;
  let context: BrowserContext;
  let page: Page;
  const clock = fastClock();
  const offsite: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'stockstreamer-browser-'));
    profile = mkdtempSync(join(tmpdir(), 'stockstreamer-chromium-'));
    const config = loadConfig({
      STOCKSTREAMER_HOME: home,
      STOCKSTREAMER_CREDENTIALS: join(home, 'no-credentials.ini'),
      STOCKSTREAMER_SOURCE: 'synthetic',
      STOCKSTREAMER_SEED: '7',
      STOCKSTREAMER_SYMBOLS: 'AAPL,MSFT,NVDA,TSLA,AMD',
      STOCKSTREAMER_SYNTHETIC_TRADES_PER_S: '60',
      STOCKSTREAMER_SYNTHETIC_POSTS_PER_S: '12',
      STOCKSTREAMER_LOG_LEVEL: 'silent',
    });
    pipeline = await createEmbeddedPipeline({ config, credentials: { reddit: null, finnhubToken: null }, logger: silentLogger(), clock });
    running = pipeline.run(stop.signal);
    dashboard = await createDashboardServer({
      store: pipeline.store, clock, logger: silentLogger(), symbols: config.symbols, port: 0, pollMs: 500,
      sentimentSpanMinutes: config.sentimentSpanMinutes,
    });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 }, // a laptop screen
      deviceScaleFactor: 1,
    });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(dashboard.url) || url.startsWith('data:')) return route.continue();
      offsite.push(url);
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await dashboard?.close();
    stop.abort();
    await running?.catch(() => {});
    await pipeline?.store.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }, 60_000);

  /** Pixels of a uPlot canvas that are not background: a chart that drew something has many. */
  const inkOf = (selector: string) => page.locator(`${selector} canvas`).first().evaluate((canvas: any) => {
    const ctx = canvas.getContext('2d');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
    return ink;
  });
  const points = (selector: string) => page.locator(selector).evaluate((el: any) => Number(el.dataset.points ?? 0));

  it('loads offline and fills the charts and tables', async () => {
    const started = Date.now();
    await page.goto(`${dashboard.url}#AAPL`);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toMatch(/^live/);
    await expect.poll(() => page.locator('#prices .quote').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    await expect.poll(() => points('#price-chart'), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => points('#sentiment-chart'), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => page.locator('#rankings-body tr[data-ticker]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#posts li.post').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('#price-chart canvas').count()).toBe(1);
    expect(await page.locator('#sentiment-chart canvas').count()).toBe(1);
    expect(await inkOf('#price-chart')).toBeGreaterThan(2000);
    expect(await inkOf('#sentiment-chart')).toBeGreaterThan(1000);
    expect(await page.locator('#price-title').textContent()).toContain('AAPL');
    // Posts carry a sentiment colour, their tickers and a link to Reddit.
    const firstPost = page.locator('#posts li.post').first();
    expect(await firstPost.getAttribute('class')).toMatch(/\b(pos|neg|neu)\b/);
    expect(await firstPost.locator('.tag').allTextContents()).toContain('$AAPL');
    expect(await firstPost.locator('a.open').getAttribute('href')).toMatch(/^https:\/\/www\.reddit\.com\/r\//);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(offsite).toEqual([]);
  }, 60_000);

  it('updates without a reload: new candles, posts and alerts appear', async () => {
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
    const candlesBefore = await points('#price-chart');
    const newestPost = await page.locator('#posts li.post').first().getAttribute('data-id');
    // A simulated minute is three real seconds: new candles close while we wait.
    await expect.poll(() => points('#price-chart'), { timeout: 15_000 }).toBeGreaterThan(candlesBefore);
    await expect.poll(() => page.locator('#posts li.post').first().getAttribute('data-id'), { timeout: 15_000 }).not.toBe(newestPost);

    // An alert fires (as the alerter would store it) and shows up in the panel; with no channel configured it is
    // not "pending" (issue 11), with mail configured and not yet accepted it is.
    await pipeline.store.writeAlerts([{
      ruleId: 'aapl-above-level', ticker: 'AAPL', firedAt: clock.now(), kind: 'price_cross',
      message: 'AAPL crossed above 200 at 201.35', value: 201.35, threshold: 200, delivered: false, channels: [],
    }]);
    await expect.poll(() => page.locator('#alerts li.alert').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.locator('#alerts li.alert').first().textContent()).toContain('AAPL crossed above 200 at 201.35');
    expect(await page.locator('#alerts li.alert .mail').count()).toBe(0);
    await pipeline.store.writeAlerts([{
      ruleId: 'tsla-move', ticker: 'TSLA', firedAt: clock.now() + 1, kind: 'price_move',
      message: 'TSLA rose 3.5% within 15 minutes', value: 3.5, threshold: 3, delivered: false, channels: ['mail'],
    }]);
    await expect.poll(() => page.locator('#alerts li.alert .mail.pending').count(), { timeout: 10_000 }).toBe(1);
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
  }, 60_000);

  it('switches symbol', async () => {
    await page.selectOption('#symbol', 'TSLA');
    await expect.poll(() => page.locator('#price-title').textContent(), { timeout: 5_000 }).toContain('TSLA');
    expect(new URL(page.url()).hash).toBe('#TSLA');
    await expect.poll(() => points('#price-chart'), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(async () => (await page.locator('#posts li.post').count()) > 0
      && (await page.locator('#posts li.post').first().locator('.tag.selected').allTextContents()).includes('$TSLA'), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#prices .quote.selected').getAttribute('data-symbol')).toBe('TSLA');
    // Clicking a quote switches too.
    await page.locator('#prices .quote[data-symbol="NVDA"]').click();
    await expect.poll(() => page.locator('#price-title').textContent(), { timeout: 5_000 }).toContain('NVDA');
    await expect.poll(() => points('#price-chart'), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('shows the ticker view together: crowd, sentiment against price, history, the change against the previous close', async () => {
    await page.selectOption('#symbol', 'AAPL');
    await expect.poll(() => page.locator('#crowd .figure').count(), { timeout: 20_000 }).toBe(4);
    expect(await page.locator('#crowd').textContent()).toMatch(/authors/);
    await expect.poll(() => page.locator('#lag-chart').evaluate((e: any) => e.dataset.verdict ?? ''), { timeout: 20_000 }).toMatch(/^(too_little_data|no_clear_lead|chatter_leads|price_leads|together)$/);
    expect(await page.locator('#lag-summary li').count()).toBe(2);
    expect(await page.locator('#history-chart canvas').count()).toBe(1);
    // a fresh store holds no previous close: the page says so instead of measuring from the day's first candle
    expect(await page.locator('[data-testid="reference"]').textContent()).toMatch(/no previous close stored yet|vs close/);
    // every time on the page carries its zone
    expect(await page.locator('#status').textContent()).toMatch(/live · \d\d:\d\d:\d\d (EST|EDT)/);
    // the ranking slides: 1 h, 24 h and 7 d, per subreddit
    await page.selectOption('#rank-window', '1h');
    await expect.poll(() => page.locator('#rankings-sub').textContent(), { timeout: 10_000 }).toContain('last hour');
    await page.selectOption('#rank-sub', 'wallstreetbets');
    await expect.poll(() => page.locator('#rankings-sub').textContent(), { timeout: 10_000 }).toContain('r/wallstreetbets');
    await page.selectOption('#rank-sub', '');
  }, 60_000);

  it('renders emoji with a colour font, not boxes', async () => {
    // the same text drawn with the page's font: a colour emoji glyph has saturated pixels, a missing-glyph box has none
    const coloured = await page.evaluate(() => {
      const doc = (globalThis as any).document;
      const canvas = doc.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      const ctx = canvas.getContext('2d');
      ctx.font = `48px ${(globalThis as any).getComputedStyle(doc.body).fontFamily}`;
      ctx.fillStyle = '#888';
      ctx.fillText('🚀', 4, 52);
      const { data } = ctx.getImageData(0, 0, 64, 64);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && Math.max(data[i], data[i + 1], data[i + 2]) - Math.min(data[i], data[i + 1], data[i + 2]) > 60) n++;
      return n;
    });
    expect(coloured).toBeGreaterThan(100);
  }, 30_000);

  it('fits a 390 px phone: nothing sideways, the symbol picker whole (screenshot in .reports/dashboard-390.png)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const picker = await page.locator('#symbol').boundingBox();
    expect(picker!.x).toBeGreaterThanOrEqual(0);
    expect(picker!.x + picker!.width).toBeLessThanOrEqual(390);
    mkdirSync(REPORTS, { recursive: true });
    await page.screenshot({ path: join(REPORTS, 'dashboard-390.png'), fullPage: true });
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 30_000);

  it('is readable on a laptop screen (screenshot in .reports/dashboard.png)', async () => {
    await page.selectOption('#symbol', 'AAPL');
    // The pipeline has run for minutes, not hours: the 15-minute range shows its candles at a readable width.
    await page.selectOption('#range', '15');
    await page.mouse.move(0, 0);
    await expect.poll(() => points('#price-chart'), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => points('#sentiment-chart'), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    // Nothing sticks out sideways at 1440 px.
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(1440);
    mkdirSync(REPORTS, { recursive: true });
    await page.screenshot({ path: join(REPORTS, 'dashboard.png'), fullPage: true });
    expect(existsSync(join(REPORTS, 'dashboard.png'))).toBe(true);
    expect(pageErrors).toEqual([]);
    expect(offsite).toEqual([]);
  }, 60_000);
});
