// Looks at the sample site the way a visitor on a phone does, in Debian's chromium
// driven by playwright-core: arrive on the flyer's short URL with an English browser,
// read the page, switch to Spanish, come back later. Prints one JSON object of what it
// saw (the pytest side asserts on it) and saves screenshots into OUTDIR.
//
// usage: node look.mjs BASE_URL OUTDIR
import { chromium } from 'playwright-core';
import path from 'node:path';

const [base, outdir] = process.argv.slice(2);

// Returns what a reader of the current page would notice.
async function look(page) {
  return page.evaluate(() => {
    const sw = document.querySelector('nav.bl-languages a');
    const r = sw ? sw.getBoundingClientRect() : null;
    const h1 = document.querySelector('h1');
    return {
      url: location.pathname,
      lang: document.documentElement.lang,
      title: document.title,
      h1: h1 ? h1.textContent.trim() : null,
      h1Visible: !!h1 && h1.getBoundingClientRect().height > 0,
      overflowX: document.documentElement.scrollWidth - window.innerWidth,
      switcher: sw ? { text: sw.textContent.trim(), hreflang: sw.getAttribute('hreflang'),
                       height: r.height, width: r.width } : null,
      bodyFont: getComputedStyle(document.body).fontFamily,
      styled: getComputedStyle(document.body).fontFamily !== 'Times New Roman' &&
              document.styleSheets.length > 0,
    };
  });
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = {};
try {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true,
    hasTouch: true, locale: 'en-US',
  });
  const page = await context.newPage();
  await page.goto(base + '/events/', { waitUntil: 'load' });
  result.arrived = await look(page);
  await page.screenshot({ path: path.join(outdir, 'events-en.png'), fullPage: false });
  await page.click('nav.bl-languages a');
  await page.waitForLoadState('load');
  result.switched = await look(page);
  await page.screenshot({ path: path.join(outdir, 'events-es.png'), fullPage: false });
  await page.goto(base + '/', { waitUntil: 'load' });
  result.returned = await look(page);
  await page.screenshot({ path: path.join(outdir, 'home-es.png'), fullPage: true });
  result.cookies = (await context.cookies()).map((c) => ({ name: c.name, value: c.value }));
} catch (err) {
  result.error = String(err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.error ? 1 : 0);
