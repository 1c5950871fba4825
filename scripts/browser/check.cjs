// Drives the HTML report in headless Chromium: node check.cjs REPORT.html SHOT.png
// Exits non-zero when a check fails; the last line is "browser: N passed, M failed".
'use strict';
const { chromium } = require('playwright-core');

const [, , file, shot] = process.argv;
let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail !== undefined ? ': ' + detail : ''}`);
}

// checkAttrs checks a page made with -by KEY from a trace whose spans have
// attributes: breakdown rows under the names, and the timeline tooltip
// listing a span's attributes.
async function checkAttrs(page, key) {
  const groups = await page.locator('#hot-table tbody tr.grp td:first-child').allInnerTexts();
  check('-by rows under the names', groups.length >= 2 && groups.every((g) => g.startsWith(key + '=') || g.startsWith(key + ' (')),
    groups.slice(0, 4).join(' '));
  // A second -by key, picked on the page; then none.
  const keys = await page.locator('#by-pick option').allInnerTexts();
  if (keys.length > 2) {
    await page.selectOption('#by-pick', '1');
    const second = await page.locator('#hot-table tbody tr.grp td:first-child').allInnerTexts();
    check('picking another -by key shows its rows', second.length >= 1 && second.every((g) => g.startsWith(keys[1])), second.slice(0, 3).join(' '));
    await page.selectOption('#by-pick', '-1');
    check('picking none hides the rows', (await page.locator('#hot-table tbody tr.grp').count()) === 0);
    await page.selectOption('#by-pick', '0');
  }
  let found = '';
  const bars = page.locator('#tl .bar');
  const n = await bars.count();
  for (let i = 0; i < n && !found; i++) {
    await bars.nth(i).hover({ force: true });
    const tip = await page.locator('#tip').innerText();
    if (new RegExp('(^|\\n)' + key.replace(/[()]/g, '\\$&') + '\\s').test(tip)) found = tip.replace(/\s+/g, ' ');
  }
  check('timeline tooltip lists the attributes', found !== '', found.slice(0, 120) || `none of ${n} spans`);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors = [], fetches = [];
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push('page error: ' + e.message));
    page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) fetches.push(r.url()); });
    await page.goto('file://' + file);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 15000 });

    if (process.env.ATTRS) {
      await checkAttrs(page, process.env.ATTRS);
      check('no console or page errors', errors.length === 0, errors.join(' | ') || 'none');
      await page.screenshot({ path: shot, fullPage: true });
      console.log('screenshot: ' + shot);
    } else {
      await checkAll(page, errors, fetches);
    }
  } catch (e) {
    check('browser run', false, e.stack || String(e));
  } finally {
    await browser.close();
  }
  console.log(`browser: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();

// checkAll checks the page of an ordinary trace: the flame graph, the
// timeline and the table.
async function checkAll(page, errors, fetches) {
    // Rendered at all.
    const frames = await page.locator('#flame-graph .frame').count();
    check('flame graph rendered', frames >= 10, `${frames} frames`);
    const rows = await page.locator('#hot-table tbody tr').count();
    check('hotspot table rendered', rows >= 10, `${rows} rows`);
    const bars = await page.locator('#tl .bar').count();
    check('timeline rendered', bars >= 5, `${bars} spans`);
    const options = await page.locator('#trace-pick option').count();
    check('trace picker lists traces', options >= 2, `${options} traces`);
    const labelled = await page.locator('#flame-graph .frame', { hasText: '.' }).count();
    check('flame frames are labelled', labelled >= 5, `${labelled} labels`);

    // Hover shows a tooltip with figures.
    const first = page.locator('#flame-graph .frame:not(.root)').first();
    await first.hover();
    const tip = await page.locator('#tip').innerText();
    check('flame tooltip shows figures', /Total/.test(tip) && /Self/.test(tip) && /Spans/.test(tip), tip.replace(/\s+/g, ' ').slice(0, 80));

    // Click a frame deeper down: it fills the width (zoomed).
    const graphWidth = (await page.locator('#flame-graph').boundingBox()).width;
    const target = page.locator('#flame-graph .frame:not(.root)').nth(2);
    const name = await target.getAttribute('data-name');
    const before = (await target.boundingBox()).width;
    await target.click();
    const focus = await page.locator('#flame-graph').getAttribute('data-focus');
    const zoomed = page.locator(`#flame-graph .frame:not(.anc)[data-name="${name.replace(/"/g, '\\"')}"]`).first();
    const after = (await zoomed.boundingBox()).width;
    check('click zooms into the frame', focus === name && after > before && after >= graphWidth - 2,
      `${name}: ${before.toFixed(0)}px -> ${after.toFixed(0)}px of ${graphWidth.toFixed(0)}px`);
    const crumbs = await page.locator('#flame-crumbs').innerText();
    check('breadcrumbs show the zoom path', crumbs.startsWith('all') && crumbs.includes(name), crumbs.replace(/\s+/g, ' '));
    await page.click('#flame-reset');
    check('reset zooms out', (await page.locator('#flame-graph').getAttribute('data-focus')) === 'all');

    // Sort the table by count, descending then ascending.
    const counts = async () => (await page.locator('#hot-table tbody tr td:nth-child(2)').allInnerTexts()).map((s) => +s.replace(/,/g, ''));
    await page.click('#hot-table th[data-key="count"]');
    let c = await counts();
    check('sort by count, descending', c.every((v, i) => i === 0 || c[i - 1] >= v) &&
      (await page.getAttribute('#hot-table th[data-key="count"]', 'aria-sort')) === 'descending', c.slice(0, 5).join(' '));
    await page.click('#hot-table th[data-key="count"]');
    c = await counts();
    check('sort by count, ascending', c.every((v, i) => i === 0 || c[i - 1] <= v), c.slice(0, 5).join(' '));
    await page.click('#hot-table th[data-key="self"]');

    // Filter the table.
    await page.fill('#table-filter', 'store.');
    const filtered = await page.locator('#hot-table tbody tr td:first-child').allInnerTexts();
    check('filter narrows the table', filtered.length > 0 && filtered.every((n) => n.includes('store.')), filtered.length + ' rows');
    await page.fill('#table-filter', '');

    // Pick another trace.
    const infoBefore = await page.locator('#trace-info').innerText();
    await page.selectOption('#trace-pick', '1');
    const infoAfter = await page.locator('#trace-info').innerText();
    check('trace picker switches the timeline', infoAfter !== infoBefore && (await page.locator('#tl .bar').count()) > 0);
    await page.selectOption('#trace-pick', '0');
    const crit = await page.locator('#tl .bar.crit').count();
    check('critical path marked', crit >= 2, `${crit} spans`);

    await checkRun(page);
    check('no network fetches', fetches.length === 0, fetches.join(' ') || 'none');
    check('no console or page errors', errors.length === 0, errors.join(' | ') || 'none');

    // Screenshot of the whole page, with a flame graph tooltip.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('#flame-graph .frame:not(.root)').nth(1).hover();
    await page.screenshot({ path: shot, fullPage: true });
    console.log('screenshot: ' + shot);
}

// checkRun checks the run timeline: buckets drawn, the wheel zooms into
// finer levels and at last the real spans, a bucket's tooltip, and the
// double-click resets.
async function checkRun(page) {
  const wrap = page.locator('#run-wrap');
  await wrap.scrollIntoViewIfNeeded();
  const state = async () => wrap.evaluate((e) => ({ ...e.dataset }));
  const s0 = await state();
  check('run timeline drawn', +s0.buckets > 0, `${s0.buckets} buckets of ${s0.width} ns`);
  const [bx, by] = s0.bucket.split(',').map(Number);
  const box = await wrap.boundingBox();
  await page.mouse.move(box.x + bx, box.y + by);
  const tip = await page.locator('#tip').innerText();
  check('run bucket tooltip shows figures', /Spans started/.test(tip) && /Traces in flight/.test(tip), tip.replace(/\s+/g, ' ').slice(0, 100));
  for (let i = 0; i < 12; i++) await page.mouse.wheel(0, -300);
  const s1 = await state();
  check('wheel zooms into a finer level', +s1.width < +s0.width, `${s0.width} -> ${s1.width} ns`);
  for (let i = 0; i < 40; i++) await page.mouse.wheel(0, -300);
  const s2 = await state();
  check('zoomed in, real spans drawn', +s2.spans > 0, `${s2.spans} spans, buckets of ${s2.width} ns`);
  await page.mouse.dblclick(box.x + bx, box.y + by);
  const s3 = await state();
  check('double-click resets the zoom', s3.width === s0.width, `${s3.width} ns`);
}
