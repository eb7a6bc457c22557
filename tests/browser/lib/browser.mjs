// Browser plumbing: launching Debian's Chromium through playwright-core, pages that record what
// went wrong (script errors, server errors, document status), navigation helpers, and the
// screenshot + axe-core capture of every page a journey visits.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { S, texts } from './selectors.mjs';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const WIDTHS = [320, 1280];
const DEFAULT_VIEWPORT = { width: 1280, height: 900 };
const ACTION_TIMEOUT = Number(process.env.BROWSER_TIMEOUT_MS ?? 5_000);

export async function launch() {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

const state = new WeakMap(); // page -> { lastStatus, lastUrl }

/**
 * A new context and page for one journey. Script errors and server errors (5xx) on the page
 * are reported to the runner as failures of a check named after the journey.
 */
export async function newJourneyPage(browser, runner, { name, javaScriptEnabled = true, base }) {
  const context = await browser.newContext({
    javaScriptEnabled,
    viewport: DEFAULT_VIEWPORT,
    baseURL: base,
    locale: 'en-GB',
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT * 2);
  const page = await context.newPage();
  const problems = { pageErrors: [], serverErrors: [], consoleErrors: [] };
  const pageState = { lastStatus: null, javaScriptEnabled, problems, name };
  state.set(page, pageState);
  page.on('response', (response) => {
    const request = response.request();
    if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
      pageState.lastStatus = response.status();
    }
    if (response.status() >= 500) problems.serverErrors.push(`${response.status()} ${request.method()} ${response.url()}`);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // A 4xx document (a validation error, 422) logs "Failed to load resource": expected.
    const aboutDocument = message.location()?.url === page.url() && /^Failed to load resource.* 4\d\d /.test(message.text());
    if (!aboutDocument) problems.consoleErrors.push(`${page.url()}: ${message.text()} ${message.location()?.url ?? ''}`);
  });
  return { context, page, problems };
}

export const lastStatus = (page) => state.get(page)?.lastStatus;
export const javaScriptEnabled = (page) => state.get(page)?.javaScriptEnabled ?? true;

/** Records the journey's page problems as one check. */
export async function reportPageProblems(runner, prefix, problems) {
  for (const message of problems.consoleErrors) runner.warn(`${prefix}: console error: ${message}`);
  await runner.check(`${prefix}: no script errors and no server errors (5xx)`, async () => {
    const all = [...problems.pageErrors.map((e) => `script error: ${e}`), ...problems.serverErrors.map((e) => `server error: ${e}`)];
    assert.equal(all.length, 0, all.join('\n'));
  });
}

// ---------------------------------------------------------------------------------------------
// Navigation

/** Resolves when the page has loaded a new document. Create it before the action that navigates. */
export function nextLoad(page, timeout = ACTION_TIMEOUT * 2) {
  const promise = page.waitForEvent('load', { timeout }).then(
    () => null,
    (error) => error,
  );
  return async () => {
    const error = await promise;
    if (error) throw new Error(`no new page was loaded: ${error.message.split('\n')[0]}`);
  };
}

/** Clicks (or runs `action`) and waits for the next page to load. */
export async function clickAndLoad(page, locator, what) {
  const loaded = nextLoad(page);
  try {
    await locator.click();
  } catch (error) {
    throw new Error(`cannot click ${what ?? locator}: ${error.message}`);
  }
  await loaded();
}

export async function goto(page, url) {
  const response = await page.goto(url);
  return response;
}

export function pathOf(page) {
  const url = new URL(page.url());
  return url.pathname;
}

export function expectPath(page, expected, context = '') {
  const actual = pathOf(page);
  if (expected instanceof RegExp) assert.match(actual, expected, `${context}expected to be at ${expected}, at ${page.url()}`);
  else assert.equal(actual, expected, `${context}expected to be at ${expected}, at ${page.url()}`);
}

export function expectStatus(page, expected) {
  assert.equal(lastStatus(page), expected, `expected HTTP status ${expected} for ${page.url()}, got ${lastStatus(page)}`);
}

export async function expectH1(page, expected) {
  const h1 = S.h1(page);
  const count = await h1.count();
  assert.equal(count, 1, `expected one h1 on ${page.url()}, found ${count}`);
  const text = (await h1.innerText()).trim();
  if (expected instanceof RegExp) assert.match(text, expected, `h1 of ${page.url()}`);
  else assert.equal(text, expected, `h1 of ${page.url()}`);
  return text;
}

export async function expectVisible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible' });
  } catch (error) {
    throw new Error(`expected to see ${what}: ${error.message.split('\n')[0]}`);
  }
}

/**
 * The GOV.UK error summary: status 422, the summary with its heading and one link per problem
 * whose target exists, the same messages beside the fields. Returns the link targets.
 */
export async function expectErrorSummary(page, { minLinks = 1 } = {}) {
  expectStatus(page, 422);
  await expectVisible(S.errorSummary(page), 'the error summary');
  await expectVisible(S.errorSummaryHeading(page), `the heading "${texts.errorSummaryHeading}" in the error summary`);
  const links = await S.errorSummaryLinks(page).evaluateAll((anchors) =>
    anchors.map((a) => {
      const id = decodeURIComponent(a.getAttribute('href').slice(1));
      return { id, text: a.textContent.trim(), exists: !!document.getElementById(id) };
    }),
  );
  assert.ok(links.length >= minLinks, `expected at least ${minLinks} link(s) in the error summary, found ${links.length}`);
  const missing = links.filter((l) => !l.exists);
  assert.equal(missing.length, 0, `error summary links to missing ids: ${missing.map((l) => `#${l.id}`).join(', ')}`);
  const messages = await S.errorMessages(page).allInnerTexts();
  assert.ok(messages.length >= 1, 'expected an error message beside the field (.error-message)');
  for (const link of links) {
    assert.ok(
      messages.some((m) => m.includes(link.text) || link.text.includes(m.replace(/^Error:\s*/, '').trim())),
      `the error summary says "${link.text}" but no .error-message beside a field says it (messages: ${JSON.stringify(messages)})`,
    );
  }
  // The summary comes before the page's h1 and every field, so that it is read first without JS.
  const first = await page.evaluate(() => {
    const summary = document.querySelector('.error-summary');
    const h1 = document.querySelector('h1');
    const field = document.querySelector('main input:not([type=hidden]), main select, main textarea');
    const before = (a, b) => !b || !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    return { beforeH1: before(summary, h1), beforeFields: before(summary, field) };
  });
  assert.ok(first.beforeH1 && first.beforeFields, 'the error summary should come before the h1 and the fields');
  return links;
}

// ---------------------------------------------------------------------------------------------
// Screenshots and axe-core

/** The violations; a run that checked nothing (axe blocked, an empty page) is an error too. */
function violationsOf(results) {
  if (results.passes.length + results.violations.length === 0) {
    throw new Error(`axe-core checked nothing on ${results.url}`);
  }
  return results.violations;
}

/**
 * Captures the page as it is now: full-page screenshots at each width, a reflow check at 320 px
 * (WCAG 1.4.10: no horizontal scrolling of the whole page) and axe-core. Each name is used once.
 */
export class Capture {
  constructor({ runner, browser, dir, enabled = true, axe = true }) {
    this.runner = runner;
    this.browser = browser;
    this.dir = dir;
    this.enabled = enabled;
    this.axe = axe;
    this.names = new Set();
    this.stats = { files: 0 };
    this.axeHelper = null;
    if (enabled) mkdirSync(dir, { recursive: true });
  }

  async page(page, name) {
    let unique = name;
    for (let n = 2; this.names.has(unique); n++) unique = `${name}-${n}`;
    this.names.add(unique);
    const url = page.url();
    const where = pathOf(page) + new URL(url).search;
    let width320 = null;
    const what = [this.enabled && 'screenshots', this.axe && 'axe'].filter(Boolean).join(' and ') || 'visited';
    await this.runner.check(`page ${unique}: ${what}`, async () => {
      const original = page.viewportSize() ?? DEFAULT_VIEWPORT;
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: original.height });
        if (width === 320) width320 = await page.evaluate(() => document.documentElement.scrollWidth);
        if (this.enabled) {
          // A full-page screenshot of a long page (the method report) is slow on a busy machine;
          // it is not an interaction, so it gets longer than an action does.
          await page.screenshot({ path: path.join(this.dir, `${unique}-${width}.png`), fullPage: true, timeout: ACTION_TIMEOUT * 6 });
          this.stats.files += 1;
        }
      }
      await page.setViewportSize(original);
      if (this.axe) {
        const violations = await this.analyze(page);
        if (violations.length) {
          this.runner.axeViolations.push({ page: unique, url, violations });
          const list = violations.map((v) => `${v.id} [${v.impact}] (${v.nodes.length} node${v.nodes.length > 1 ? 's' : ''})`);
          throw new Error(`${url}\naxe: ${list.join(', ')}`);
        }
      }
      return where;
    });
    // WCAG 1.4.10 Reflow: at 320 CSS px nothing may need horizontal scrolling of the whole page
    // (wide tables may scroll inside their own container). axe-core cannot see this.
    if (width320 !== null && process.env.REFLOW !== '0') {
      await this.runner.check(`page ${unique}: reflow at 320 px`, async () => {
        if (width320 > 321) {
          this.runner.reflow.push({ page: unique, url, width: width320 });
          throw new Error(`${url}\nat 320 px the page is ${width320} px wide: it scrolls sideways`);
        }
      });
    }
  }

  async analyze(page) {
    if (javaScriptEnabled(page)) return violationsOf(await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze());
    // axe-core cannot run in a page whose scripts are off. Its document, as served without
    // JavaScript, is loaded in a JavaScript-enabled helper page (its own scripts left out, its
    // styles fetched from the server as usual) and checked there.
    if (!this.axeHelper) {
      const context = await this.browser.newContext({ viewport: DEFAULT_VIEWPORT, locale: 'en-GB' });
      context.setDefaultTimeout(ACTION_TIMEOUT);
      this.axeHelper = await context.newPage();
    }
    const helper = this.axeHelper;
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
    const url = page.url().replace(/#.*$/, '');
    const handler = (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    const matches = (u) => u.href.replace(/#.*$/, '') === url;
    await helper.route(matches, handler);
    try {
      await helper.goto(url);
      return violationsOf(await new AxeBuilder({ page: helper }).withTags(AXE_TAGS).analyze());
    } finally {
      await helper.unroute(matches, handler);
    }
  }

  get files() {
    return this.stats.files;
  }

  async close() {
    if (this.axeHelper) await this.axeHelper.context().close();
  }
}
