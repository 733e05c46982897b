// Printing the month's 台账 with about 100 forums, in headless Chromium at 360x640 with the
// CPU slowed 4x (the data is already on the phone). The data: a station's year of N
// activities from `seed_file` (N = 1850 spreads ~157 activities, ~105 of them forums, over
// October 2026), imported once through 导入, unthrottled. Then, RUNS times: from navigating to
// /stats/ledger/<station>/2026-10 (a full start of the app: reading the store, building the
// ledger in `model::paper`, rendering cover, table and every record page with the QR)
// until every record page is in the DOM; and the time `page.pdf()` takes to lay that out
// as A4 pages in print media. One `BENCH {json}` line, medians of RUNS.
//   Usage: node scripts/bench-paper.mjs HUB_BINARY [RUNS=5] [ACTIVITIES=1850]
import { startHub, launchPhone, setupProfile, throttle, importFile, seedFile } from '../tests/e2e/harness.mjs';

const [bin, runsArg = '5', nArg = '1850'] = process.argv.slice(2);
const RUNS = Number(runsArg);
const N = Number(nArg);
const MONTH = '2026-10';
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const hub = await startHub(bin);
const { browser, page } = await launchPhone();
try {
  await page.goto(`${hub.url}/`);
  await setupProfile(page);
  await importFile(page, seedFile(N));
  await page.goto(`${hub.url}/`);
  await page.waitForFunction((n) => document.querySelector('[data-testid=count-activities] .value')?.textContent === String(n), N, { timeout: 300_000 });

  await throttle(page, null);
  const render = [], pdf = [];
  let forums, pages, pdfPages;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    await page.goto(`${hub.url}/stats/ledger/330106001/${MONTH}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => {
      const want = document.querySelector('[data-testid=cover-activities]')?.dataset.value;
      return want && document.querySelectorAll('[data-testid=record-sheet]').length === Number(want);
    }, null, { timeout: 120_000, polling: 'raf' });
    render.push(performance.now() - t0);
    forums = Number(await page.getByTestId('cover-forums').getAttribute('data-value'));
    pages = await page.getByTestId('record-sheet').count();
    await page.emulateMedia({ media: 'print' });
    const t1 = performance.now();
    const bytes = await page.pdf({ format: 'A4', printBackground: true });
    pdf.push(performance.now() - t1);
    pdfPages = (bytes.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
    await page.emulateMedia({ media: 'screen' });
  }
  console.log('BENCH ' + JSON.stringify({
    figure: "print the month's 台账 (app start to every record page rendered)",
    forums, record_pages: pages, pdf_pages: pdfPages, cpu: '4x', unit: 'ms',
    median: Math.round(median(render)), runs: render.map(Math.round), pdf_median: Math.round(median(pdf)),
  }));
} finally {
  await browser.close();
  await hub.stop();
}
