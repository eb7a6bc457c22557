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

  await j.step('results of top-three: overall and per group; another method', async () => {
    const r = round('top-three');
    await page.goto(urls.adminExercise(ex));
    await clickAndLoad(page, S.resultsLink(page, ex, r).first(), `Results for "${r.title}"`);
    expectPath(page, urls.adminResults(ex, r));
    expectStatus(page, 200);
    await expectVisible(S.overallTable(page), 'a table with a caption containing "Overall"');
    const tables = await S.tables(page).count();
    assert.ok(tables >= 2, `expected the overall table and one per group, found ${tables} table(s)`);
    await capture.page(page, name('results'));
    const methods = await S.methodSelect(page).evaluate((el) => ({ value: el.value, all: [...el.options].map((o) => o.value) }));
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
    return `methods: ${methods.all.join(', ')}; weightings: ${weightings.join(', ')}`;
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

  await j.step('a broken definition is refused with its line number', async () => {
    await page.goto(urls.adminExercise(ex));
    await clickAndLoad(page, S.editDefinition(page), texts.editDefinition);
    expectPath(page, urls.adminDefinition(ex));
    expectStatus(page, 200);
    await capture.page(page, name('definition'));
    const definition = await S.definition(page).inputValue();
    assert.match(definition, /top_k = 3/, 'the definition should be in the textarea');
    // A top_k of 0 is always refused (a top_k above the item count may now wait for curation).
    const broken = definition.replace('top_k = 3', 'top_k = 0');
    await S.definition(page).fill(broken);
    await clickAndLoad(page, S.save(page), texts.save);
    await expectErrorSummary(page);
    const line = broken.slice(0, broken.indexOf('top_k = 0')).split('\n').length;
    const messages = (await S.errorMessages(page).allInnerTexts()).join('\n');
    assert.match(messages, texts.lineNumber, `the error should give a line number: ${messages}`);
    assert.match(messages, new RegExp(`line\\s+${line}\\b`, 'i'), `the error should be on line ${line}: ${messages}`);
    assert.equal(await S.definition(page).inputValue(), broken, 'the text sent should be kept');
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
