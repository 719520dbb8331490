import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { runCli, tracesDir } from '../cli/run-cli.ts';
import { POLICY_NAMES } from '../../shared/simulate/index.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Okabe & Ito's colour-blind-safe palette, and the grey the oracle is drawn in. */
const PALETTE = ['#000000', '#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#999999'];

/** The browser globals the pixel count uses (the test's TypeScript has no DOM library). */
interface BrowserGlobals {
  Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
  document: {
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        drawImage(image: unknown, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      } | null;
    };
  };
}

/** How many pixels of a PNG (as Chromium decodes it) are within a small distance of each colour. */
async function pixelsOfColours(page: Page, png: Buffer, colours: readonly string[]): Promise<number[]> {
  return page.evaluate(
    async ({ data, colours }) => {
      const { Image, document } = globalThis as unknown as BrowserGlobals;
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, image.width, image.height).data;
      const wanted = colours.map((hex) => [1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)));
      const counts = wanted.map(() => 0);
      for (let index = 0; index < pixels.length; index += 4) {
        wanted.forEach(([r, g, b], which) => {
          if (Math.abs(pixels[index]! - r!) + Math.abs(pixels[index + 1]! - g!) + Math.abs(pixels[index + 2]! - b!) < 30) counts[which]!++;
        });
      }
      return counts;
    },
    { data: png.toString('base64'), colours: [...colours] },
  );
}

// The backtest report opened in a real (Debian) Chromium and looked at as a person would: the verdict and the story
// are there in words, every line has a legend entry, the colours on screen are the colour-blind-safe ones, the time
// axis has one label format; the screenshots are kept beside the report for a person to look at.
describe('the backtest report in a browser', () => {
  it('tells the story and draws charts a person can read', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the report's browser test`);
    const dir = mkdtempSync(join(tmpdir(), 'headroom-browser-'));
    const trace = join(tracesDir, 'aws-elb-requests-5min.csv');
    const { status } = runCli(['backtest', '--trace', trace, '--throughput', '0.05', '--max', '40', '--report', dir], {}, { timeoutMs: 280_000 });
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
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) problems.push(`network request to ${request.url()}`);
      });
      await page.goto(pathToFileURL(join(dir, 'report.html')).href);

      // The story, in words, before any chart: the verdict names every baseline; the load says where it came from.
      const verdict = await page.locator('#verdict').innerText();
      for (const name of POLICY_NAMES.filter((policy) => policy !== 'oracle')) expect(verdict).toContain(name);
      expect(await page.locator('#provenance').innerText()).toContain(trace);
      expect(await page.locator('#policies dt').allInnerTexts()).toEqual([...POLICY_NAMES]);
      expect(await page.locator('#scoreboard tbody tr').count()).toBe(POLICY_NAMES.length);
      expect(await page.locator('#floors').innerText()).toMatch(/planned from the p(50|90|99)/);
      const verdictBox = (await page.locator('#verdict').boundingBox())!;
      expect(verdictBox.y).toBeLessThan((await page.locator('#charts').boundingBox())!.y);

      const charts = page.locator('figure.chart');
      expect(await charts.count()).toBe(4);
      // Chart 4's title names the quantile the floors were planned from (the old one said p90 while planning from the p50).
      const floorsTitle = await charts.nth(3).locator('figcaption').innerText();
      expect(floorsTitle).toContain(`the forecast ${(await page.locator('#floors').innerText()).match(/planned from the (p\d\d)/)![1]}`);
      for (let index = 0; index < 4; index++) {
        const svg = charts.nth(index).locator('svg');
        expect((await svg.boundingBox())!.width).toBeGreaterThan(800);
        // Every line has its legend entry.
        const lines = await svg.locator('g.mark-line.role-mark path').count();
        const legend = await svg.locator('g.role-legend-label text').allTextContents();
        expect(new Set(legend).size).toBe(lines);
        // Each line its own colour, from the colour-blind-safe palette.
        const strokes = await svg
          .locator('g.mark-line.role-mark path')
          .evaluateAll((paths) => paths.map((path) => path.getAttribute('stroke')!.toLowerCase()));
        for (const stroke of strokes) expect(PALETTE).toContain(stroke);
        // One time-axis format: weekday, day, month (UTC).
        const labels = await svg.locator('g.role-axis[aria-label^="X-axis"] g.role-axis-label text').allTextContents();
        expect(labels.length).toBeGreaterThan(3);
        for (const label of labels) expect(label).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)$/);
        // Aggregated: at most ~450 points a line, not a point per minute.
        const d = (await svg.locator('g.mark-line.role-mark path').first().getAttribute('d'))!;
        expect(d.split(/[LM]/).length).toBeLessThan(2 * 460);
      }
      // The wait chart: the SLO is a line with its legend entry.
      expect(await charts.nth(2).locator('svg g.role-legend-label text').allTextContents()).toContain('SLO');

      // Screenshots, as a person sees the page: the whole report, and each chart; the palette's colours are on screen.
      await page.screenshot({ path: join(dir, 'screenshot-report.png'), fullPage: true });
      const chartShot = await charts.nth(0).screenshot({ path: join(dir, 'screenshot-chart-1.png') });
      const shown = await pixelsOfColours(page, chartShot, ['#0072b2', '#009e73', '#999999', '#000000']);
      for (const count of shown) expect(count).toBeGreaterThan(50);
      for (let index = 1; index < 4; index++) await charts.nth(index).screenshot({ path: join(dir, `screenshot-chart-${index + 1}.png`) });
      expect(readFileSync(join(dir, 'screenshot-report.png')).length).toBeGreaterThan(50_000);
      expect(problems).toEqual([]);
      console.log(`report screenshots: ${dir}/screenshot-*.png`);
    } finally {
      await browser.close();
    }
  }, 600_000);
});
