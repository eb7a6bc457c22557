// The research lead's journey: sign in, the exercise page, close and reopen a round,
// participation, results, the CSV download, invites, a broken definition, sign out.

import assert from 'node:assert/strict';
import {
  clickAndLoad,
  expectErrorSummary,
  expectH1,
  expectPath,
  expectStatus,
  expectVisible,
  lastStatus,
  newJourneyPage,
  nextLoad,
  reportPageProblems,
} from '../lib/browser.mjs';
import { S, texts, urls } from '../lib/selectors.mjs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, getExercise } from '../lib/server.mjs';
import { byId } from './stakeholder.mjs';
import { Keyboard } from '../lib/keyboard.mjs';

export async function adminJourney({ runner, browser, capture, base, ex, groupsThatAnswered }) {
  const prefix = 'admin';
  const { context, page, problems } = await newJourneyPage(browser, runner, { name: prefix, base });
  const j = runner.journey(prefix, page);
  const round = (id) => byId(ex.rounds, id);
  let n = 0;
  const name = (what) => `${prefix}-${String(++n).padStart(2, '0')}-${what}`;
  const roundState = async (id) => byId((await getExercise(base, ex.id)).rounds, id).state;

  await j.step('the admin pages ask to sign in first', async () => {
    await page.goto(urls.admin());
    expectPath(page, urls.adminSignIn(), 'GET /admin signed out: ');
    await capture.page(page, name('sign-in'));
  });

  await j.step('a wrong password is an error', async () => {
    await page.goto(urls.adminSignIn());
    await S.email(page).fill(ADMIN_EMAIL);
    await S.password(page).fill('not the passphrase');
    await clickAndLoad(page, S.signIn(page), texts.signIn);
    const status = lastStatus(page);
    assert.ok(status === 422 || status === 401 || status === 403, `expected 401, 403 or 422, got ${status}`);
    await expectVisible(S.errorSummary(page), 'the error summary');
    await capture.page(page, name('sign-in-error'));
  });

  await j.step('sign in', async () => {
    await page.goto(urls.adminSignIn());
    await S.email(page).fill(ADMIN_EMAIL);
    await S.password(page).fill(ADMIN_PASSWORD);
    await clickAndLoad(page, S.signIn(page), texts.signIn);
    expectPath(page, urls.admin());
    expectStatus(page, 200);
    await expectVisible(S.adminExerciseLink(page, ex), `a link to ${urls.adminExercise(ex)}`);
    await capture.page(page, name('home'));
  }, { critical: true });

  await j.step('the exercise page: rounds, participation, invites, results and CSV links', async () => {
    await clickAndLoad(page, S.adminExerciseLink(page, ex).first(), 'the exercise link');
    expectPath(page, urls.adminExercise(ex));
    expectStatus(page, 200);
    await expectH1(page, /.+/);
    await expectVisible(S.participationTable(page), 'a table with a caption containing "Participation"');
    for (const r of ex.rounds) {
      await expectVisible(S.adminRoundScope(page, r), `round "${r.title}" with an Open or Close button`);
      if (S.hasResults(r)) await expectVisible(S.resultsLink(page, ex, r), `a Results link for "${r.title}"`);
      else assert.equal(await S.resultsLink(page, ex, r).count(), 0, `no Results link for "${r.title}" (${r.kind})`);
      await expectVisible(S.csvLink(page, r), `a "Download responses (CSV)" link for "${r.title}"`);
    }
    await expectVisible(S.inviteCount(page), 'the invite count field');
    await expectVisible(S.editDefinition(page), `"${texts.editDefinition}"`);
    await capture.page(page, name('exercise'));
  }, { critical: true });

  await j.step('close a round after its confirmation page, then open it again', async () => {
    const r = round('pick-two');
    await page.goto(urls.adminExercise(ex));
    let scope = S.adminRoundScope(page, r);
    assert.match(await scope.innerText(), texts.roundState.open, 'the round should show it is open');
    await clickAndLoad(page, S.closeButton(scope), `Close for "${r.title}"`);
    expectPath(page, urls.adminRoundAction(ex, r, 'close'), 'Close asks first: ');
    expectStatus(page, 200);
    await expectH1(page, texts.closeHeading(r.title));
    const asked = await S.main(page).innerText();
    assert.match(asked, texts.closeQuestion, 'the page should say how many answered and what closing does');
    assert.equal(await roundState(r.id), 'open', 'asking should change nothing');
    await capture.page(page, name('close-confirmation'));
    await clickAndLoad(page, S.confirmClose(page), texts.confirmClose);
    expectPath(page, urls.adminExercise(ex));
    expectStatus(page, 200);
    assert.equal(await roundState(r.id), 'closed', 'the API should say the round is closed');
    const notice = (await S.notice(page).innerText()).trim();
    assert.match(notice, texts.closedNotice(r.title), 'the notice should say the round is closed, with its answers');
    scope = S.adminRoundScope(page, r);
    assert.match(await scope.innerText(), texts.roundState.closed, 'the round should show it is closed');
    await capture.page(page, name('round-closed'));
    await clickAndLoad(page, S.openButton(scope), `Open for "${r.title}"`);
    expectPath(page, urls.adminRoundAction(ex, r, 'open'), 'Open says what it does first: ');
    await expectH1(page, texts.openHeading(r.title));
    await capture.page(page, name('open-confirmation'));
    await clickAndLoad(page, S.confirmOpen(page), texts.confirmOpen);
    expectStatus(page, 200);
    assert.equal(await roundState(r.id), 'open', 'the API should say the round is open again');
    assert.match((await S.notice(page).innerText()).trim(), texts.openedNotice(r.title), 'the notice should say the round is open');
    assert.match(await S.adminRoundScope(page, r).innerText(), texts.roundState.open, 'the round should show it is open again');
  });

  await j.step('participation counts the stakeholders of the journeys', async () => {
    await page.goto(urls.adminExercise(ex));
    const rows = await S.participationTable(page).locator('tr').allInnerTexts();
    for (const group of groupsThatAnswered) {
      const row = rows.find((text) => text.includes(group.label));
      assert.ok(row, `no row for "${group.label}" in the participation table:\n${rows.join('\n')}`);
      const numbers = (row.match(/\d+/g) ?? []).map(Number);
      assert.ok(numbers.some((x) => x >= 1), `the row for "${group.label}" should count at least 1: "${row}"`);
    }
    return `${groupsThatAnswered.length} groups counted`;
  });

  await j.step('results of top-three: the list by group in plain words, details by keyboard; another method', async () => {
    const r = round('top-three');
    await page.goto(urls.adminExercise(ex));
    await clickAndLoad(page, S.resultsLink(page, ex, r).first(), `Results for "${r.title}"`);
    expectPath(page, urls.adminResults(ex, r));
    expectStatus(page, 200);
    await expectVisible(S.overallTable(page), 'a table with a caption containing "overall"');
    for (const heading of [texts.resultsCertain, texts.resultsOtherMethods]) {
      await expectVisible(page.getByRole('heading', { level: 2, name: heading }), `the heading "${heading}"`);
    }
    // The method in words, never its id, in what a reader sees.
    const main = await page.locator('main').innerText();
    for (const id of ['borda', 'schulze', 'copeland', 'equal-groups', 'jla-positions']) {
      assert.ok(!new RegExp(`(^|[^\\w-])${id}([^\\w-]|$)`).test(main), `the id "${id}" is on the results page`);
    }
    assert.ok(!/-0(?![\d])|\d\.\d{4,}/.test(main), 'a negative zero or a long float on the results page');
    // Each group's own list is behind a disclosure, closed at first, that the keyboard opens.
    const summaries = S.resultsGroupSummaries(page);
    const groups = await summaries.count();
    assert.ok(groups >= 1, 'a disclosure for each group shown');
    assert.equal(await page.locator('details[open]').count(), 0, 'every disclosure closed at first');
    const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(pageHeight < 6000, `the results page is ${pageHeight} px tall with its disclosures closed`);
    await capture.page(page, name('results'));
    const kb = new Keyboard(page, { maxTabs: 200 });
    await page.locator('h1').focus();
    await kb.tabTo(summaries.first(), 'the first group\'s disclosure');
    await kb.press('Enter');
    assert.equal(await page.locator('details[open]').count(), 1, 'Enter opens the focused disclosure');
    await expectVisible(page.locator('details[open] table'), 'the group\'s own list once opened');
    await capture.page(page, name('results-group-open'));
    const methods = await S.methodSelect(page).evaluate((el) => ({ value: el.value, all: [...el.options].map((o) => o.value), labels: [...el.options].map((o) => o.text) }));
    assert.ok(methods.labels.every((label) => !methods.all.includes(label) || label === ''), `method labels in words: ${methods.labels.join(', ')}`);
    const other = methods.all.find((m) => m && m !== methods.value) ?? methods.value;
    await S.methodSelect(page).selectOption(other);
    const weightings = await S.weightingSelect(page).evaluate((el) => [...el.options].map((o) => o.value));
    await S.weightingSelect(page).selectOption(weightings[weightings.length - 1]);
    await clickAndLoad(page, S.showResults(page), texts.showResults);
    expectStatus(page, 200);
    const query = new URL(page.url()).searchParams;
    assert.equal(query.get('method'), other, `the results URL should have method=${other}: ${page.url()}`);
    await expectVisible(S.overallTable(page), 'the overall table for another method');
    await capture.page(page, name('results-other-method'));
    return `${groups} group disclosure(s), ${pageHeight} px tall at 1280; methods: ${methods.labels.join(', ')}`;
  });

  await j.step('the method report: viewed from the exercise page (axe, screenshots) and downloaded', async () => {
    await page.goto(urls.adminExercise(ex));
    // The report is computed when asked for (every round, bootstrapped, with the Delphi
    // section of the re-rating round): in a debug build on a busy machine it takes longer than
    // the 5 s an ordinary page gets.
    const reportLoaded = nextLoad(page, 60_000);
    await page.getByRole('link', { name: 'View the method report' }).click({ timeout: 60_000 });
    await reportLoaded();
    expectStatus(page, 200);
    await expectVisible(page.getByRole('heading', { level: 1 }), 'the report heading');
    assert.equal(await page.locator('script').count(), 0, 'the report has no script');
    await capture.page(page, name('report'));
    await page.goto(urls.adminExercise(ex));
    const href = await page.getByRole('link', { name: 'download it' }).getAttribute('href');
    const response = await context.request.get(new URL(href, page.url()).href, { timeout: 60_000 });
    assert.equal(response.status(), 200, `GET ${href}`);
    assert.match(response.headers()['content-disposition'] ?? '', /attachment/, 'the download is an attachment');
    return `${(await response.body()).length} bytes`;
  });

  await j.step('download the responses of top-three (CSV)', async () => {
    const r = round('top-three');
    await page.goto(urls.adminExercise(ex));
    const href = await S.csvLink(page, r).first().getAttribute('href');
    const response = await context.request.get(new URL(href, page.url()).href);
    assert.equal(response.status(), 200, `GET ${href}`);
    assert.match(response.headers()['content-type'] ?? '', /csv/, 'content type');
    const lines = (await response.text()).trim().split('\n');
    assert.ok(lines.length >= 2, `expected a header and at least one response, got ${lines.length} line(s)`);
    return `${lines.length - 1} response line(s)`;
  });

  await j.step('create 3 invites', async () => {
    await page.goto(urls.adminExercise(ex));
    await S.inviteCount(page).fill('3');
    await clickAndLoad(page, S.createInvites(page), texts.createInvites);
    expectStatus(page, 200);
    const codes = await S.inviteCodes(page).allInnerTexts();
    assert.equal(codes.length, 3, `expected the 3 new invite codes on the page, found ${codes.length}`);
    assert.equal(new Set(codes).size, 3, 'the invite codes should differ');
    await capture.page(page, name('invites'));
  });

  await j.step('a broken definition: every problem at once, each at its line, line numbers beside the text', async () => {
    await page.goto(urls.adminExercise(ex));
    await clickAndLoad(page, S.editDefinition(page), texts.editDefinition);
    expectPath(page, urls.adminDefinition(ex));
    expectStatus(page, 200);
    await capture.page(page, name('definition'));
    const definition = await S.definition(page).inputValue();
    assert.match(definition, /top_k = 3/, 'the definition should be in the textarea');
    // Two problems: a misspelt key first (which must not hide the rest) and a top_k of 0 (a
    // top_k above the item count may now wait for curation; 0 never can).
    assert.match(definition, /^title = /m, 'the definition should have a title line');
    const broken = definition.replace(/^title = /m, 'titel = ').replace('top_k = 3', 'top_k = 0');
    await S.definition(page).fill(broken);
    await clickAndLoad(page, S.save(page), texts.save);
    await expectErrorSummary(page, { minLinks: 2 });
    const lineOf = (text) => broken.slice(0, broken.indexOf(text)).split('\n').length;
    const [misspelt, zero] = [lineOf('titel = '), lineOf('top_k = 0')];
    const summary = await S.errorSummaryLinks(page).allInnerTexts();
    assert.equal(summary.length, 2, `both problems should be in the summary: ${JSON.stringify(summary)}`);
    assert.match(summary[0], new RegExp(`^Line ${misspelt}: unknown key titel: did you mean title\\?$`), summary[0]);
    assert.match(summary[1], new RegExp(`^Line ${zero}: round .*top_k is 0`), summary[1]);
    const messages = (await S.errorMessages(page).allInnerTexts()).join('\n');
    assert.match(messages, new RegExp(`line\\s+${zero}\\b`, 'i'), `the error should be on line ${zero}: ${messages}`);
    // The core's backticked names are code, never Markdown backticks.
    const errorHtml = await page.locator('.error-summary').innerHTML();
    assert.ok(!errorHtml.includes('`') && !messages.includes('`'), `no backtick should show: ${errorHtml}`);
    assert.ok(errorHtml.includes('<code>titel</code>'), `the key should be code: ${errorHtml}`);
    assert.equal(await S.definition(page).inputValue(), broken, 'the text sent should be kept');

    // The gutter: one number per line, each beside its line, and the text area as tall as
    // its text so that neither scrolls on its own.
    const gutter = page.locator('#definition-gutter');
    await expectVisible(gutter, 'the line numbers beside the definition');
    const numbers = (await gutter.textContent()).split('\n');
    const lines = broken.split('\n').length;
    assert.equal(numbers.length, lines, `the gutter should number ${lines} lines`);
    assert.equal(numbers[lines - 1], String(lines));
    const layout = await page.evaluate(() => {
      const text = document.getElementById('definition');
      const numbers = document.getElementById('definition-gutter');
      const [a, b] = [getComputedStyle(text), getComputedStyle(numbers)];
      const top = (element, style) =>
        element.getBoundingClientRect().top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
      return {
        lineHeights: [a.lineHeight, b.lineHeight],
        fontSizes: [a.fontSize, b.fontSize],
        tops: [top(text, a), top(numbers, b)],
        scrolls: text.scrollHeight > text.clientHeight,
      };
    });
    assert.equal(layout.lineHeights[0], layout.lineHeights[1], 'the gutter and the text should share a line height');
    assert.equal(layout.fontSizes[0], layout.fontSizes[1], 'the gutter and the text should share a font size');
    assert.ok(Math.abs(layout.tops[0] - layout.tops[1]) < 1, `the first number should sit beside the first line: ${layout.tops}`);
    assert.ok(!layout.scrolls, 'the text area should be as tall as its text');

    // A link to a line selects that line.
    await page.locator(`.error-summary a[data-line="${zero}"]`).click();
    const selected = await page.evaluate(() => {
      const text = document.getElementById('definition');
      return { focused: document.activeElement === text, value: text.value.slice(text.selectionStart, text.selectionEnd) };
    });
    assert.ok(selected.focused, 'the link should focus the definition');
    assert.equal(selected.value, 'top_k = 0', 'the link should select its line');
    // Typing a line adds a number.
    await S.definition(page).press('End');
    await S.definition(page).press('Enter');
    assert.equal((await gutter.textContent()).split('\n').length, lines + 1, 'a new line should get a number');
    await S.definition(page).fill(broken);
    await capture.page(page, name('definition-error'));
    const version = (await getExercise(base, ex.id)).version;
    assert.equal(version, ex.version, 'the broken definition must not be stored');
  });

  await j.step('sign out', async () => {
    await page.goto(urls.admin());
    await clickAndLoad(page, S.signOut(page), texts.signOut);
    expectStatus(page, 200);
    await capture.page(page, name('signed-out'));
    await page.goto(urls.admin());
    expectPath(page, urls.adminSignIn(), 'GET /admin after signing out: ');
  });

  await reportPageProblems(runner, prefix, problems);
  await context.close();
}
