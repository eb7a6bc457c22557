#!/usr/bin/env node
// Browser tests of the prioritise pages. See README.md beside this file.
//
//   cargo build -p prioritise && node tests/browser/run.mjs
//
// Starts `prioritise serve` on a fresh database, then runs journeys in headless Chromium:
// the stakeholder journey with the mouse, with the keyboard alone and without JavaScript, coming
// back with a resume code once the rating round has closed (to see the Delphi feedback), the
// research lead's admin journey, and a member of the public reading published results. Every
// page visited is screenshotted at 320 and 1280 px and checked with axe-core. Exits 1 when any
// check fails.
//
// Environment:
//   PRIORITISE_BIN     the binary (default: target/debug/prioritise in the repository)
//   CHROMIUM_PATH      the browser (default: /usr/bin/chromium)
//   BROWSER_JOURNEYS   a comma-separated subset of: mouse,keyboard,nojs,resume,admin,advisory,public
//   BROWSER_WORKERS    how many stakeholder journeys run side by side (default 3)
//   BROWSER_TIMEOUT_MS how long an action waits for an element (default 5000)
//   BROWSER_DEADLINE_S the whole run's limit (default 900)
//   SCREENSHOTS=0      no screenshots;  AXE=0  no axe-core;  REFLOW=0  no 320 px reflow check
//   KEEP_TMP=1         keep the temporary directory (database) for a look afterwards

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!existsSync(path.join(here, 'node_modules', 'playwright-core')) || !existsSync(path.join(here, 'node_modules', '@axe-core', 'playwright'))) {
  console.error(`The test's packages are not installed: run \`npm ci\` in ${path.relative(process.cwd(), here) || '.'} first.`);
  process.exit(1);
}
const { AxeBuilder } = await import('@axe-core/playwright');
const { adminJourney } = await import('./journeys/admin.mjs');
const { advisoryJourney } = await import('./journeys/advisory.mjs');
const { curationJourney } = await import('./journeys/curation.mjs');
const { curationVolumeJourney } = await import('./journeys/curation-volume.mjs');
const { keyboardJourney } = await import('./journeys/keyboard.mjs');
const { publicJourney } = await import('./journeys/public.mjs');
const { resumeJourney, stakeholderJourney } = await import('./journeys/stakeholder.mjs');
const { AXE_TAGS, Capture, launch } = await import('./lib/browser.mjs');
const { bold, dim, red, Runner } = await import('./lib/runner.mjs');
const { addAdmin, checkBinary, closeRound, getExercise, listExercises, openRound, startServer } = await import('./lib/server.mjs');
const root = path.resolve(here, '..', '..');
const bin = process.env.PRIORITISE_BIN ? path.resolve(process.env.PRIORITISE_BIN) : path.join(root, 'target', 'debug', 'prioritise');
const screenshotDir = path.join(here, 'screenshots');
const EXERCISE = 'try-every-kind';
const ROUNDS = ['ideas', 'ratings', 'rerate', 'criteria', 'top-three', 'pick-two', 'pairs'];
// The rating round whose ratings the re-rating round ('rerate') shows once it has closed.
const FEEDBACK_FROM = 'ratings';
const journeys = new Set((process.env.BROWSER_JOURNEYS ?? 'mouse,keyboard,nojs,resume,admin,advisory,public').split(',').map((s) => s.trim()));
const deadlineSeconds = Number(process.env.BROWSER_DEADLINE_S ?? 900);
const workers = Math.max(1, Number(process.env.BROWSER_WORKERS ?? 3));

/** Runs the async functions, at most `size` at once. */
async function pool(tasks, size) {
  const queue = [...tasks];
  const worker = async () => {
    while (queue.length) await queue.shift()();
  };
  await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, worker));
}

const runner = new Runner({ failureDir: path.join(screenshotDir, 'failures') });
let server = null;
let browser = null;
let tmp = null;

function cleanUpNow() {
  server?.killNow();
  if (tmp && !process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
}
process.on('exit', cleanUpNow);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping`);
    cleanUpNow();
    process.exit(130);
  });
}
const deadline = setTimeout(() => {
  console.error(red(`\nthe run took longer than ${deadlineSeconds} s (BROWSER_DEADLINE_S): stopping`));
  runner.record('the run finishes in time', 'fail', { error: `still running after ${deadlineSeconds} s` });
  runner.summary({});
  cleanUpNow();
  process.exit(1);
}, deadlineSeconds * 1000);
deadline.unref();

async function main() {
  const started = Date.now();
  console.log(bold('prioritise browser tests'));
  console.log(dim(`  binary ${bin}`));

  rmSync(screenshotDir, { recursive: true, force: true });
  tmp = mkdtempSync(path.join(tmpdir(), 'prioritise-browser-'));
  const db = path.join(tmp, 'browser.db');

  const setUp = await runner.check('setup: admin account and server', async () => {
    checkBinary(bin);
    await addAdmin(bin, db);
    server = await startServer({ bin, db, surveys: path.join(root, 'surveys') });
    return server.base;
  });
  if (!setUp) return;
  const base = server.base;

  let ex = null;
  const ready = await runner.check(`setup: open the rounds of ${EXERCISE} through the API`, async () => {
    const list = await listExercises(base);
    assert.ok(list.exercises.some((e) => e.id === EXERCISE), `the server has no exercise ${EXERCISE}`);
    for (const round of ROUNDS) await openRound(base, EXERCISE, round);
    ex = await getExercise(base, EXERCISE);
    for (const round of ROUNDS) {
      const r = ex.rounds.find((x) => x.id === round);
      assert.equal(r?.state, 'open', `round ${round} should be open`);
    }
    return ROUNDS.join(', ');
  });
  if (!ready) return;

  const launched = await runner.check('setup: Chromium starts and axe-core runs', async () => {
    browser = await launch();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/api/v1/exercises`);
    const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
    assert.ok(results.passes.length + results.inapplicable.length > 0, 'axe-core ran no rule');
    await context.close();
    return `Chromium ${browser.version()}, axe-core ${results.testEngine.version}`;
  });
  if (!launched) return;

  const capture = new Capture({
    runner,
    browser,
    dir: screenshotDir,
    enabled: process.env.SCREENSHOTS !== '0',
    axe: process.env.AXE !== '0',
  });
  const common = { runner, browser, capture, base, ex };
  const groupsThatAnswered = [];
  let resumeCode = null;
  let mouseRatings = null;

  // The three stakeholder journeys are independent: they run side by side (each check's name
  // tells its journey), BROWSER_WORKERS at a time.
  const stakeholders = [];
  if (journeys.has('mouse')) {
    stakeholders.push(async () => {
      const out = await stakeholderJourney({ ...common, variant: 'mouse' });
      resumeCode = out.resumeCode;
      mouseRatings = out.ratingsGiven;
      if (out.resumeCode) groupsThatAnswered.push(out.group);
    });
  }
  if (journeys.has('keyboard')) {
    stakeholders.push(async () => {
      const out = await keyboardJourney(common);
      if (out.started) groupsThatAnswered.push(out.group);
    });
  }
  if (journeys.has('nojs')) {
    stakeholders.push(async () => {
      const out = await stakeholderJourney({ ...common, variant: 'nojs' });
      if (out.resumeCode) groupsThatAnswered.push(out.group);
    });
  }
  if (stakeholders.length) {
    console.log(bold(`\nStakeholder journeys: ${['mouse', 'keyboard', 'nojs'].filter((x) => journeys.has(x)).join(', ')} (${workers} at a time)`));
    await pool(stakeholders, workers);
  }
  // The re-rating round shows the earlier round's ratings only once that round has closed:
  // close it now that the stakeholders have rated, and come back to see them.
  let closed = null;
  if (stakeholders.length || journeys.has('resume')) {
    await runner.check(`setup: close the round "${FEEDBACK_FROM}" through the API`, async () => {
      await closeRound(base, EXERCISE, FEEDBACK_FROM);
      const now = await getExercise(base, EXERCISE);
      assert.equal(now.rounds.find((x) => x.id === FEEDBACK_FROM)?.state, 'closed', `round ${FEEDBACK_FROM} should be closed`);
      closed = now;
    });
  }
  if (journeys.has('resume')) {
    console.log(bold('\nComing back with a resume code, once round ratings has closed'));
    await resumeJourney({ ...common, ex: closed ?? ex, resumeCode, earlier: mouseRatings });
  }
  if (journeys.has('admin')) {
    console.log(bold('\nResearch lead (admin) journey'));
    await adminJourney({ ...common, groupsThatAnswered });
  }
  if (journeys.has('advisory')) {
    console.log(bold('\nAdvisory group member: invited by an owner, reads and changes nothing'));
    await advisoryJourney({ ...common, answered: groupsThatAnswered.length > 0 });
  }
  // After the stakeholders have answered: the rank round is published and read by the public.
  if (journeys.has('public')) {
    console.log(bold('\nA member of the public reads the published results'));
    await publicJourney(common);
  }
  // Its own exercise (curation-journey); on by default, or when BROWSER_JOURNEYS names it.
  if (!process.env.BROWSER_JOURNEYS || journeys.has('curation')) {
    console.log(bold('\nCuration and shortlisting journey (research lead and stakeholders)'));
    await curationJourney(common);
  }
  // Its own exercise (curation-volume); on by default, or when BROWSER_JOURNEYS names it.
  if (!process.env.BROWSER_JOURNEYS || journeys.has('curation-volume')) {
    console.log(bold('\nCuration at volume: search, filters, paging and one decision for many'));
    await curationVolumeJourney(common);
  }
  await capture.close();
  runner.screenshots = capture.files;
  console.log(dim(`\n${((Date.now() - started) / 1000).toFixed(1)} s`));
}

try {
  await main();
} catch (error) {
  runner.record('the run itself', 'fail', { error });
} finally {
  await browser?.close().catch(() => {});
  if (server) {
    const exit = await server.stop();
    if (exit && exit.code && exit.signal !== 'SIGTERM' && exit.code !== 0) {
      runner.record('the server stops cleanly', 'fail', { error: `exit ${exit.code}:\n${server.log().slice(-2000)}` });
    }
  }
  if (runner.failed && server) {
    const log = server.log().trim().split('\n').slice(-15).join('\n');
    console.log(dim(`\nlast lines of the server's log:\n${log}`));
  }
  runner.summary({ screenshots: runner.screenshots, screenshotDir: path.relative(process.cwd(), screenshotDir) || '.' });
  cleanUpNow();
  tmp = null;
  process.exitCode = runner.failed ? 1 : 0;
}
