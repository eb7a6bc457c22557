// The stakeholder journey with the mouse (click, fill, check): group choice, every round kind to
// its done page, validation errors, save for later, the check page's Change links. Run once with
// JavaScript on and once with it off.

import assert from 'node:assert/strict';
import {
  clickAndLoad,
  expectErrorSummary,
  expectH1,
  expectPath,
  expectStatus,
  expectVisible,
  javaScriptEnabled,
  newJourneyPage,
  reportPageProblems,
} from '../lib/browser.mjs';
import { Keyboard } from '../lib/keyboard.mjs';
import { S, texts, urls } from '../lib/selectors.mjs';
import { getExercise, openRound } from '../lib/server.mjs';

export const byId = (list, id) => {
  const found = list.find((x) => x.id === id);
  if (!found) throw new Error(`no "${id}" in ${list.map((x) => x.id).join(', ')}`);
  return found;
};

/** Goes to the exercise page and follows the link of a round. */
export async function openRoundFromExercise(page, ex, round) {
  await page.goto(urls.exercise(ex));
  expectStatus(page, 200);
  await clickAndLoad(page, S.roundLink(page, round).first(), `the link to round "${round.title}"`);
  expectPath(page, urls.round(ex, round));
  expectStatus(page, 200);
  await expectH1(page, /.+/);
}

/** Fills a round's form with the mouse. `answers` depends on the kind of round. */
export async function fillRound(page, ex, round, answers) {
  switch (round.kind) {
    case 'suggest':
      for (const [i, text] of answers.entries()) await S.suggestion(page, i + 1).fill(text);
      break;
    case 'rate':
      for (const [itemId, value] of Object.entries(answers)) {
        const item = byId(ex.items, itemId);
        if (typeof value === 'string') await S.ratingRadio(page, item, value).check();
        else {
          for (const [criterionId, v] of Object.entries(value)) {
            await S.ratingRadio(page, item, v, byId(round.criteria, criterionId)).check();
          }
        }
      }
      break;
    case 'rank':
      for (const item of round.items.map((id) => byId(ex.items, id))) {
        await S.rankSelect(page, item).selectOption(answers[item.id] ?? '');
      }
      break;
    case 'pick':
      for (const item of round.items.map((id) => byId(ex.items, id))) {
        await S.pickCheckbox(page, item).setChecked(answers.includes(item.id));
      }
      break;
    default:
      throw new Error(`fillRound: no filling for ${round.kind}`);
  }
}

/** Reads back what the round's form holds, in the shape `fillRound` takes. */
export async function readRound(page, ex, round) {
  switch (round.kind) {
    case 'suggest': {
      const values = [];
      for (let n = 1; n <= (round.max_suggestions ?? 3); n++) values.push(await S.suggestion(page, n).inputValue());
      return values.filter((v) => v !== '');
    }
    case 'rate': {
      const out = {};
      for (const item of round.items.map((id) => byId(ex.items, id))) {
        if (round.criteria?.length) {
          for (const criterion of round.criteria) {
            const v = await S.ratingRadios(page, item, criterion).evaluateAll((els) => els.find((e) => e.checked)?.value);
            if (v) (out[item.id] ??= {})[criterion.id] = v;
          }
        } else {
          const v = await S.ratingRadios(page, item).evaluateAll((els) => els.find((e) => e.checked)?.value);
          if (v) out[item.id] = v;
        }
      }
      return out;
    }
    case 'rank': {
      const out = {};
      for (const item of round.items.map((id) => byId(ex.items, id))) {
        const v = await S.rankSelect(page, item).inputValue();
        if (v) out[item.id] = v;
      }
      return out;
    }
    case 'pick': {
      const out = [];
      for (const item of round.items.map((id) => byId(ex.items, id))) {
        if (await S.pickCheckbox(page, item).isChecked()) out.push(item.id);
      }
      return out;
    }
    default:
      throw new Error(`readRound: nothing to read for ${round.kind}`);
  }
}

/**
 * On a re-rating (Delphi) round whose earlier round is still open: no one's ratings are shown
 * (counts that change with each submission would give each submitter's ratings away), only a
 * sentence at the top saying they will be shown once the earlier round has closed; no topic has
 * a feedback block, and no fieldset is described by one. `from` is the earlier round.
 */
export async function expectNoFeedbackYet(page, ex, round, from) {
  const number = ex.rounds.indexOf(from) + 1;
  const intro = (await S.feedbackIntro(page).innerText()).replace(/\s+/g, ' ');
  const expected = texts.feedbackAfterClose(number, from.title);
  assert.ok(intro.includes(expected), `the explanation at the top should say "${expected}", says "${intro}"`);
  assert.doesNotMatch(intro, texts.feedbackIntro, 'no ratings are described while the earlier round is open');
  assert.equal(await S.anyFeedback(page).count(), 0, 'no topic should show feedback while the earlier round is open');
  for (const id of round.items) {
    const item = byId(ex.items, id);
    const describedBy = (await S.ratingFieldset(page, item).getAttribute('aria-describedby')) ?? '';
    assert.ok(!describedBy.includes('feedback-'), `the fieldset of "${item.title}" should not be described by feedback (${describedBy})`);
  }
}

/**
 * On a re-rating (Delphi) round, once the earlier round has closed: the explanation at the top
 * and, inside each topic's fieldset (and named by its aria-describedby), the respondent's own
 * earlier rating and their group's ratings. Each journey's group has only its own respondent in
 * the run (and try-every-kind shows groups of one), so the group's ratings are the journey's
 * own: 1 person, 100% in the band of its rating, that rating the median. `earlier` is what the
 * journey answered in the rating round ({ item: '5' | 'dont-know' }). `openTable(toggle)` opens
 * the first topic's "How people rated this last time" (a click, or the keyboard), whose table
 * must then show it.
 */
export async function expectFeedback(page, ex, round, earlier, openTable) {
  const intro = (await S.feedbackIntro(page).innerText()).replace(/\s+/g, ' ');
  assert.match(intro, texts.feedbackIntro, 'the explanation at the top of the round');
  assert.match(intro, texts.feedbackByGroup, 'the explanation should say whose ratings are shown');
  let opened = null;
  for (const id of round.items) {
    const item = byId(ex.items, id);
    const value = earlier[id];
    await expectVisible(S.feedback(page, item), `the feedback inside the fieldset of "${item.title}"`);
    const describedBy = (await S.ratingFieldset(page, item).getAttribute('aria-describedby')) ?? '';
    for (const part of ['own', 'summary']) {
      assert.ok(describedBy.split(' ').includes(`feedback-${item.id}-${part}`), `the fieldset of "${item.title}" should be described by its feedback (${describedBy})`);
    }
    const own = (await S.feedbackOwn(page, item).innerText()).trim();
    const summary = (await S.feedbackSummary(page, item).innerText()).trim();
    if (value === undefined) {
      assert.equal(own, texts.feedbackNotRated);
    } else if (value === 'dont-know') {
      assert.equal(own, texts.feedbackOwn("Don't know"));
      assert.equal(summary, "No one in your group gave this a rating last time. 1 person said they don't know.");
    } else {
      const label = (await S.ratingLabel(page, item, value).innerText()).trim();
      assert.equal(own, texts.feedbackOwn(label), `the own earlier rating of "${item.title}"`);
      assert.match(summary, /^Last time, 1 person in your group rated this: /, `the ratings of "${item.title}"`);
      assert.ok(summary.includes(' 1 (100%) gave '), `"${summary}" should give 1 (100%) in one band`);
      assert.equal((summary.match(/ 0 \(0%\) gave /g) ?? []).length, 2, `"${summary}" should give 0 (0%) in the other bands`);
      assert.ok(summary.endsWith(`The middle rating (median) was ${value}.`), `"${summary}" should end with the median ${value}`);
      if (!opened) opened = { item, label };
    }
  }
  if (opened) {
    const { item, label } = opened;
    assert.equal(await S.feedbackDetails(page, item).getAttribute('open'), null, 'the table starts folded');
    await openTable(S.feedbackToggle(page, item));
    await expectVisible(S.feedbackRow(page, item, label), `the row "${label}" of the table for "${item.title}"`);
    const cells = (await S.feedbackRow(page, item, label).locator('td').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(cells, ['1', '100%'], `the row "${label}" of the table for "${item.title}"`);
  }
  return opened;
}

/** On the check page: heading, Change links, what should be shown; then Submit to the done page. */
export async function checkAndSubmit(page, ex, round, capture, name, { shows = [] } = {}) {
  expectPath(page, urls.check(ex, round));
  expectStatus(page, 200);
  await expectH1(page, texts.checkHeading);
  assert.ok((await S.changeLinks(page).count()) >= 1, 'expected at least one "Change" link on the check page');
  const text = await S.main(page).innerText();
  for (const expected of shows) assert.ok(text.includes(expected), `the check page should show "${expected}"`);
  await capture.page(page, `${name}-check`);
  await clickAndLoad(page, S.submit(page), 'Submit');
  expectPath(page, urls.done(ex, round));
  expectStatus(page, 200);
  await expectH1(page, texts.doneHeading);
  // What happens next: how to come back and where the results will be, printable.
  await expectVisible(page.getByRole('heading', { name: texts.whatNext }), `the heading "${texts.whatNext}"`);
  const done = await S.main(page).innerText();
  assert.match(done, texts.comingBack, 'the done page should say how to come back on another device');
  assert.match(done, texts.resultsWillBe, 'the done page should say where the results will be');
  assert.doesNotMatch(done, /reference/i, 'no unexplained reference on the done page');
  if (javaScriptEnabled(page)) await expectVisible(S.printButton(page), `a "${texts.printPage}" button`);
  else assert.equal(await S.printButton(page).count(), 0, 'no Print button without JavaScript');
  await capture.page(page, `${name}-done`);
}

/**
 * The whole journey. `variant` is 'mouse' (JavaScript on) or 'nojs'.
 * Returns { resumeCode, group, ratingsGiven } for the resume journey (`ratingsGiven` once the
 * rating round was submitted).
 */
export async function stakeholderJourney({ runner, browser, capture, base, ex, variant }) {
  const js = variant !== 'nojs';
  const prefix = js ? 'mouse' : 'no-js';
  const group = byId(ex.groups, js ? 'parents-carers' : 'young-people');
  const { context, page, problems } = await newJourneyPage(browser, runner, { name: prefix, javaScriptEnabled: js, base });
  const j = runner.journey(prefix, page);
  const round = (id) => byId(ex.rounds, id);
  const item = (id) => byId(ex.items, id);
  let n = 0;
  const name = (what) => `${prefix}-${String(++n).padStart(2, '0')}-${what}`;
  const out = { resumeCode: null, group, ratingsGiven: null };

  await j.step('the home page lists the exercise', async () => {
    await page.goto(urls.home());
    expectStatus(page, 200);
    await expectVisible(S.exerciseLink(page, ex), `a link to "${ex.title}"`);
    await capture.page(page, name('home'));
    await clickAndLoad(page, S.exerciseLink(page, ex).first(), 'the exercise link');
    expectPath(page, urls.exercise(ex));
  });

  await j.step('the welcome page has the title, "Start now" and the resume link', async () => {
    if (!page.url().endsWith(urls.exercise(ex))) await page.goto(urls.exercise(ex));
    await expectH1(page, ex.title);
    await expectVisible(S.resumeLink(page), `the link "${texts.resumeLink}"`);
    await expectVisible(S.startNow(page), `"${texts.startNow}"`);
    await capture.page(page, name('welcome'));
  });

  await j.step('choosing no group is an error', async () => {
    await page.goto(urls.start(ex));
    expectStatus(page, 200);
    await capture.page(page, name('start'));
    await clickAndLoad(page, S.continueButton(page), 'Continue');
    await expectErrorSummary(page);
    await capture.page(page, name('start-error'));
  });

  await j.step(`choosing the group "${group.label}" starts, with a resume code`, async () => {
    await page.goto(urls.exercise(ex));
    await clickAndLoad(page, S.startNow(page).first(), texts.startNow);
    expectPath(page, urls.start(ex));
    for (const g of ex.groups) await expectVisible(S.groupRadio(page, g), `a radio labelled "${g.label}"`);
    await S.groupRadio(page, group).check();
    await clickAndLoad(page, S.continueButton(page), 'Continue');
    expectPath(page, urls.started(ex));
    expectStatus(page, 200);
    out.resumeCode = (await S.resumeCode(page).innerText()).trim();
    assert.match(out.resumeCode, /\S{6,}/, `expected a resume code in #resume-code, found "${out.resumeCode}"`);
    await capture.page(page, name('started'));
    await clickAndLoad(page, S.continueLink(page), 'the Continue link');
    expectPath(page, urls.round(ex, round('ideas')), 'Continue on the started page: ');
  }, { critical: true });

  await j.step('the exercise page lists every open round', async () => {
    await page.goto(urls.exercise(ex));
    for (const r of ex.rounds) await expectVisible(S.roundLink(page, r), `a link starting "${r.title}"`);
    assert.equal(await S.startNow(page).count(), 0, `"${texts.startNow}" should be gone once started`);
    await capture.page(page, name('exercise-started'));
  });

  // --- suggest
  await j.step('ideas (suggest): save for later keeps the draft; then submit', async () => {
    const r = round('ideas');
    await openRoundFromExercise(page, ex, r);
    for (let i = 1; i <= r.max_suggestions; i++) await expectVisible(S.suggestion(page, i), `a field labelled "Question ${i}"`);
    await capture.page(page, name('ideas'));
    const first = 'How can schools best support children in care?';
    await fillRound(page, ex, r, [first]);
    await clickAndLoad(page, S.saveForLater(page), texts.saveForLater);
    expectStatus(page, 200);
    await capture.page(page, name('ideas-saved'));
    await page.goto(urls.round(ex, r));
    assert.deepEqual(await readRound(page, ex, r), [first], 'the saved draft should be in the form again');
    const second = js ? 'What helps kinship carers most in the first year?' : 'What makes leaving care go well?';
    await S.suggestion(page, 2).fill(second);
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await checkAndSubmit(page, ex, r, capture, name('ideas'), { shows: [first, second] });
  });

  // --- rate, numeric
  const ratingsGiven = {
    'mental-health': '5',
    transitions: '4',
    'kinship-care': '3',
    'stable-workforce': 'dont-know',
    'early-help': js ? '1' : '2',
  };
  await j.step('ratings (rate): an empty answer is an error; then submit', async () => {
    const r = round('ratings');
    await openRoundFromExercise(page, ex, r);
    for (const id of r.items) await expectVisible(S.ratingGroup(page, item(id)), `a group (fieldset) named "${item(id).title}"`);
    await capture.page(page, name('ratings'));
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await expectErrorSummary(page);
    await capture.page(page, name('ratings-error'));
    await fillRound(page, ex, r, ratingsGiven);
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await checkAndSubmit(page, ex, r, capture, name('ratings'), { shows: [item('mental-health').title] });
    out.ratingsGiven = ratingsGiven;
  });

  // --- rate again (Delphi)
  // The rating round is still open, so no one's ratings are shown yet: only when they will be.
  // Once the run has closed it, the resume journey comes back to see them (`resumeJourney`).
  await j.step('rerate (re-rating): no ratings while round "ratings" is open, only when they will be; an error; submit', async () => {
    const r = round('rerate');
    await openRoundFromExercise(page, ex, r);
    for (const id of r.items) await expectVisible(S.ratingGroup(page, item(id)), `a group (fieldset) named "${item(id).title}"`);
    await expectNoFeedbackYet(page, ex, r, round('ratings'));
    await capture.page(page, name('rerate'));
    // Half an answer is an error; the sentence is still there and still no ratings.
    await fillRound(page, ex, r, { 'mental-health': '4' });
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await expectErrorSummary(page);
    assert.deepEqual(await readRound(page, ex, r), { 'mental-health': '4' }, 'the answer given should be kept after the error');
    await expectNoFeedbackYet(page, ex, r, round('ratings'));
    await capture.page(page, name('rerate-error'));
    const again = { ...ratingsGiven, 'mental-health': '4', 'stable-workforce': '3' };
    await fillRound(page, ex, r, again);
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await checkAndSubmit(page, ex, r, capture, name('rerate'), { shows: [item('stable-workforce').title] });
  });

  // --- rate with criteria
  await j.step('criteria (rate with criteria): submit', async () => {
    const r = round('criteria');
    await openRoundFromExercise(page, ex, r);
    await capture.page(page, name('criteria'));
    const values = ['yes', 'undecided', 'no', 'dont-know', 'yes'];
    const answers = Object.fromEntries(
      r.items.map((id, i) => [id, { answerable: values[i], fair: values[(i + (js ? 1 : 2)) % values.length] }]),
    );
    if (!js) {
      // Without JavaScript: half an answer first, which must come back as it was given.
      await fillRound(page, ex, r, { 'mental-health': { answerable: 'yes' } });
      await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
      if ((await S.errorSummary(page).count()) > 0) {
        await expectErrorSummary(page);
        assert.deepEqual(await readRound(page, ex, r), { 'mental-health': { answerable: 'yes' } }, 'answers kept after an error');
        await capture.page(page, name('criteria-error'));
      } else {
        await page.goto(urls.round(ex, r));
      }
    }
    await fillRound(page, ex, r, answers);
    assert.deepEqual(await readRound(page, ex, r), answers);
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await checkAndSubmit(page, ex, r, capture, name('criteria'));
  });

  // --- rank
  await j.step('top-three (rank): the same rank twice is an error that keeps the answers; Change; submit', async () => {
    const r = round('top-three');
    await openRoundFromExercise(page, ex, r);
    for (const id of r.items) await expectVisible(S.rankSelect(page, item(id)), `a select labelled "${item(id).title}"`);
    await capture.page(page, name('top-three'));
    const twice = { 'mental-health': '1', transitions: '1' };
    await fillRound(page, ex, r, twice);
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await expectErrorSummary(page);
    assert.deepEqual(await readRound(page, ex, r), twice, 'the answers given should be kept after the error');
    await capture.page(page, name('top-three-error'));
    const ranks = js
      ? { 'mental-health': '1', transitions: '2', 'kinship-care': '3' }
      : { 'early-help': '1', 'stable-workforce': '2', transitions: '3' };
    await fillRound(page, ex, r, ranks);
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    expectPath(page, urls.check(ex, r));
    // A Change link goes back to the round with the answers in place.
    await clickAndLoad(page, S.changeLinks(page).first(), 'the first Change link');
    expectPath(page, urls.round(ex, r), 'Change: ');
    assert.deepEqual(await readRound(page, ex, r), ranks, 'the answers should be in the form after Change');
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await checkAndSubmit(page, ex, r, capture, name('top-three'), {
      shows: [item(Object.keys(ranks)[0]).title],
    });
  });

  // --- pick
  await j.step('pick-two (pick): three picks is an error that keeps the answers; submit', async () => {
    const r = round('pick-two');
    await openRoundFromExercise(page, ex, r);
    for (const id of r.items) await expectVisible(S.pickCheckbox(page, item(id)), `a checkbox labelled "${item(id).title}"`);
    await capture.page(page, name('pick-two'));
    const three = ['mental-health', 'transitions', 'early-help'];
    await fillRound(page, ex, r, three);
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await expectErrorSummary(page);
    assert.deepEqual((await readRound(page, ex, r)).sort(), [...three].sort(), 'the picks should be kept after the error');
    await capture.page(page, name('pick-two-error'));
    const picks = js ? ['mental-health', 'early-help'] : ['kinship-care'];
    await fillRound(page, ex, r, picks);
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    await checkAndSubmit(page, ex, r, capture, name('pick-two'), { shows: picks.map((id) => item(id).title) });
  });

  // --- pairwise
  const pairsTitle = js
    ? 'pairs (pairwise): two choices, "I can\'t decide", Finish; submit'
    : 'pairs (pairwise): every pair until none is left, Continue; submit';
  let cantDecide = null;
  await j.step(pairsTitle, async () => {
    const r = round('pairs');
    await openRoundFromExercise(page, ex, r);
    const pair = async () => {
      const values = await S.choiceButtons(page).evaluateAll((els) => els.map((e) => e.value));
      return values;
    };
    let shown = await pair();
    assert.equal(shown.length, 2, `expected two choice buttons, found ${shown.length}`);
    for (const id of shown) await expectVisible(S.choiceButton(page, item(id)), `a button named "${item(id).title}"`);
    assert.equal(await S.finish(page).count(), 0, '"Finish" should appear only once a choice is made');
    await capture.page(page, name('pairs'));
    const choose = async (i) => {
      const values = await pair();
      await clickAndLoad(page, S.choiceButtons(page).nth(i), `the choice "${values[i]}"`);
      expectStatus(page, 200);
    };
    if (js) {
      await choose(0);
      await capture.page(page, name('pairs-after-choice'));
      const before = await pair();
      await clickAndLoad(page, S.cantDecide(page), texts.cantDecide);
      shown = await pair();
      assert.equal(shown.length, 2, 'after "I can\'t decide" another pair should be shown');
      cantDecide = { before, after: shown };
      await choose(1);
      await clickAndLoad(page, S.finish(page).first(), texts.finish);
    } else {
      let made = 0;
      while ((await S.choiceButtons(page).count()) === 2 && made < r.max_choices + 2) {
        await choose(made % 2);
        made += 1;
      }
      assert.equal(made, r.max_choices, `expected ${r.max_choices} pairs before none is left, made ${made} choices`);
      assert.match(await S.main(page).innerText(), texts.noPairLeft, 'the page should say no pair is left');
      await capture.page(page, name('pairs-none-left'));
      await clickAndLoad(page, S.continueAny(page).first(), texts.continue);
    }
    await checkAndSubmit(page, ex, r, capture, name('pairs'));
  });
  if (cantDecide) {
    await j.step('"I can\'t decide" shows another pair', async () => {
      const { before, after } = cantDecide;
      assert.notDeepEqual(
        [...after].sort(),
        [...before].sort(),
        `after "I can't decide" on ${before.join(' / ')} the same pair was shown again`,
      );
    });
  }

  await reportPageProblems(runner, prefix, problems);
  await context.close();
  return out;
}

/**
 * Comes back with the resume code from the mouse journey, in a new browser context, once the
 * run has closed the rating round (`ex` as the API describes it then): the exercise page links
 * the open rounds only, and the re-rating round now shows the mouse journey's earlier ratings
 * (`earlier`, as its rating round was answered) and its group's, the table opened with Enter.
 */
export async function resumeJourney({ runner, browser, capture, base, ex, resumeCode, earlier }) {
  const prefix = 'resume';
  const { context, page, problems } = await newJourneyPage(browser, runner, { name: prefix, base });
  const j = runner.journey(prefix, page);

  await j.step('a wrong resume code is an error', async () => {
    await page.goto(urls.exercise(ex));
    await clickAndLoad(page, S.resumeLink(page), texts.resumeLink);
    expectPath(page, urls.resume(ex));
    await capture.page(page, 'resume-01-resume');
    await S.resumeCodeInput(page).fill('not-a-real-code');
    await clickAndLoad(page, S.continueButton(page), 'Continue');
    await expectErrorSummary(page);
    assert.equal(await S.resumeCodeInput(page).inputValue(), 'not-a-real-code', 'the code typed should be kept');
    await capture.page(page, 'resume-02-resume-error');
  });

  await j.step('the resume code from the mouse journey finds the respondent again', async () => {
    if (!resumeCode) throw new Error('no resume code: the mouse journey did not start');
    await page.goto(urls.resume(ex));
    await S.resumeCodeInput(page).fill(resumeCode);
    await clickAndLoad(page, S.continueButton(page), 'Continue');
    expectStatus(page, 200);
    await capture.page(page, 'resume-03-resumed');
    await page.goto(urls.exercise(ex));
    assert.equal(await S.startNow(page).count(), 0, `"${texts.startNow}" should be gone after resuming`);
    for (const r of ex.rounds) {
      if (r.state === 'open') await expectVisible(S.roundLink(page, r), `a link starting "${r.title}"`);
      else assert.equal(await S.roundLink(page, r).count(), 0, `the ${r.state} round "${r.title}" should have no link`);
    }
    await capture.page(page, 'resume-04-exercise');
  }, { critical: true });

  await j.step('rerate, once round "ratings" has closed: the earlier ratings beside each topic, the table opened with Enter', async () => {
    const r = byId(ex.rounds, 'rerate');
    const from = byId(ex.rounds, 'ratings');
    assert.equal(from.state, 'closed', 'the run should have closed round "ratings" before this step');
    if (!earlier) throw new Error('no earlier ratings: the mouse journey did not submit round "ratings"');
    await openRoundFromExercise(page, ex, r);
    const kb = new Keyboard(page);
    const opened = await expectFeedback(page, ex, r, earlier, async (toggle) => {
      await kb.tabTo(toggle, 'the "How people rated this last time" toggle');
      await page.keyboard.press('Enter');
    });
    assert.ok(opened, 'at least one topic should have had a rating to show in a table');
    await capture.page(page, 'resume-05-rerate-feedback');
    const missing = [...kb.notVisible].map(([where, how]) => `${where}: ${how}`);
    assert.equal(missing.length, 0, `no visible focus on ${missing.length} element(s):\n${missing.join('\n')}`);
    // A click folds the table again.
    await S.feedbackToggle(page, opened.item).click();
    await page.waitForFunction((el) => !el.open, await S.feedbackDetails(page, opened.item).elementHandle(), { timeout: 2_000 });
    return `${kb.focused} focus stops checked`;
  });

  await reportPageProblems(runner, prefix, problems);
  await context.close();
  await resumeAtPageJourney({ runner, browser, capture, base });
}

/**
 * "Save and come back later" on page 2 of a rating round answered in pages (the rating round
 * of `childrens-social-care`, opened here through the API): coming back to the round from the
 * exercise page opens page 2, not page 1.
 */
async function resumeAtPageJourney({ runner, browser, capture, base }) {
  const prefix = 'resume-page';
  const ex = { id: 'childrens-social-care' };
  const { context, page, problems } = await newJourneyPage(browser, runner, { name: prefix, base });
  const j = runner.journey(prefix, page);
  /** Answers every rating on the page with its first option. */
  const rateEverything = async () => {
    const names = await page.locator('input[type="radio"]').evaluateAll((inputs) => [...new Set(inputs.map((input) => input.name))]);
    assert.ok(names.length > 0, 'the rating page should have radios');
    for (const field of names) await page.locator(`input[type="radio"][name="${field}"]`).first().check();
  };

  await j.step('a rating round in pages: save on page 2, come back at page 2', async () => {
    await openRound(base, ex.id, 'rate');
    const round = (await getExercise(base, ex.id)).rounds.find((r) => r.id === 'rate');
    await page.goto(urls.start(ex));
    await S.groupRadios(page).first().check();
    await clickAndLoad(page, S.continueButton(page), 'Continue');
    expectPath(page, urls.started(ex));
    await page.goto(urls.round(ex, round));
    assert.match(await S.main(page).innerText(), /Page 1 of \d+/, 'the round should open at page 1');
    await rateEverything();
    await clickAndLoad(page, S.saveAndContinue(page), texts.saveAndContinue);
    assert.match(await S.main(page).innerText(), /Page 2 of \d+/, 'Save and continue should lead to page 2');
    await rateEverything();
    await clickAndLoad(page, S.saveForLater(page), texts.saveForLater);
    expectStatus(page, 200);
    await capture.page(page, `${prefix}-01-saved`);
    await page.goto(urls.exercise(ex));
    await clickAndLoad(page, S.roundLink(page, round).first(), `the link to "${round.title}"`);
    assert.match(await S.main(page).innerText(), /Page 2 of \d+/, 'coming back should open the page left, page 2');
    await capture.page(page, `${prefix}-02-back-at-page-2`);
  });

  await reportPageProblems(runner, prefix, problems);
  await context.close();
}
