// Curation at volume: a suggest round of 180 suggestions on its own exercise,
// `curation-volume`, put through the API. The research lead searches and filters the list,
// pages through it (the pagination keeps the filters), selects several suggestions with the
// keyboard alone and assigns them all to one item with one decision, and sees the
// confirmation; then the same without JavaScript (out of scope, with the error first when no
// reason is given). Every page is screenshotted at 320 and 1280 px and checked with axe-core.

import assert from 'node:assert/strict';
import {
  clickAndLoad,
  expectH1,
  expectStatus,
  newJourneyPage,
  reportPageProblems,
} from '../lib/browser.mjs';
import { C, curationTexts as T } from '../lib/curation-selectors.mjs';
import { Keyboard } from '../lib/keyboard.mjs';
import { S, texts, urls } from '../lib/selectors.mjs';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN } from '../lib/server.mjs';

export const VOLUME_EXERCISE = 'curation-volume';

const DEFINITION = `
id = "${VOLUME_EXERCISE}"
title = "Curation at volume"
disclosure_threshold = 1

[[groups]]
id = "carers"
label = "Carers"

[[groups]]
id = "young-people"
label = "Young people"

[[items]]
id = "kinship-care"
title = "Kinship care"

[[items]]
id = "caseloads"
title = "Social work caseloads"

[[rounds]]
id = "ideas"
title = "Your ideas"
kind = "suggest"
max_suggestions = 3
`;

const TOPICS = ['kinship carers', 'social worker caseloads', 'care leavers housing', 'school support in care', 'respite for parents', 'contact with siblings'];
const ASKS = ['More help for', 'Better funding for', 'Research into', 'Less waiting for', 'Training about'];
/** 180 different suggestions: 30 about each topic. */
const SUGGESTIONS = Array.from({ length: 180 }, (_, n) => `${ASKS[n % ASKS.length]} ${TOPICS[Math.floor(n / ASKS.length) % TOPICS.length]} (${n + 1})`);

async function api(base, method, path, { json, toml, token = true } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${ADMIN_TOKEN}`;
  let body;
  if (json) [headers['Content-Type'], body] = ['application/json', JSON.stringify(json)];
  if (toml) [headers['Content-Type'], body] = ['application/toml', toml];
  const response = await fetch(`${base}/api/v1/exercises/${VOLUME_EXERCISE}${path}`, { method, headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function signIn(page) {
  await page.goto(urls.adminSignIn());
  await S.email(page).fill(ADMIN_EMAIL);
  await S.password(page).fill(ADMIN_PASSWORD);
  await clickAndLoad(page, S.signIn(page), texts.signIn);
}

const curatePath = () => `/admin/e/${VOLUME_EXERCISE}/r/ideas/curate`;

/** The listing's count as the page says it. */
const countText = async (page) => (await C.listingCount(page).innerText()).trim();

export async function curationVolumeJourney({ runner, browser, capture, base }) {
  const prefix = 'curation-volume';
  let n = 0;
  const name = (what) => `${prefix}-${String(++n).padStart(2, '0')}-${what}`;
  const problems = [];
  const open = async (label, options = {}) => {
    const made = await newJourneyPage(browser, runner, { name: `${prefix} ${label}`, base, ...options });
    problems.push(made.problems);
    return made;
  };
  const lead = await open('lead');
  const page = lead.page;
  const j = runner.journey(prefix, page);
  const kb = new Keyboard(page, { maxTabs: 250 });

  await j.step('setup: an exercise with 180 suggestions (through the API)', async () => {
    await api(base, 'PUT', '', { toml: DEFINITION });
    await api(base, 'POST', '/rounds/ideas/open');
    for (let person = 0; person < SUGGESTIONS.length / 3; person++) {
      const { respondent } = await api(base, 'POST', '/respondents', { json: { group: person % 2 ? 'young-people' : 'carers' }, token: false });
      await api(base, 'PUT', `/rounds/ideas/responses/${respondent}`, {
        json: { suggestions: SUGGESTIONS.slice(person * 3, person * 3 + 3), submit: true },
        token: false,
      });
    }
    const view = await api(base, 'GET', '/rounds/ideas/curation?per_page=1');
    assert.equal(view.total, 180);
    return `${view.total} suggestions`;
  }, { critical: true });

  await j.step('the lead opens the curation page: one page of 50, the pages linked', async () => {
    await signIn(page);
    await page.goto(curatePath());
    expectStatus(page, 200);
    await expectH1(page, T.curateHeading);
    assert.match(await countText(page), /^180 suggestions match \(in \d+ proposed groups?\)\. Showing 1–50 of 180, page 1 of 4\.$/);
    assert.equal(await page.locator('input[name="suggestion"]').count(), 50, 'one page of suggestions');
    await capture.page(page, name('curate-first-page'));
  }, { critical: true });

  let chosen = [];
  await j.step('keyboard alone: search, 25 a page, the next page, three selected, one decision', async () => {
    await page.goto(curatePath());
    await kb.tabTo(C.searchBox(page), 'the search box');
    await page.keyboard.type('kinship');
    await kb.chooseOption(C.statusFilter(page), 'the status filter', 'undecided');
    await kb.chooseOption(C.perPage(page), 'the page size', '25');
    await kb.activate(C.applyFilters(page), 'Apply filters');
    expectStatus(page, 200);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'kinship', 'the address keeps the search');
    assert.equal(url.searchParams.get('status'), 'undecided');
    assert.match(await countText(page), /^30 suggestions match the filters \(in \d+ proposed groups?\)\. Showing 1–25 of 30, page 1 of 2\.$/);
    assert.equal(await C.searchBox(page).inputValue(), 'kinship', 'the search is shown again');
    await capture.page(page, name('curate-filtered'));
    await kb.activate(C.nextPage(page), 'Next page');
    const second = new URL(page.url());
    assert.equal(second.searchParams.get('page'), '2');
    assert.equal(second.searchParams.get('q'), 'kinship', 'the next page keeps the filters');
    assert.equal(second.searchParams.get('per_page'), '25');
    assert.match(await countText(page), /Showing 26–30 of 30, page 2 of 2\.$/);
    const boxes = page.locator('form#decide input[name="suggestion"]');
    const values = await boxes.evaluateAll((els) => els.map((e) => e.value));
    chosen = values.slice(0, 3);
    for (const value of chosen) {
      await kb.setCheckbox(page.locator(`input[name="suggestion"][value="${value}"]`), `the box of ${value}`, true);
    }
    const form = page.locator('form#decide');
    await kb.chooseRadio(C.actionRadios(form), 'the decisions', 'assign');
    await kb.chooseOption(C.itemSelect(form), 'the item', 'kinship-care');
    await capture.page(page, name('curate-selected'));
    await kb.activate(C.save(form), 'Apply to the selected suggestions');
    expectStatus(page, 200);
    assert.equal((await C.notice(page).innerText()).trim(), '3 suggestions assigned to Kinship care.');
    const after = new URL(page.url());
    assert.equal(after.searchParams.get('q'), 'kinship', 'back on the same filters');
    assert.match(await countText(page), /^27 suggestions match the filters/, 'the three are no longer undecided');
    await capture.page(page, name('curate-assigned'));
    const view = await api(base, 'GET', '/rounds/ideas/curation?status=assigned');
    assert.deepEqual(view.suggestions.map((row) => row.id).sort(), [...chosen].sort());
    return chosen.join(', ');
  }, { critical: true });

  const nojs = await open('no-js lead', { javaScriptEnabled: false });
  await j.step('without JavaScript: a filter, two selected, out of scope (no reason first)', async () => {
    const p = nojs.page;
    await signIn(p);
    await p.goto(curatePath());
    await C.searchBox(p).fill('respite');
    await clickAndLoad(p, C.applyFilters(p), 'Apply filters');
    assert.match(await countText(p), /^30 suggestions match the filters/);
    const values = await p.locator('form#decide input[name="suggestion"]').evaluateAll((els) => els.map((e) => e.value));
    const two = values.slice(0, 2);
    for (const value of two) await p.locator(`input[name="suggestion"][value="${value}"]`).check();
    const form = p.locator('form#decide');
    await C.action(form, 'out').check();
    await clickAndLoad(p, C.save(form), 'Apply to the selected suggestions');
    expectStatus(p, 422);
    const summary = await S.errorSummaryLinks(p).allInnerTexts();
    assert.deepEqual(summary.map((s) => s.trim()), [T.noReasonError()]);
    for (const value of two) assert.ok(await p.locator(`input[name="suggestion"][value="${value}"]`).isChecked(), 'what was selected is kept');
    await capture.page(p, name('nojs-no-reason'));
    await C.note(p.locator('form#decide')).fill('Not a research question');
    await clickAndLoad(p, C.save(p.locator('form#decide')), 'Apply to the selected suggestions');
    expectStatus(p, 200);
    assert.equal((await C.notice(p).innerText()).trim(), '2 suggestions marked out of scope.');
    assert.equal(new URL(p.url()).searchParams.get('q'), 'respite');
    await capture.page(p, name('nojs-out-of-scope'));
  });

  await j.step('a group page, then "accept every proposal": a preview first, accepted by keyboard', async () => {
    await page.goto(curatePath());
    await kb.activate(page.getByRole('link', { name: 'Merge or split group 1' }), 'the link to group 1');
    expectStatus(page, 200);
    await expectH1(page, /^Proposed group 1 of \d+$/);
    await capture.page(page, name('group-page'));
    await page.goto(curatePath());
    await kb.activate(page.getByRole('link', { name: 'Accept every proposal' }), 'Accept every proposal');
    expectStatus(page, 200);
    await expectH1(page, 'Accept the proposals: what will happen');
    const button = page.getByRole('button', { name: /^Accept these \d+ proposals?$/ });
    const label = (await button.innerText()).trim();
    const count = Number(label.match(/\d+/)[0]);
    assert.ok(count > 0, 'something to accept');
    await capture.page(page, name('accept-preview'));
    await kb.activate(button, label);
    expectStatus(page, 200);
    assert.match((await C.notice(page).innerText()).trim(), new RegExp(`^${count} `), 'the notice says how many were accepted');
    await capture.page(page, name('accepted'));
    return label;
  });

  await runner.check(`${prefix}: every focused element shows its focus (keyboard steps)`, async () => {
    assert.ok(kb.focused > 0, 'nothing was focused');
    const missing = [...kb.notVisible].map(([where, how]) => `${where}: ${how}`);
    assert.equal(missing.length, 0, `no visible focus on ${missing.length} element(s):\n${missing.join('\n')}`);
    return `${kb.focused} focus stops checked`;
  });
  const all = { pageErrors: [], serverErrors: [], consoleErrors: [] };
  for (const found of problems) for (const key of Object.keys(all)) all[key].push(...found[key]);
  await reportPageProblems(runner, prefix, all);
  await nojs.context.close();
  await lead.context.close();
}
