// Renders public/icon.svg into the PNG icons the web app manifest lists (192, 512 and a
// full-bleed maskable 512 whose artwork sits inside the central 80% safe zone), using the
// Chromium that the end-to-end tests drive. The PNGs are committed; run this again only
// when the SVG changes:  node scripts/make-icons.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const pub = new URL('../public/', import.meta.url).pathname;
const svg = readFileSync(pub + 'icon.svg', 'utf8');
// Maskable: square background to every edge, the artwork scaled to 80% about the centre.
const maskable = svg
  .replace(/<rect width="512" height="512" rx="\d+"/, '<rect width="512" height="512"')
  .replace('<g id="art">', '<g id="art" transform="translate(51.2 51.2) scale(0.8)">');

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ deviceScaleFactor: 1 });
for (const [name, source, size] of [
  ['icon-192.png', svg, 192],
  ['icon-512.png', svg, 512],
  ['icon-maskable-512.png', maskable, 512],
]) {
  await page.setViewportSize({ width: size, height: size });
  const sized = source.replace('<svg ', `<svg width="${size}" height="${size}" `);
  await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  writeFileSync(pub + name, png);
  console.log(`${name}: ${png.length} bytes`);
}
await browser.close();
