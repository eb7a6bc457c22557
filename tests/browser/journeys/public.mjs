// A member of the public reads published results (issue 16 §3): with the mouse, with the
// keyboard alone, and with JavaScript off; the easy-read summary and the method report; the page
// printed. The journey first gives the rank round answers of its own and publishes it through
// the API with the admin token, so it runs alone too (BROWSER_JOURNEYS=public).

import assert from 'node:assert/strict';
import {
  clickAndLoad,
  expectH1,
  expectPath,
  expectStatus,
  expectVisible,
  newJourneyPage,
  reportPageProblems,
} from '../lib/browser.mjs';
import { Keyboard } from '../lib/keyboard.mjs';
import { ADMIN_TOKEN } from '../lib/server.mjs';

const ROUND = 'top-three';

async function call(base, method, path, body, { admin = false } = {}) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(admin ? { Authorization: `Bearer ${ADMIN_TOKEN}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} /api/v1${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Answers for the rank round from every group (the round is open), then publishes it. */
async function answerAndPublish(base, ex) {
  const round = ex.rounds.find((r) => r.id === ROUND);
  assert.ok(round, `the exercise has no round ${ROUND}`);
  const items = round.items;
  const k = round.top_k ?? 3;
  let n = 0;
  for (const group of ex.groups) {
    for (let person = 0; person < 3; person++) {
      const { respondent } = await call(base, 'POST', `/exercises/${ex.id}/respondents`, { group: group.id });
      const order = [...items.slice(n % items.length), ...items.slice(0, n % items.length)].slice(0, k);
      n += 1;
      await call(base, 'PUT', `/exercises/${ex.id}/rounds/${ROUND}/responses/${respondent}`, { ranking: order, submit: true });
    }
  }
  return call(base, 'POST', `/exercises/${ex.id}/rounds/${ROUND}/publication`, null, { admin: true });
}

export async function publicJourney({ runner, browser, capture, base, ex }) {
  const resultsUrl = `/e/${ex.id}/results`;
  let published = null;
  const ok = await runner.check(`setup: answers for ${ROUND}, then publish it through the API`, async () => {
    published = await call(base, 'POST', `/exercises/${ex.id}/rounds/${ROUND}/publication`, null, { admin: true }).catch(() => null);
    if (!published) published = await answerAndPublish(base, ex);
    assert.equal(published.page, resultsUrl);
    return `snapshot ${published.publication}, ${published.respondents} people`;
  });
  if (!ok) return;
  const snapshot = await call(base, 'GET', `/exercises/${ex.id}/publication`);
  const topTitles = snapshot.final_list.slice(0, 10).map((entry) => entry.title);

  // With the mouse.
  {
    const prefix = 'public';
    const { context, page, problems } = await newJourneyPage(browser, runner, { name: prefix, base });
    const j = runner.journey(prefix, page);
    await j.step('the results page: title, date, the top ten in order, the explanation, each group', async () => {
      await page.goto(resultsUrl);
      expectStatus(page, 200);
      await expectH1(page, `Results of ${ex.title}`);
      await expectVisible(page.getByText(`Published ${snapshot.published_on}`), 'the date');
      const titles = await page.locator('ol.priority-list:not(.priority-list-rest) .priority-title').allInnerTexts();
      assert.deepEqual(titles, topTitles, 'the top ten, in order');
      await expectVisible(page.getByRole('heading', { name: 'How the list was made' }), 'the explanation');
      for (const group of snapshot.groups) {
        await expectVisible(page.getByRole('heading', { level: 3, name: new RegExp(group.group) }), `the group ${group.group}`);
      }
      await capture.page(page, 'public-01-results');
    }, { critical: true });
    if (snapshot.final_list.length > 10) {
      await j.step('the rest of the list opens from its disclosure', async () => {
        const rest = page.locator('ol.priority-list-rest');
        assert.equal(await rest.isVisible(), false, 'the rest is folded at first');
        await page.getByText(/The other \d+ topics/).click();
        await expectVisible(rest, 'the rest of the list');
      });
    }
    await j.step('printed: no navigation, the report links with their addresses', async () => {
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('header.header').isVisible(), false, 'the header is hidden in print');
      assert.equal(await page.locator('.skip-link').isVisible(), false, 'the skip link is hidden in print');
      const after = await page.locator('a.print-url').first().evaluate((a) => getComputedStyle(a, '::after').content);
      assert.match(after, /results\/report/, 'the report link shows its address');
      await page.screenshot({ path: `${capture.dir}/public-02-print.png`, fullPage: true });
      await page.emulateMedia({ media: 'screen' });
    });
    await j.step('the easy-read summary: short sentences, the top ten, large type', async () => {
      await page.goto(resultsUrl);
      await clickAndLoad(page, page.getByRole('link', { name: 'Read an easy-read summary' }), 'the easy-read link');
      expectPath(page, `${resultsUrl}/easy-read`);
      await expectH1(page, 'What we found');
      const items = await page.locator('ol.easy-read-list li').allInnerTexts();
      assert.deepEqual(items, topTitles);
      const size = await page.locator('.easy-read-text').first().evaluate((p) => parseFloat(getComputedStyle(p).fontSize));
      assert.ok(size >= 22, `easy-read text is large (${size}px)`);
      await capture.page(page, 'public-03-easy-read');
    });
    await j.step('the full method report: viewed and downloaded', async () => {
      await page.goto(resultsUrl);
      await clickAndLoad(page, page.getByRole('link', { name: 'View the full method report' }), 'the report link');
      expectPath(page, `${resultsUrl}/report`);
      await expectVisible(page.getByRole('heading', { level: 1 }), 'the report heading');
      assert.equal(await page.locator('script').count(), 0, 'the report has no script');
      await capture.page(page, 'public-04-report');
      await page.goto(resultsUrl);
      const download = page.waitForEvent('download');
      await page.getByRole('link', { name: /Download the full method report/ }).click();
      const file = await download;
      assert.match(file.suggestedFilename(), /report\.html$/);
    });
    await reportPageProblems(runner, prefix, problems);
    await context.close();
  }

  // With the keyboard alone.
  {
    const prefix = 'public-keyboard';
    const { context, page, problems } = await newJourneyPage(browser, runner, { name: prefix, base });
    const j = runner.journey(prefix, page);
    const keys = new Keyboard(page);
    await j.step('Tab to the easy-read summary and back, then to the report', async () => {
      await page.goto(resultsUrl);
      await keys.activate(page.getByRole('link', { name: 'Read an easy-read summary' }), 'the easy-read link');
      expectPath(page, `${resultsUrl}/easy-read`);
      await keys.activate(page.getByRole('link', { name: 'All the results' }), 'the link back');
      expectPath(page, resultsUrl);
      if (snapshot.final_list.length > 10) {
        await keys.tabTo(page.locator('summary'), 'the rest of the list');
        await keys.press('Enter');
        await expectVisible(page.locator('ol.priority-list-rest'), 'the rest, opened with Enter');
      }
      await keys.activate(page.getByRole('link', { name: 'View the full method report' }), 'the report link');
      expectPath(page, `${resultsUrl}/report`);
      assert.equal(keys.notVisible.size, 0, `focus not shown on: ${[...keys.notVisible.keys()].join(', ')}`);
    });
    await reportPageProblems(runner, prefix, problems);
    await context.close();
  }

  // With JavaScript off.
  {
    const prefix = 'public-nojs';
    const { context, page, problems } = await newJourneyPage(browser, runner, { name: prefix, base, javaScriptEnabled: false });
    const j = runner.journey(prefix, page);
    await j.step('the page, the easy-read summary and the not-published page work without JavaScript', async () => {
      await page.goto(resultsUrl);
      expectStatus(page, 200);
      const titles = await page.locator('ol.priority-list:not(.priority-list-rest) .priority-title').allInnerTexts();
      assert.deepEqual(titles, topTitles);
      await capture.page(page, 'public-05-nojs-results');
      await clickAndLoad(page, page.getByRole('link', { name: 'Read an easy-read summary' }), 'the easy-read link');
      await expectH1(page, 'What we found');
      await capture.page(page, 'public-06-nojs-easy-read');
      const list = await call(base, 'GET', '/exercises');
      const other = list.exercises.find((e) => e.id !== ex.id);
      if (other) {
        await page.goto(`/e/${other.id}/results`);
        expectStatus(page, 404);
        await expectH1(page, `The results of ${other.title} are not published yet`);
        await capture.page(page, 'public-07-not-published');
      }
    });
    await reportPageProblems(runner, prefix, problems);
    await context.close();
  }
}
