/**
 * A replayed recording shows its own time (issue 11): the shipped sample of
 * data/recorded (March 2025) replayed through the real embedded pipeline, the
 * dashboard started as `stockstreamer run` starts it (STOCKSTREAMER_SOURCE=replay
 * makes its views follow the data's time), in Debian's Chromium. Before, the
 * page showed "no trades in this range yet", posts "639 d ago" and a pill
 * saying "live".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createEmbeddedPipeline, type EmbeddedPipeline } from '../../services/cli/embedded.ts';
import { startDashboard } from '../../services/dashboard/index.ts';
import type { DashboardServer } from '../../services/dashboard/server.ts';
import { loadConfig } from '../../services/lib/runtime/config.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';

const CHROMIUM = '/usr/bin/chromium';
const REPORTS = join(process.cwd(), '.reports');

describe.skipIf(!existsSync(CHROMIUM))('a replayed recording in Chromium', () => {
  let home: string;
  let profile: string;
  let pipeline: EmbeddedPipeline;
  let running: Promise<void>;
  const stop = new AbortController();
  let dashboard: DashboardServer;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'stockstreamer-replay-'));
    profile = mkdtempSync(join(tmpdir(), 'stockstreamer-chromium-'));
    const config = loadConfig({
      STOCKSTREAMER_HOME: home,
      STOCKSTREAMER_CREDENTIALS: join(home, 'no-credentials.ini'),
      STOCKSTREAMER_SOURCE: 'replay',
      STOCKSTREAMER_REPLAY_DIR: 'data/recorded',
      STOCKSTREAMER_REPLAY_SPEED: '0',
      STOCKSTREAMER_SYMBOLS: 'AAPL,MSFT,NVDA,TSLA,GME',
      STOCKSTREAMER_DASHBOARD_PORT: '0',
      STOCKSTREAMER_LOG_LEVEL: 'silent',
    });
    pipeline = await createEmbeddedPipeline({ config, credentials: { reddit: null, finnhubToken: null }, logger: silentLogger() });
    running = pipeline.run(stop.signal);
    dashboard = await startDashboard({ config, store: pipeline.store, logger: silentLogger(), pollMs: 500 });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
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

  it('says replay with the recording\'s date, charts its trades, and ages its posts in its own time', async () => {
    await page.goto(`${dashboard.url}#MSFT`);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 20_000 }).toMatch(/^replay · Mon 3 Mar 1\d:\d\d (EST|EDT)$/);
    await expect.poll(() => page.locator('#price-chart').evaluate((e: any) => Number(e.dataset.points ?? 0)), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#price-empty').isHidden()).toBe(true);
    await expect.poll(() => page.locator('#posts li.post').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const ages = await page.locator('#posts time.ago').allTextContents();
    expect(ages.length).toBeGreaterThan(0);
    for (const age of ages) expect(age).toMatch(/^(just now|\d+ s ago|\d+ min ago)$/);
    await expect.poll(() => page.locator('#rankings-body tr[data-ticker]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    mkdirSync(REPORTS, { recursive: true });
    await page.screenshot({ path: join(REPORTS, 'dashboard-replay.png'), fullPage: true });
  }, 60_000);
});
