// Looks at the sample site the way a visitor on a phone does, in Debian's chromium
// driven by playwright-core: arrive on the flyer's short URL with an English browser,
// read the page, switch to Spanish, come back later; then open the home page in each
// language on a small phone (360x640) and measure what the first screens show; then
// walk every page of the site and reload one (compression, subresources, 304). Prints
// one JSON object of what it saw (the pytest side asserts on it) and saves screenshots
// into OUTDIR.
//
// usage: node look.mjs BASE_URL OUTDIR
import { chromium } from 'playwright-core';
import path from 'node:path';

const [base, outdir] = process.argv.slice(2);
const origin = new URL(base).origin;
const PHONE = { width: 360, height: 640 };

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

// Every subresource request of PAGE that failed or was answered 400 or more (a
// same-origin one), as "STATUS URL" strings, collected while the page lives. A request
// the browser itself cancelled (net::ERR_ABORTED: the next navigation started while,
// say, the favicon was still loading, which Chromium fetches after 'load') says
// nothing of the server; its URL goes to failed.aborted, and settleAborted fetches it
// again and records it as failed unless it then answers 200.
function watchSubresources(page) {
  const failed = [];
  failed.aborted = new Set();
  page.on('requestfailed', (req) => {
    const why = req.failure()?.errorText ?? 'failed';
    if (why === 'net::ERR_ABORTED') failed.aborted.add(req.url());
    else failed.push(`${why} ${req.url()}`);
  });
  page.on('response', (resp) => {
    const req = resp.request();
    if (req.isNavigationRequest() || resp.status() < 400) return;
    if (new URL(resp.url()).origin === origin) failed.push(`${resp.status()} ${resp.url()}`);
  });
  return failed;
}

// Fetches again, in CONTEXT, every URL the browser cancelled (see watchSubresources)
// and adds to FAILED those that do not answer 200; returns how many were fetched.
async function settleAborted(context, failed) {
  for (const url of failed.aborted) {
    const resp = await context.request.get(url);
    if (resp.status() !== 200) failed.push(`${resp.status()} ${url} (after net::ERR_ABORTED)`);
  }
  return failed.aborted.size;
}

// The home page on a small phone: how much of the first screen the header and the
// menu take, where the next event and the first donate link are (in page pixels from
// the top), whether anything scrolls sideways, the smallest text and tap targets.
async function measureHome(page) {
  return page.evaluate(async () => {
    const box = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY,
               left: r.left, right: r.right, width: r.width, height: r.height };
    };
    const header = box(document.querySelector('header.site-header'));
    const nav = box(document.querySelector('nav.site-nav'));
    const main = document.querySelector('main');
    const event = main.querySelector('ul.bl-events > li.bl-item > a');
    const eventTime = event && event.parentElement.querySelector('time.bl-date');
    const donate = [...main.querySelectorAll('a[href]')]
      .find((a) => new URL(a.href).hash === '#donate');
    // the icons the head names, loaded as images: they must exist and decode
    const icons = await Promise.all(
      [...document.querySelectorAll('link[rel~="icon"], link[rel="apple-touch-icon"]')]
        .map((link) => new Promise((resolve) => {
          const img = new Image();
          img.onload = () => resolve({ href: link.getAttribute('href'), width: img.naturalWidth,
                                       height: img.naturalHeight });
          img.onerror = () => resolve({ href: link.getAttribute('href'), width: 0, height: 0 });
          img.src = link.href;
        })));
    // visible text: the smallest computed font size of an element with its own text
    let smallestText = null;
    for (const el of document.body.querySelectorAll('*')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      const r = el.getBoundingClientRect();
      if (!own || r.width <= 1 || r.height <= 1) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (!smallestText || size < smallestText.size) {
        smallestText = { size, tag: el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 40) };
      }
    }
    // tap targets of the header and the menu
    const taps = [...document.querySelectorAll('header.site-header a, nav.site-nav a')]
      .map((a) => { const r = a.getBoundingClientRect();
                    return { text: a.textContent.trim(), width: r.width, height: r.height }; });
    return {
      url: location.pathname,
      lang: document.documentElement.lang,
      viewport: { width: window.innerWidth, height: window.innerHeight },
      header, nav,
      chromeTop: Math.min(header.top, nav.top),
      chromeHeight: Math.max(header.bottom, nav.bottom) - Math.min(header.top, nav.top),
      event: event ? { text: event.textContent.trim(), href: event.getAttribute('href'),
                       start: eventTime ? eventTime.getAttribute('datetime') : null,
                       ...box(event) } : null,
      donate: donate ? { text: donate.textContent.trim(), href: donate.getAttribute('href'),
                         ...box(donate) } : null,
      scrollWidth: document.scrollingElement.scrollWidth,
      icons,
      smallestText,
      taps,
    };
  });
}

// Tab once from the top of the page: the skip link shows, inside the screen, with a
// visible focus ring.
async function skipLinkOnTab(page) {
  await page.keyboard.press('Tab');
  return page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return { cls: el.className, href: el.getAttribute('href'), top: r.top, bottom: r.bottom,
             outline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 };
  });
}

// Visits every HTML page of the site reachable by links from /es/ (at most LIMIT),
// recording for each its status, its Content-Encoding and the failed subresources;
// then reloads one and records the status the revalidation got.
async function walkSite(browser, limit = 80) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'es-US' });
  const page = await context.newPage();
  const failed = watchSubresources(page);
  const seen = new Set();
  const queue = [`${base}/es/`];
  const pages = [];
  while (queue.length > 0 && pages.length < limit) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const resp = await page.goto(url, { waitUntil: 'load' });
    const headers = await resp.allHeaders();
    pages.push({ url: new URL(url).pathname + new URL(url).search, status: resp.status(),
                 encoding: headers['content-encoding'] ?? null,
                 vary: headers['vary'] ?? null });
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    for (const href of links) {
      const u = new URL(href);
      u.hash = '';
      if (u.origin !== origin || /\.(atom|ics|xml|txt)$/.test(u.pathname)
          || u.searchParams.has('lang')) continue;
      if (!seen.has(u.href)) queue.push(u.href);
    }
  }
  // a reload revalidates the document with the ETag the browser got: 304
  const statuses = [];
  page.on('response', (r) => {
    if (r.request().isNavigationRequest()) statuses.push(r.status());
  });
  await page.goto(`${base}/es/about`, { waitUntil: 'load' });
  await page.reload({ waitUntil: 'load' });
  const title = await page.title();
  const refetched = await settleAborted(context, failed);
  await context.close();
  return { pages, failed, refetched, reload: statuses, reloadTitle: title,
           left: queue.length };
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
  await context.close();

  // The home page on a small phone, in each language.
  result.phone = {};
  for (const lang of ['es', 'en']) {
    const phone = await browser.newContext({
      viewport: PHONE, deviceScaleFactor: 1, isMobile: true, hasTouch: true,
      locale: lang === 'es' ? 'es-US' : 'en-US',
    });
    const p = await phone.newPage();
    const failed = watchSubresources(p);
    const resp = await p.goto(`${base}/${lang}/`, { waitUntil: 'load' });
    const seen = await measureHome(p);
    seen.status = resp.status();
    const shot = path.join(outdir, `home-${lang}-360.png`);
    await p.screenshot({ path: shot, fullPage: false });
    const full = path.join(outdir, `home-${lang}-360-full.png`);
    await p.screenshot({ path: full, fullPage: true });
    seen.skipLink = await skipLinkOnTab(p);
    seen.screenshots = [shot, full];
    await settleAborted(phone, failed);
    seen.failed = failed;
    console.error(`home page, ${lang}, 360x640: ${shot} (first screen), ${full} (whole page)`);
    result.phone[lang] = seen;
    await phone.close();
  }

  // A visitor walks the whole site from the Spanish home page, following every link
  // to a page of the site (not feeds or calendars, which a browser downloads), as the
  // browser fetches them: compressed, with every subresource. Then a reload: the
  // browser revalidates the page and gets 304.
  result.walk = await walkSite(browser);
} catch (err) {
  result.error = String(err);
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.error ? 1 : 0);
