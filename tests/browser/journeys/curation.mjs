// The research lead's curation and shortlisting, the whole three-round exercise through the
// pages: an exercise with no items is put through the API; stakeholders (one browser context
// each) suggest, near-duplicates and one hostile text among them; the lead closes the round,
// curates (an error with no action chosen, new items, an assignment, out of scope with a
// reason, an item's wording and evidence), opens the rating round, which the stakeholders
// answer; the lead closes it, previews a shortlist (an error first) and makes the final round
// from it, which then shows a stakeholder the shortlisted items. A group's form and the
// shortlist form are done with the keyboard alone, and once each with JavaScript off.

import assert from 'node:assert/strict';
import {
  clickAndLoad,
  expectH1,
  expectPath,
  expectStatus,
  expectVisible,
  javaScriptEnabled,
  newJourneyPage,
  reportPageProblems,
} from '../lib/browser.mjs';
import { C, curationTexts as T, curationUrls } from '../lib/curation-selectors.mjs';
import { Keyboard } from '../lib/keyboard.mjs';
import { S, texts, urls } from '../lib/selectors.mjs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN } from '../lib/server.mjs';
import { byId, checkAndSubmit, fillRound, openRoundFromExercise } from './stakeholder.mjs';

export const CURATION_EXERCISE = 'curation-journey';

// Like JOURNEY in crates/server/tests/it/curation.rs, with round titles.
const DEFINITION = `
id = "${CURATION_EXERCISE}"
title = "From suggestions to priorities"
disclosure_threshold = 1

[[groups]]
id = "carers"
label = "Carers"

[[groups]]
id = "young-people"
label = "Young people"

[[rounds]]
id = "ideas"
title = "Your ideas"
kind = "suggest"
max_suggestions = 3

[[rounds]]
id = "rate"
title = "Rate the topics"
kind = "rate"
scale = { min = 1, max = 9 }
method = "mean"
weighting = "pooled"

[[rounds]]
id = "final"
title = "Final ranking"
kind = "rank"
top_k = 2
method = "borda"
weighting = "pooled"
`;

const HOSTILE = '<img src=x onerror=alert(1)>';
const EARLY = ['More early help for families', 'early help for families!'];
const KINSHIP = ['Support for kinship carers', 'Support kinship carers better'];
const GRANDPARENTS = 'Help for grandparents raising their grandchildren';
const CASELOADS = 'Lower social worker caseloads';
const STAKEHOLDERS = [
  { who: 'carer-1', group: 'carers', suggestions: [EARLY[0], HOSTILE] },
  { who: 'carer-2', group: 'carers', suggestions: [EARLY[1]] },
  { who: 'young-1', group: 'young-people', suggestions: [KINSHIP[0], CASELOADS] },
  { who: 'young-2', group: 'young-people', suggestions: [KINSHIP[1], GRANDPARENTS] },
];
const ITEMS = {
  early: 'Early help for families',
  kinship: 'Kinship care',
  kinshipReworded: 'Support for kinship carers',
  caseloads: 'Social work caseloads',
};
const EVIDENCE = 'No review found (searched October 2026)';
const OUT_REASON = 'Not a research question';
// Means: early help (9 + 8 + 3) / 3 = 6.67, kinship 6, caseloads 7 (as in the in-process test).
const RATINGS = {
  'carer-1': { [ITEMS.early]: '9', [ITEMS.kinshipReworded]: '5', [ITEMS.caseloads]: '7' },
  'carer-2': { [ITEMS.early]: '8', [ITEMS.kinshipReworded]: '4', [ITEMS.caseloads]: '6' },
  'young-1': { [ITEMS.early]: '3', [ITEMS.kinshipReworded]: '9', [ITEMS.caseloads]: '8' },
};

async function api(base, method, path, { json, toml } = {}) {
  const headers = { Authorization: `Bearer ${ADMIN_TOKEN}`, Accept: 'application/json' };
  let body;
  if (json) [headers['Content-Type'], body] = ['application/json', JSON.stringify(json)];
  if (toml) [headers['Content-Type'], body] = ['application/toml', toml];
  const response = await fetch(`${base}/api/v1/exercises/${CURATION_EXERCISE}${path}`, { method, headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} /api/v1/exercises/${CURATION_EXERCISE}${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * The GOV.UK error summary of a curation or shortlist page: status 422, the summary before the
 * h1 and the fields, exactly the `expected` links ({ id, text }), each to an element that
 * exists and each message beside its field in the same words ("Group 2: …" in both).
 * With JavaScript on, the summary has the focus and its first link moves the focus to the
 * field; without, the link leads to the field's address.
 */
async function expectErrors(page, expected) {
  expectStatus(page, 422);
  await expectVisible(S.errorSummary(page), 'the error summary');
  await expectVisible(S.errorSummaryHeading(page), `"${texts.errorSummaryHeading}" in the error summary`);
  assert.match(await page.title(), /^Error: /, 'the page title should start with "Error: "');
  const links = await S.errorSummaryLinks(page).evaluateAll((anchors) =>
    anchors.map((a) => {
      const id = decodeURIComponent(a.getAttribute('href').slice(1));
      return { id, text: a.textContent.trim(), exists: !!document.getElementById(id) };
    }),
  );
  assert.deepEqual(
    links.map(({ id, text }) => ({ id, text })),
    expected,
    'the links of the error summary',
  );
  assert.ok(links.every((l) => l.exists), `error summary links to missing ids: ${JSON.stringify(links)}`);
  const messages = (await S.errorMessages(page).allInnerTexts()).map((m) => m.replace(/^Error:\s*/, '').trim().toLowerCase());
  for (const { text } of expected) {
    const bare = text.toLowerCase();
    assert.ok(messages.includes(bare), `no message "${bare}" beside a field (messages: ${JSON.stringify(messages)})`);
  }
  // Each field (or the fieldset of a radio or checkbox) is described by its error message, so
  // that a screen reader reads the message with the field (WCAG 1.3.1, 3.3.1).
  const described = await page.evaluate(
    (ids) =>
      ids.map((id) => {
        const field = document.getElementById(id);
        const owners = [field, field?.closest('fieldset')].filter(Boolean);
        return owners
          .flatMap((owner) => (owner.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean))
          .map((ref) => document.getElementById(ref))
          .filter((el) => el?.classList.contains('error-message'))
          .map((el) => el.textContent.replace(/^\s*Error:\s*/, '').trim().toLowerCase());
      }),
    expected.map((e) => e.id),
  );
  for (const [i, { id, text }] of expected.entries()) {
    const bare = text.toLowerCase();
    assert.ok(described[i].includes(bare), `#${id} (or its fieldset) should be described by its error "${bare}" (aria-describedby gives ${JSON.stringify(described[i])})`);
  }
  const order = await page.evaluate(() => {
    const summary = document.querySelector('.error-summary');
    const after = (el) => !el || !!(summary.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
    return after(document.querySelector('h1')) && after(document.querySelector('main input:not([type=hidden]), main select, main textarea'));
  });
  assert.ok(order, 'the error summary should come before the h1 and the fields');
  if (javaScriptEnabled(page)) {
    const focused = await page
      .waitForFunction(() => document.activeElement === document.querySelector('.error-summary'), null, { timeout: 2_000 })
      .then(() => true, () => false);
    assert.ok(focused, 'after a validation error the error summary should have the focus');
  }
}

/** Follows the error summary's first link (a click): the field gets the focus (or, without JavaScript, the address). */
async function followFirstErrorLink(page, id) {
  await S.errorSummaryLinks(page).first().click();
  if (javaScriptEnabled(page)) {
    const reached = await page
      .waitForFunction((want) => document.activeElement?.id === want, id, { timeout: 2_000 })
      .then(() => true, () => false);
    assert.ok(reached, `the error link should move the focus to #${id}`);
  } else {
    assert.equal(new URL(page.url()).hash, `#${id}`, 'the error link should lead to the field');
    assert.ok(await page.evaluate((want) => document.querySelector(':target')?.id === want, id), `#${id} should be the :target`);
  }
}

async function signIn(page) {
  await page.goto(urls.adminSignIn());
  await S.email(page).fill(ADMIN_EMAIL);
  await S.password(page).fill(ADMIN_PASSWORD);
  await clickAndLoad(page, S.signIn(page), texts.signIn);
  expectPath(page, urls.admin());
  expectStatus(page, 200);
}

/** The row of a round in the exercise page's table of rounds. */
const roundRow = (page, round) =>
  page.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: round.title, exact: true }) });

export async function curationJourney({ runner, browser, capture, base }) {
  const prefix = 'curation';
  let n = 0;
  const name = (what) => `${prefix}-${String(++n).padStart(2, '0')}-${what}`;
  const dialogs = [];
  const problemsOf = [];
  const open = async (label, options = {}) => {
    const made = await newJourneyPage(browser, runner, { name: `${prefix} ${label}`, base, ...options });
    made.page.on('dialog', (dialog) => {
      dialogs.push(`${label}: ${dialog.type()} "${dialog.message()}" at ${made.page.url()}`);
      dialog.dismiss().catch(() => {});
    });
    problemsOf.push(made.problems);
    return made;
  };

  const lead = await open('lead');
  const page = lead.page;
  const j = runner.journey(prefix, page);
  const kb = new Keyboard(page, { maxTabs: 200 });
  let ex = null;
  const round = (id) => byId(ex.rounds, id);
  const itemByTitle = (title) => {
    const found = ex.items.find((i) => i.title === title);
    if (!found) throw new Error(`no item "${title}" in ${ex.items.map((i) => i.title).join(', ')}`);
    return found;
  };
  const refresh = async () => {
    ex = await api(base, 'GET', '');
    return ex;
  };
  const people = [];
  const suggestionIds = new Map(); // text -> RESPONDENT:N

  await j.step('setup: a new exercise with no items (PUT through the API), its suggest round opened', async () => {
    await api(base, 'PUT', '', { toml: DEFINITION });
    await api(base, 'POST', '/rounds/ideas/open');
    await refresh();
    assert.equal(ex.items.length, 0, 'the exercise starts with no items');
    assert.equal(round('ideas').state, 'open');
    return `${ex.id}: ${ex.rounds.map((r) => `${r.id} (${r.kind}, ${r.state})`).join(', ')}`;
  }, { critical: true });

  // --- round 1: stakeholders suggest, each in a browser of their own
  for (const [index, person] of STAKEHOLDERS.entries()) {
    const full = index === 0; // the first one's pages are screenshotted and checked with axe-core
    await j.step(`${person.who} (${person.group}) starts and suggests ${person.suggestions.length}`, async () => {
      const { context, page: p } = await open(person.who);
      people.push({ ...person, context, page: p });
      const group = byId(ex.groups, person.group);
      await p.goto(urls.exercise(ex));
      await expectH1(p, ex.title);
      await clickAndLoad(p, S.startNow(p).first(), texts.startNow);
      expectPath(p, urls.start(ex));
      await S.groupRadio(p, group).check();
      if (full) await capture.page(p, name('stakeholder-start'));
      await clickAndLoad(p, S.continueButton(p), texts.continue);
      expectPath(p, urls.started(ex));
      await clickAndLoad(p, S.continueLink(p), 'the Continue link');
      const r = round('ideas');
      expectPath(p, urls.round(ex, r));
      await fillRound(p, ex, r, person.suggestions);
      if (full) await capture.page(p, name('stakeholder-ideas'));
      await clickAndLoad(p, S.saveAndContinue(p), texts.saveAndContinue);
      const shows = person.suggestions;
      if (full || person.suggestions.includes(HOSTILE)) {
        await checkAndSubmit(p, ex, r, capture, name(`stakeholder-${person.who}-ideas`), { shows });
      } else {
        await checkAndSubmit(p, ex, r, { page: async () => {} }, '', { shows });
      }
    }, { critical: true });
  }

  await j.step('the API lists the 7 suggestions, near-duplicates proposed together', async () => {
    const view = await api(base, 'GET', '/rounds/ideas/curation');
    assert.equal(view.total, 7, `7 suggestions, found ${view.total}`);
    for (const row of view.suggestions) suggestionIds.set(row.text, row.id);
    const cluster = (text) => view.suggestions.find((row) => row.text === text).cluster;
    assert.equal(cluster(EARLY[0]), cluster(EARLY[1]), 'the two early-help suggestions are proposed together');
    assert.notEqual(cluster(EARLY[0]), cluster(CASELOADS), 'early help and caseloads are not proposed together');
    return `${view.clusters.length} proposed groups`;
  }, { critical: true });
  const id = (text) => suggestionIds.get(text);

  // --- the lead
  await j.step('the lead signs in and closes the suggest round on the exercise page', async () => {
    await signIn(page);
    await clickAndLoad(page, S.adminExerciseLink(page, ex).first(), 'the exercise link');
    expectPath(page, urls.adminExercise(ex));
    const row = roundRow(page, round('ideas'));
    await expectVisible(C.curateLink(page, round('ideas')), '"Curate suggestions" in the row of the suggest round');
    await capture.page(page, name('exercise'));
    await clickAndLoad(page, S.closeButton(row), 'Close (the suggest round)');
    await clickAndLoad(page, S.confirmClose(page), `${texts.confirmClose} (its confirmation page)`);
    expectStatus(page, 200);
    assert.match(await roundRow(page, round('ideas')).innerText(), texts.roundState.closed);
    assert.equal(byId((await refresh()).rounds, 'ideas').state, 'closed', 'the API says the round is closed');
  }, { critical: true });

  await j.step('"Curate suggestions": every suggestion in its proposed group, the hostile one as text', async () => {
    await page.goto(urls.adminExercise(ex));
    await clickAndLoad(page, C.curateLink(page, round('ideas')), 'Curate suggestions');
    expectPath(page, curationUrls.curate(ex, round('ideas')));
    expectStatus(page, 200);
    await expectH1(page, T.curateHeading);
    await expectVisible(C.progressCaption(page).filter({ hasText: T.counts(7, 0, 0, 7) }), `"${T.counts(7, 0, 0, 7)}"`);
    for (const text of suggestionIds.keys()) await expectVisible(C.suggestionBox(page, id(text)), `the box of "${text}"`);
    // The hostile text is the label's text, not markup: no image, no alert.
    const form = C.groupFormOf(page, id(HOSTILE));
    assert.ok((await C.suggestionText(form, id(HOSTILE))).includes(HOSTILE), 'the hostile suggestion should be shown as written');
    assert.equal(await page.locator('main img').count(), 0, 'no <img> from a suggestion');
    assert.equal(dialogs.length, 0, `no dialog: ${dialogs.join('; ')}`);
    assert.equal(await C.groupFormOf(page, id(EARLY[0])).locator('input[name="suggestion"]').count() >= 2, true);
    await capture.page(page, name('curate'));
    return `${await C.groupForms(page).count()} groups`;
  }, { critical: true });

  /** Ticks exactly the suggestions `ticked` in the form that lists the first. */
  const tickOnly = async (form, ticked) => {
    const values = await C.suggestionBoxes(form).evaluateAll((els) => els.map((e) => e.value));
    for (const value of values) await C.suggestionBox(form, value).setChecked(ticked.includes(value));
  };
  const curatePath = () => curationUrls.curate(ex, round('ideas'));

  await j.step('a suggestion ticked with no action chosen: the error summary has the focus and its link leads to the radios', async () => {
    await page.goto(curatePath());
    const form = C.groupFormOf(page, id(EARLY[0]));
    assert.equal(await C.actionRadios(form).evaluateAll((els) => els.filter((e) => e.checked).length), 0, 'no action is chosen');
    assert.equal(await C.suggestionBoxes(form).evaluateAll((els) => els.filter((e) => e.checked).length), 0, 'nothing is pre-selected');
    await C.suggestionBox(form, id(EARLY[0])).check();
    await clickAndLoad(page, C.save(form), T.saveGroup());
    await expectErrors(page, [{ id: 'action-assign', text: T.noActionError() }]);
    // What was ticked is kept.
    const again = C.groupFormOf(page, id(EARLY[0]));
    assert.ok(await C.suggestionBox(again, id(EARLY[0])).isChecked(), 'the ticked suggestion is still ticked');
    await capture.page(page, name('curate-no-action'));
    await followFirstErrorLink(page, 'action-assign');
  });

  await j.step(`a new item "${ITEMS.early}" from the early-help group`, async () => {
    await page.goto(curatePath());
    const form = C.groupFormOf(page, id(EARLY[0]));
    await tickOnly(form, EARLY.map(id));
    await C.action(form, 'new').check();
    await C.title(form).fill(ITEMS.early);
    await clickAndLoad(page, C.save(form), 'Save group');
    expectPath(page, curatePath());
    expectStatus(page, 200);
    assert.equal((await C.notice(page).innerText()).trim(), T.savedNewItem(ITEMS.early, 2));
    const after = C.groupFormOf(page, id(EARLY[0]));
    for (const text of EARLY) {
      assert.match(await C.suggestionText(after, id(text)), new RegExp(T.assignedTo(ITEMS.early)), `"${text}" is assigned`);
    }
    await expectVisible(C.itemRow(page, ITEMS.early), `the row of "${ITEMS.early}" in the items table`);
    await capture.page(page, name('curate-new-item'));
  }, { critical: true });

  // --- the hostile suggestion out of scope, with JavaScript off
  const nojs = await open('no-js lead', { javaScriptEnabled: false });
  await j.step('without JavaScript: out of scope needs a reason (error, link to the field), then with one', async () => {
    const p = nojs.page;
    await signIn(p);
    await p.goto(curatePath());
    const form = C.groupFormOf(p, id(HOSTILE));
    await tickOnly(form, [id(HOSTILE)]);
    await C.action(form, 'out').check();
    await clickAndLoad(p, C.save(form), T.saveGroup());
    await expectErrors(p, [{ id: 'note', text: T.noReasonError() }]);
    assert.ok(await C.action(C.groupFormOf(p, id(HOSTILE)), 'out').isChecked(), 'the action chosen is kept');
    await capture.page(p, name('nojs-curate-no-reason'));
    await followFirstErrorLink(p, 'note');
    const again = C.groupFormOf(p, id(HOSTILE));
    await C.note(again).fill(OUT_REASON);
    await clickAndLoad(p, C.save(again), T.saveGroup());
    expectStatus(p, 200);
    assert.equal((await C.notice(p).innerText()).trim(), '1 suggestion marked out of scope.');
    assert.match(await C.suggestionText(C.groupFormOf(p, id(HOSTILE)), id(HOSTILE)), /out of scope/);
    await capture.page(p, name('nojs-curate-out-of-scope'));
  });

  // --- a new item by keyboard alone
  await j.step(`keyboard alone: a new item "${ITEMS.kinship}" (Space on the boxes, arrow keys, typing, Enter)`, async () => {
    await page.goto(curatePath());
    const form = C.groupFormOf(page, id(KINSHIP[0]));
    const number = await C.groupNumberOf(page, id(KINSHIP[0]));
    const values = await C.suggestionBoxes(form).evaluateAll((els) => els.filter((e) => !e.disabled).map((e) => e.value));
    const wanted = KINSHIP.map(id).filter((v) => values.includes(v));
    for (const value of values) {
      const status = await C.suggestionText(form, value);
      if (!/not yet decided/.test(status)) continue;
      await kb.setCheckbox(C.suggestionBox(form, value), `the box of ${value}`, wanted.includes(value));
    }
    await kb.chooseRadio(C.actionRadios(form), `the actions of group ${number}`, 'new');
    await kb.tabTo(C.title(form), T.titleLabel);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(ITEMS.kinship);
    assert.equal(await C.title(form).inputValue(), ITEMS.kinship);
    await capture.page(page, name('curate-keyboard'));
    await kb.activate(C.save(form), T.saveGroup());
    expectPath(page, curatePath());
    expectStatus(page, 200);
    assert.equal((await C.notice(page).innerText()).trim(), T.savedNewItem(ITEMS.kinship, wanted.length));
    return `ticked ${wanted.length} of the group's ${values.length}`;
  }, { critical: true });

  await j.step(`another group assigned to "${ITEMS.kinship}"`, async () => {
    const view = await api(base, 'GET', '/rounds/ideas/curation');
    const undecided = [KINSHIP[1], GRANDPARENTS].filter((t) => view.suggestions.find((row) => row.text === t).status === 'unassigned');
    assert.ok(undecided.includes(GRANDPARENTS), 'the grandparents suggestion is still undecided');
    for (const text of undecided) {
      await page.goto(curatePath());
      const form = C.groupFormOf(page, id(text));
      await tickOnly(form, [id(text)]);
      await C.action(form, 'assign').check();
      await C.itemSelect(form).selectOption({ label: ITEMS.kinship });
      await clickAndLoad(page, C.save(form), 'Save group');
      expectStatus(page, 200);
      assert.equal((await C.notice(page).innerText()).trim(), `1 suggestion assigned to ${ITEMS.kinship}.`);
      assert.match(await C.suggestionText(C.groupFormOf(page, id(text)), id(text)), new RegExp(T.assignedTo(ITEMS.kinship)));
    }
    await capture.page(page, name('curate-assigned'));
    return `assigned: ${undecided.join('; ')}`;
  });

  await j.step(`a new item "${ITEMS.caseloads}"; then 0 not yet decided, counted by group and item`, async () => {
    await page.goto(curatePath());
    const form = C.groupFormOf(page, id(CASELOADS));
    await tickOnly(form, [id(CASELOADS)]);
    await C.action(form, 'new').check();
    await C.title(form).fill(ITEMS.caseloads);
    await clickAndLoad(page, C.save(form), 'Save group');
    expectStatus(page, 200);
    const caption = (await C.progressCaption(page).innerText()).trim();
    assert.ok(caption.includes(T.counts(7, 6, 1, 0)), `the counts: "${caption}"`);
    assert.ok(caption.includes(T.noneUndecided));
    const rows = await page.locator('table').first().locator('tbody tr').allInnerTexts();
    const cells = (label) => rows.find((r) => r.startsWith(label))?.split('\t').map((c) => c.trim());
    assert.deepEqual(cells('Carers'), ['Carers', '3', '2', '1', '0'], 'the counts of Carers');
    assert.deepEqual(cells('Young people'), ['Young people', '4', '4', '0', '0'], 'the counts of Young people');
    const counts = {};
    for (const title of [ITEMS.early, ITEMS.kinship, ITEMS.caseloads]) {
      const row = (await C.itemRow(page, title).locator('td').allInnerTexts()).map((c) => c.trim());
      counts[title] = row.slice(0, 2);
    }
    assert.deepEqual(counts, {
      [ITEMS.early]: ['2', 'Carers 2'],
      [ITEMS.kinship]: ['3', 'Young people 3'],
      [ITEMS.caseloads]: ['1', 'Young people 1'],
    });
    await capture.page(page, name('curate-all-decided'));
    return caption;
  });

  await j.step(`the item page: "answered" without evidence is an error; then new wording and evidence`, async () => {
    await page.goto(curatePath());
    await clickAndLoad(page, C.editLink(page, ITEMS.kinship), T.edit(ITEMS.kinship));
    expectPath(page, curationUrls.item(ex, 'kinship-care'));
    expectStatus(page, 200);
    await expectH1(page, `Edit the item: ${ITEMS.kinship}`);
    assert.ok((await S.main(page).innerText()).includes(T.assignedCount(3)), `"${T.assignedCount(3)}"`);
    await capture.page(page, name('item'));
    await C.answered(page).check();
    await C.evidence(page).fill('');
    await clickAndLoad(page, C.saveItem(page), T.saveItem);
    await expectErrors(page, [{ id: 'evidence', text: T.evidenceError }]);
    await capture.page(page, name('item-error'));
    await followFirstErrorLink(page, 'evidence');
    await C.wording(page).fill(ITEMS.kinshipReworded);
    await C.evidence(page).fill(EVIDENCE);
    await C.answered(page).uncheck();
    await clickAndLoad(page, C.saveItem(page), T.saveItem);
    expectPath(page, curatePath());
    expectStatus(page, 200);
    const row = await C.itemRow(page, ITEMS.kinshipReworded).innerText();
    assert.ok(row.includes(EVIDENCE), `the evidence in the items table: "${row}"`);
    await refresh();
    assert.equal(itemByTitle(ITEMS.kinshipReworded).id, 'kinship-care', 'the item keeps its id');
  });

  // --- round 2: rate
  await j.step('the lead opens the rating round, with the three items', async () => {
    await page.goto(urls.adminExercise(ex));
    await clickAndLoad(page, S.openButton(roundRow(page, round('rate'))), 'Open (the rating round)');
    await clickAndLoad(page, S.confirmOpen(page), `${texts.confirmOpen} (its confirmation page)`);
    expectStatus(page, 200);
    await refresh();
    assert.equal(round('rate').state, 'open');
    assert.deepEqual(
      round('rate').items.map((i) => byId(ex.items, i).title).sort(),
      [ITEMS.early, ITEMS.kinshipReworded, ITEMS.caseloads].sort(),
    );
  }, { critical: true });

  for (const [index, person] of people.filter((p) => RATINGS[p.who]).entries()) {
    await j.step(`${person.who} rates the three items`, async () => {
      const p = person.page;
      const r = round('rate');
      await openRoundFromExercise(p, ex, r);
      const answers = Object.fromEntries(Object.entries(RATINGS[person.who]).map(([title, v]) => [itemByTitle(title).id, v]));
      await fillRound(p, ex, r, answers);
      if (index === 0) await capture.page(p, name('stakeholder-rate'));
      await clickAndLoad(p, S.saveAndContinue(p), texts.saveAndContinue);
      const noCapture = { page: async () => {} };
      await checkAndSubmit(p, ex, r, index === 0 ? capture : noCapture, index === 0 ? name('stakeholder-rate') : '', { shows: [ITEMS.kinshipReworded] });
    });
  }

  await j.step('the lead closes the rating round', async () => {
    await page.goto(urls.adminExercise(ex));
    await clickAndLoad(page, S.closeButton(roundRow(page, round('rate'))), 'Close (the rating round)');
    await clickAndLoad(page, S.confirmClose(page), `${texts.confirmClose} (its confirmation page)`);
    expectStatus(page, 200);
    assert.equal(byId((await refresh()).rounds, 'rate').state, 'closed');
  }, { critical: true });

  // --- the shortlist
  await j.step('the shortlist page: no preview until asked; k that is not a number is an error', async () => {
    await page.goto(urls.adminExercise(ex));
    await clickAndLoad(page, C.shortlistLink(page, round('rate')), 'Shortlist');
    expectPath(page, curationUrls.shortlist(ex, round('rate')));
    expectStatus(page, 200);
    await expectH1(page, T.shortlistHeading);
    assert.equal(await C.previewTable(page).count(), 0, 'no preview before a rule is chosen');
    await capture.page(page, name('shortlist'));
    await C.k(page).fill('none');
    await clickAndLoad(page, C.preview(page), T.preview);
    await expectErrors(page, [{ id: 'k', text: T.kError }]);
    assert.equal(await C.k(page).inputValue(), 'none', 'what was typed is kept');
    await capture.page(page, name('shortlist-error'));
    await followFirstErrorLink(page, 'k');
  });

  const readPreview = async (p) =>
    (await C.previewRows(p).evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent.trim())))).map(
      ([rank, title, through, why]) => ({ rank, title, through: through === 'Yes', why }),
    );

  await j.step('without JavaScript: a preview of the top 2 overall', async () => {
    const p = nojs.page;
    await p.goto(curationUrls.shortlist(ex, round('rate')));
    await C.rule(p, 'top').check();
    await C.k(p).fill('2');
    await clickAndLoad(p, C.preview(p), T.preview);
    expectStatus(p, 200);
    await expectVisible(p.getByRole('heading', { name: T.goThrough(2, 3) }), `"${T.goThrough(2, 3)}"`);
    const rows = await readPreview(p);
    assert.deepEqual(
      rows.map((r) => [r.title, r.through]),
      [[ITEMS.caseloads, true], [ITEMS.early, true], [ITEMS.kinshipReworded, false]],
      'means 7, 6.67, 6: the top 2',
    );
    assert.equal(rows[0].why, 'ranked 1 overall');
    await expectVisible(C.make(p), `"${T.make(round('final').title, 2)}"`);
    await capture.page(p, name('nojs-shortlist-preview'));
  });

  let shortlisted = [];
  await j.step('keyboard alone: a protected group\'s top 1 as well (arrow keys, typing, a select); Space on "Make …"', async () => {
    await page.goto(curationUrls.shortlist(ex, round('rate')));
    await kb.chooseRadio(C.ruleRadios(page), 'the rules', 'protected');
    await kb.tabTo(C.k(page), T.kLabel);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('1');
    await kb.chooseOption(C.group(page), T.groupLabel, 'young-people');
    await kb.tabTo(C.j(page), T.jLabel);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('1');
    await kb.activate(C.preview(page), T.preview);
    expectStatus(page, 200);
    const query = new URL(page.url()).searchParams;
    assert.deepEqual(
      ['rule', 'k', 'group', 'j'].map((k) => query.get(k)),
      ['protected', '1', 'young-people', '1'],
      `the preview's address: ${page.url()}`,
    );
    await expectVisible(page.getByRole('heading', { name: T.goThrough(2, 3) }), `"${T.goThrough(2, 3)}"`);
    const rows = await readPreview(page);
    shortlisted = rows.filter((r) => r.through).map((r) => r.title);
    assert.deepEqual(shortlisted, [ITEMS.caseloads, ITEMS.kinshipReworded]);
    assert.equal(rows.find((r) => r.title === ITEMS.kinshipReworded).why, 'ranked 1 by Young people (protected group)');
    const make = T.make(round('final').title, 2);
    assert.equal((await C.make(page).innerText()).trim(), make);
    await capture.page(page, name('shortlist-preview'));
    await kb.activate(C.make(page), `"${make}"`, { key: 'Space' });
    expectPath(page, urls.adminExercise(ex));
    expectStatus(page, 200);
    await refresh();
    assert.deepEqual(round('final').items.map((i) => byId(ex.items, i).title), shortlisted, 'the final round asks about the shortlist');
    await capture.page(page, name('exercise-after-shortlist'));
    return shortlisted.join(', ');
  }, { critical: true });

  // --- round 3: the final ranking
  await j.step('the lead opens the final round; a stakeholder sees only the shortlisted items, ranks and submits', async () => {
    await page.goto(urls.adminExercise(ex));
    await clickAndLoad(page, S.openButton(roundRow(page, round('final'))), 'Open (the final round)');
    await clickAndLoad(page, S.confirmOpen(page), `${texts.confirmOpen} (its confirmation page)`);
    expectStatus(page, 200);
    await refresh();
    assert.equal(round('final').state, 'open');
    const p = people[0].page;
    const r = round('final');
    await openRoundFromExercise(p, ex, r);
    const shown = await p.locator('select[name^="rank-"]').count();
    assert.equal(shown, shortlisted.length, `the final round shows ${shortlisted.length} items, not ${shown}`);
    for (const title of shortlisted) await expectVisible(S.rankSelect(p, itemByTitle(title)), `a rank for "${title}"`);
    assert.equal(await S.rankSelect(p, itemByTitle(ITEMS.early)).count(), 0, `no rank for "${ITEMS.early}"`);
    await capture.page(p, name('stakeholder-final'));
    await fillRound(p, ex, r, { [itemByTitle(shortlisted[1]).id]: '1', [itemByTitle(shortlisted[0]).id]: '2' });
    await clickAndLoad(p, S.saveAndContinue(p), texts.saveAndContinue);
    await checkAndSubmit(p, ex, r, capture, name('stakeholder-final'), { shows: shortlisted });
  });

  await runner.check(`${prefix}: every focused element shows its focus (keyboard steps)`, async () => {
    assert.ok(kb.focused > 0, 'nothing was focused');
    const missing = [...kb.notVisible].map(([where, how]) => `${where}: ${how}`);
    assert.equal(missing.length, 0, `no visible focus on ${missing.length} element(s):\n${missing.join('\n')}`);
    return `${kb.focused} focus stops checked; shown by ${kb.howSummary()}`;
  });
  await runner.check(`${prefix}: no dialog opened by a suggestion's text`, async () => {
    assert.equal(dialogs.length, 0, dialogs.join('\n'));
  });
  const problems = { pageErrors: [], serverErrors: [], consoleErrors: [] };
  for (const p of problemsOf) for (const key of Object.keys(problems)) problems[key].push(...p[key]);
  await reportPageProblems(runner, prefix, problems);
  for (const person of people) await person.context.close();
  await nojs.context.close();
  await lead.context.close();
}
