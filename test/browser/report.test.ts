import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runCli, tracesDir } from '../cli/run-cli.ts';
import { POLICY_NAMES } from '../../shared/simulate/index.ts';

const CHROMIUM = '/usr/bin/chromium';

// The backtest report, opened in a real (Debian) Chromium: it must load offline with no console error and
// draw every chart.
describe('the backtest report in a browser', () => {
  it('loads with no console errors and draws its charts', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the report's browser test`);
    const dir = mkdtempSync(join(tmpdir(), 'headroom-browser-'));
    const { status } = runCli([
      'backtest',
      '--trace',
      join(tracesDir, 'aws-elb-requests-5min.csv'),
      '--throughput',
      '0.05',
      '--max',
      '40',
      '--report',
      dir,
    ]);
    expect(status).toBe(0);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`network request to ${request.url()}`);
      });
      await page.goto(pathToFileURL(join(dir, 'report.html')).href);
      expect(await page.locator('#scoreboard tbody tr').count()).toBe(POLICY_NAMES.length);
      const charts = page.locator('figure.chart svg');
      expect(await charts.count()).toBe(3);
      for (let index = 0; index < 3; index++) {
        const box = await charts.nth(index).boundingBox();
        expect(box!.width).toBeGreaterThan(400);
        // Vega draws each series as a path inside a `mark-line` group; a drawn line has a non-trivial path.
        const lines = charts.nth(index).locator('g.mark-line.role-mark path');
        expect(await lines.count()).toBeGreaterThanOrEqual(3);
        expect((await lines.first().getAttribute('d'))!.length).toBeGreaterThan(100);
      }
      // Load vs capacity: the load and one line per policy; wait vs SLO: the SLO rule; the forecast band as an area.
      expect(await charts.nth(0).locator('g.mark-line.role-mark path').count()).toBe(POLICY_NAMES.length + 1);
      expect(await charts.nth(1).locator('g.mark-rule.role-mark line').count()).toBe(1);
      expect(await charts.nth(2).locator('g.mark-area.role-mark path').count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
