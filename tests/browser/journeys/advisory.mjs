// An advisory group member's journey: an owner invites them on the people page; they open the
// sign-up link in a browser of their own, set a password, and read the exercise page, a round's
// results and the method report, finding no control that changes anything. Every page is
// screenshotted at 320 and 1280 px and checked with axe-core.

import assert from 'node:assert/strict';
import {
  clickAndLoad,
  expectErrorSummary,
  expectH1,
  expectPath,
  expectStatus,
  expectVisible,
  newJourneyPage,
  reportPageProblems,
} from '../lib/browser.mjs';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../lib/server.mjs';

const MEMBER = 'advisory.member@example.org';
const MEMBER_PASSWORD = 'advisory group passphrase';

/** The forms of the page that post (change something), apart from signing out. */
async function changingForms(page) {
  return page.locator('form[method="post"]').evaluateAll((forms) =>
    forms.map((form) => form.getAttribute('action')).filter((action) => action !== '/admin/sign-out'),
  );
}

/** Links to the pages that change things. */
async function changingLinks(page) {
  return page
    .locator('a[href]')
    .evaluateAll((links) =>
      links
        .map((link) => link.getAttribute('href'))
        .filter((href) => /\/definition$|\/people$|^\/admin\/new$|\/curate$|\/shortlist$/.test(href)),
    );
}

async function expectNothingToChange(page, where) {
  const forms = await changingForms(page);
  assert.deepEqual(forms, [], `${where}: forms that change things: ${forms.join(', ')}`);
  const links = await changingLinks(page);
  assert.deepEqual(links, [], `${where}: links to pages that change things: ${links.join(', ')}`);
}

export async function advisoryJourney({ runner, browser, capture, base, ex, answered }) {
  const prefix = 'advisory';
  let n = 0;
  const name = (what) => `${prefix}-${String(++n).padStart(2, '0')}-${what}`;
  const owner = await newJourneyPage(browser, runner, { name: `${prefix}-owner`, base });
  const o = runner.journey(`${prefix} (owner)`, owner.page);
  let link = null;

  await o.step('the owner signs in and opens the people page', async () => {
    const page = owner.page;
    await page.goto('/admin/sign-in');
    await page.getByLabel('Email address').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await clickAndLoad(page, page.getByRole('button', { name: 'Sign in' }), 'Sign in');
    await page.goto(`/admin/e/${ex.id}/people`);
    expectStatus(page, 200);
    await expectH1(page, 'People and roles');
    await capture.page(page, name('people'));
  }, { critical: true });

  await o.step('an email left out is an error in the GOV.UK pattern', async () => {
    const page = owner.page;
    await clickAndLoad(page, page.getByRole('button', { name: 'Make a sign-up link' }), 'Make a sign-up link');
    expectStatus(page, 422);
    await expectErrorSummary(page);
    await capture.page(page, name('people-error'));
  });

  await o.step('the owner invites an advisory member and copies the sign-up link', async () => {
    const page = owner.page;
    await page.getByLabel('Email address').fill(MEMBER);
    await page.getByLabel(/^Advisory group member/).check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Make a sign-up link' }), 'Make a sign-up link');
    expectStatus(page, 200);
    await expectVisible(page.getByText(`${MEMBER} is invited to be an advisory group member`), 'the notice of what was done');
    link = (await page.locator('#sign-up-link code').innerText()).trim();
    assert.match(link, /\/admin\/join\/[A-Za-z0-9_-]+$/, 'a sign-up link');
    await capture.page(page, name('people-invited'));
    return link.replace(/join\/.*/, 'join/…');
  }, { critical: true });
  await owner.context.close();
  await reportPageProblems(runner, `${prefix} (owner)`, owner.problems);
  if (!link) return;

  // The member, in a browser of their own.
  const member = await newJourneyPage(browser, runner, { name: prefix, base });
  const page = member.page;
  const j = runner.journey(prefix, page);

  await j.step('the sign-up link shows the exercise and the role offered', async () => {
    await page.goto(link);
    expectStatus(page, 200);
    await expectH1(page, `Join “${ex.title}”`);
    await expectVisible(page.getByText('an advisory group member'), 'the role offered');
    await capture.page(page, name('join'));
  }, { critical: true });

  await j.step('passwords that differ are an error', async () => {
    await page.getByLabel('Create a password').fill(MEMBER_PASSWORD);
    await page.getByLabel('Type the password again').fill('another passphrase entirely');
    await clickAndLoad(page, page.getByRole('button', { name: 'Create my account' }), 'Create my account');
    expectStatus(page, 422);
    await expectErrorSummary(page);
    await capture.page(page, name('join-error'));
  });

  await j.step('setting a password signs them in at the exercise', async () => {
    await page.getByLabel('Create a password').fill(MEMBER_PASSWORD);
    await page.getByLabel('Type the password again').fill(MEMBER_PASSWORD);
    await clickAndLoad(page, page.getByRole('button', { name: 'Create my account' }), 'Create my account');
    expectPath(page, `/admin/e/${ex.id}`);
    expectStatus(page, 200);
    await capture.page(page, name('exercise'));
  }, { critical: true });

  await j.step('the exercise page offers nothing that changes anything', async () => {
    await page.goto(`/admin/e/${ex.id}`);
    expectStatus(page, 200);
    await expectNothingToChange(page, 'the exercise page');
  });

  await j.step('the dashboard lists the exercise with the role, and no "Add an exercise"', async () => {
    await page.goto('/admin');
    expectStatus(page, 200);
    await expectVisible(page.getByText('Your role: advisory group member.'), 'the role');
    assert.equal(await page.getByRole('link', { name: 'Add an exercise' }).count(), 0, 'no "Add an exercise"');
    await expectNothingToChange(page, 'the dashboard');
    await capture.page(page, name('dashboard'));
  });

  await j.step("a round's results, overall and by group", async () => {
    const round = ex.rounds.find((r) => r.id === 'top-three') ?? ex.rounds.find((r) => r.kind === 'rank');
    await page.goto(`/admin/e/${ex.id}/r/${round.id}/results`);
    expectStatus(page, 200);
    await expectH1(page, /.+/);
    await expectNothingToChange(page, 'the results page');
    await capture.page(page, name('results'));
  });

  await j.step('the method report', async () => {
    const response = await page.goto(`/admin/e/${ex.id}/report`);
    const status = response.status();
    assert.ok(status === 200 || (!answered && status === 409), `the report: HTTP ${status}`);
    const forms = await page.locator('form').count();
    assert.equal(forms, 0, 'the report has no form');
    await capture.page(page, name('report'));
  });

  await j.step('editing the definition is refused with the reason', async () => {
    const response = await page.goto(`/admin/e/${ex.id}/definition`);
    assert.equal(response.status(), 403, 'the definition editor: 403');
    await expectVisible(page.getByText('but not change it'), 'the reason');
    await capture.page(page, name('refused'));
  });

  await member.context.close();
  await reportPageProblems(runner, prefix, member.problems);
}
