// The stakeholder journey with the keyboard alone (JavaScript on): only page.keyboard presses
// move the focus, fill the forms and submit them. page.goto is used only where a person would
// type an address: the exercise page at the start and between rounds.

import assert from 'node:assert/strict';
import { expectErrorSummary, expectH1, expectPath, expectStatus, newJourneyPage, reportPageProblems } from '../lib/browser.mjs';
import { Keyboard } from '../lib/keyboard.mjs';
import { S, texts, urls } from '../lib/selectors.mjs';
import { byId, expectNoFeedbackYet, readRound } from './stakeholder.mjs';

export async function keyboardJourney({ runner, browser, capture, base, ex }) {
  const prefix = 'keyboard';
  const group = byId(ex.groups, 'practitioners');
  const { context, page, problems } = await newJourneyPage(browser, runner, { name: prefix, base });
  const j = runner.journey(prefix, page);
  const kb = new Keyboard(page);
  const round = (id) => byId(ex.rounds, id);
  const item = (id) => byId(ex.items, id);
  let n = 0;
  const name = (what) => `${prefix}-${String(++n).padStart(2, '0')}-${what}`;
  const ratingsGiven = { 'mental-health': '4', transitions: '5', 'kinship-care': 'dont-know', 'stable-workforce': '2', 'early-help': '3' };

  const toRound = async (r) => {
    await page.goto(urls.exercise(ex));
    await kb.activate(S.roundLink(page, r), `the link to round "${r.title}"`);
    expectPath(page, urls.round(ex, r));
    expectStatus(page, 200);
  };
  const continueToCheckAndSubmit = async (r, label) => {
    await kb.activate(S.saveAndContinue(page), texts.saveAndContinue);
    expectPath(page, urls.check(ex, r));
    await expectH1(page, texts.checkHeading);
    await capture.page(page, name(`${label}-check`));
    await kb.activate(S.submit(page), texts.submit);
    expectPath(page, urls.done(ex, r));
    await expectH1(page, texts.doneHeading);
    await capture.page(page, name(`${label}-done`));
  };

  // A link given role="button" is announced as a button, and a button is pressed with Space as
  // well as Enter; a plain link is followed with Enter only.
  await j.step('"Start now" works with Space too if it says it is a button', async () => {
    await page.goto(urls.exercise(ex));
    await kb.tabTo(S.startNow(page), `"${texts.startNow}"`);
    const element = await S.startNow(page).first().evaluate((el) => ({ tag: el.tagName.toLowerCase(), role: el.getAttribute('role') }));
    if (element.tag === 'a' && element.role !== 'button') return 'a plain link: Enter only';
    const loaded = page.waitForEvent('load', { timeout: 2_000 }).then(() => true, () => false);
    await page.keyboard.press('Space');
    assert.ok(await loaded, `Space on "${texts.startNow}" (<${element.tag} role="${element.role}">) did nothing`);
    expectPath(page, urls.start(ex));
    return `<${element.tag}${element.role ? ` role="${element.role}"` : ''}>`;
  });

  await j.step(`"Start now", the group "${group.label}" by arrow keys, Continue`, async () => {
    await page.goto(urls.exercise(ex));
    await kb.activate(S.startNow(page), `"${texts.startNow}"`);
    expectPath(page, urls.start(ex));
    await kb.chooseRadio(S.groupRadios(page), 'the group radios', group.id);
    await capture.page(page, name('start-chosen'));
    await kb.activate(S.continueButton(page), 'Continue');
    expectPath(page, urls.started(ex));
    assert.match((await S.resumeCode(page).innerText()).trim(), /\S{6,}/, 'a resume code');
    await kb.activate(S.continueLink(page), 'the Continue link');
    expectPath(page, urls.round(ex, round('ideas')));
  }, { critical: true });

  await j.step('ideas: type a question, Save and continue, Submit', async () => {
    const r = round('ideas');
    if (!page.url().endsWith(urls.round(ex, r))) await toRound(r);
    await kb.type(S.suggestion(page, 1), 'the field "Question 1"', 'Which early help keeps families together?');
    await continueToCheckAndSubmit(r, 'ideas');
  });

  await j.step('ratings: an empty answer moves the focus to the error summary; then arrow keys', async () => {
    const r = round('ratings');
    await toRound(r);
    await kb.activate(S.saveAndContinue(page), texts.saveAndContinue);
    await expectErrorSummary(page);
    const summaryFocused = await page.waitForFunction(
      () => {
        const summary = document.querySelector('.error-summary');
        return summary && summary === document.activeElement;
      },
      null,
      { timeout: 2_000 },
    ).then(() => true, () => false);
    assert.ok(summaryFocused, 'after a validation error the error summary should be document.activeElement');
    const info = await kb.focusState();
    assert.ok(info.visible, `the focused error summary should show its focus (${info.how})`);
    await capture.page(page, name('ratings-error'));
    // Tab goes to the first link of the summary; Enter follows it to the field.
    await page.keyboard.press('Tab');
    await kb.focusState();
    const href = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    assert.ok(href?.startsWith('#'), `Tab from the summary should reach its first link, reached ${href}`);
    await page.keyboard.press('Enter');
    // The link leads to the field: the page's script focuses it; without it, the URL's hash.
    const reached = await page
      .waitForFunction((h) => location.hash === h || document.activeElement?.id === h.slice(1), href, { timeout: 2_000 })
      .then(() => true, () => false);
    assert.ok(reached, `Enter on the error link ${href} should lead to the field (focus is on ${(await kb.focusState()).desc})`);
    await kb.focusState();
    for (const [id, value] of Object.entries(ratingsGiven)) {
      await kb.chooseRadio(S.ratingRadios(page, item(id)), `the ratings of "${item(id).title}"`, value);
    }
    assert.deepEqual(await readRound(page, ex, r), ratingsGiven);
    await continueToCheckAndSubmit(r, 'ratings');
  });

  // Round "ratings" is still open, so no ratings yet; the resume journey opens the table of
  // "How people rated this last time" with Enter once the run has closed it.
  await j.step('rerate: no ratings while round "ratings" is open; arrow keys', async () => {
    const r = round('rerate');
    await toRound(r);
    await expectNoFeedbackYet(page, ex, r, round('ratings'));
    await capture.page(page, name('rerate'));
    const answers = { 'mental-health': '5', transitions: '5', 'kinship-care': '3', 'stable-workforce': '2', 'early-help': 'dont-know' };
    for (const [id, value] of Object.entries(answers)) {
      await kb.chooseRadio(S.ratingRadios(page, item(id)), `the ratings of "${item(id).title}"`, value);
    }
    assert.deepEqual(await readRound(page, ex, r), answers);
    await continueToCheckAndSubmit(r, 'rerate');
  });

  await j.step('criteria: arrow keys in every group', async () => {
    const r = round('criteria');
    await toRound(r);
    const values = ['no', 'yes', 'undecided', 'yes', 'dont-know'];
    const answers = {};
    for (const [i, id] of r.items.entries()) {
      for (const [c, criterion] of r.criteria.entries()) {
        const value = values[(i + c) % values.length];
        await kb.chooseRadio(S.ratingRadios(page, item(id), criterion), `"${item(id).title}": ${criterion.label}`, value);
        (answers[id] ??= {})[criterion.id] = value;
      }
    }
    assert.deepEqual(await readRound(page, ex, r), answers);
    await continueToCheckAndSubmit(r, 'criteria');
  });

  await j.step('top-three: ranks chosen with ArrowDown in the selects', async () => {
    const r = round('top-three');
    await toRound(r);
    const ranks = { transitions: '1', 'early-help': '2', 'mental-health': '3' };
    for (const [id, rank] of Object.entries(ranks)) {
      await kb.chooseOption(S.rankSelect(page, item(id)), `the rank of "${item(id).title}"`, rank);
    }
    assert.deepEqual(await readRound(page, ex, r), ranks);
    await continueToCheckAndSubmit(r, 'top-three');
  });

  await j.step('pick-two: Space ticks two boxes', async () => {
    const r = round('pick-two');
    await toRound(r);
    const picks = ['transitions', 'stable-workforce'];
    for (const id of picks) await kb.setCheckbox(S.pickCheckbox(page, item(id)), `the box "${item(id).title}"`);
    assert.deepEqual(await readRound(page, ex, r), picks);
    await continueToCheckAndSubmit(r, 'pick-two');
  });

  await j.step('pairs: Enter on a choice, then Finish', async () => {
    const r = round('pairs');
    await toRound(r);
    await kb.activate(S.choiceButtons(page).first(), 'the first choice button');
    expectStatus(page, 200);
    await capture.page(page, name('pairs-after-choice'));
    await kb.activate(S.finish(page), `"${texts.finish}"`);
    expectPath(page, urls.check(ex, r));
    await capture.page(page, name('pairs-check'));
    await kb.activate(S.submit(page), texts.submit);
    expectPath(page, urls.done(ex, r));
    await expectH1(page, texts.doneHeading);
  });

  await runner.check(`${prefix}: every focused element shows its focus`, async () => {
    assert.ok(kb.focused > 0, 'nothing was focused');
    const missing = [...kb.notVisible].map(([where, how]) => `${where}: ${how}`);
    assert.equal(missing.length, 0, `no visible focus on ${missing.length} element(s):\n${missing.join('\n')}`);
    return `${kb.focused} focus stops checked; shown by ${kb.howSummary()}`;
  });

  await reportPageProblems(runner, prefix, problems);
  await context.close();
  return { group, started: !j.blocked };
}
