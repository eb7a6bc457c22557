// A small test runner: named checks grouped in journeys, a failed critical step skips the rest
// of its journey, and a summary at the end. The exit code comes from `runner.failed`.

import { mkdirSync } from 'node:fs';
import path from 'node:path';

const useColour = process.stdout.isTTY && !process.env.NO_COLOR;
const colour = (code) => (text) => (useColour ? `\x1b[${code}m${text}\x1b[0m` : text);
export const red = colour('31');
export const green = colour('32');
export const yellow = colour('33');
export const dim = colour('2');
export const bold = colour('1');

/** The first lines of an error, without Playwright's long call log. */
export function shortError(error, lines = 12) {
  const text = error?.stack && !error.message?.includes('\n') ? error.message : String(error?.message ?? error);
  const kept = text
    .split('\n')
    .filter((line) => !/^\s+at .*(node:internal|node_modules)/.test(line))
    .slice(0, lines);
  return kept.join('\n');
}

export class Runner {
  constructor({ failureDir }) {
    this.results = []; // { name, status: 'pass' | 'fail' | 'skip', ms, error, detail }
    this.axeViolations = []; // { page, url, violations }
    this.reflow = []; // { page, url, width }
    this.warnings = [];
    this.failureDir = failureDir;
  }

  get failed() {
    return this.results.filter((r) => r.status === 'fail').length;
  }

  record(name, status, { ms = 0, error, detail, note } = {}) {
    const result = { name, status, ms, error, detail };
    this.results.push(result);
    // One console.log per result, so that journeys running side by side do not mix their lines.
    const time = ms ? ` ${dim(`(${ms} ms)`)}` : '';
    let text;
    if (status === 'pass') text = `  ${green('✔')} ${name}${time}${detail ? dim(` — ${detail}`) : ''}`;
    else if (status === 'skip') text = `  ${yellow('-')} ${name} ${dim(`skipped: ${error}`)}`;
    else text = `  ${red('✘')} ${name}${time}\n${indent(shortError(error), 6)}${note ? `\n${dim(indent(note, 6))}` : ''}`;
    console.log(text);
    return result;
  }

  warn(text) {
    this.warnings.push(text);
  }

  /**
   * Runs one check; records its outcome; never throws. Resolves true when it passed.
   * `onFail` may add a note (such as where a screenshot of the failure is).
   */
  async check(name, fn, { onFail } = {}) {
    const started = Date.now();
    try {
      const detail = await fn();
      this.record(name, 'pass', { ms: Date.now() - started, detail: typeof detail === 'string' ? detail : undefined });
      return true;
    } catch (error) {
      const ms = Date.now() - started;
      const note = onFail ? await onFail().catch(() => undefined) : undefined;
      this.record(name, 'fail', { ms, error, note });
      return false;
    }
  }

  /**
   * A journey: a sequence of steps on one page. A failed step is recorded and the journey goes
   * on, except after a `critical` step, when the remaining steps are skipped.
   */
  journey(prefix, page) {
    const runner = this;
    let blocked = null;
    return {
      prefix,
      page,
      async step(name, fn, { critical = false } = {}) {
        const full = `${prefix}: ${name}`;
        if (blocked) {
          runner.record(full, 'skip', { error: `"${blocked}" failed` });
          return false;
        }
        const ok = await runner.check(full, fn, { onFail: () => runner.failureScreenshot(page, full) });
        if (!ok && critical) blocked = name;
        return ok;
      },
      get blocked() {
        return blocked;
      },
    };
  }

  /** A screenshot of the page where a step failed; resolves with a note that tells where. */
  async failureScreenshot(page, name) {
    if (!page || page.isClosed()) return undefined;
    try {
      mkdirSync(this.failureDir, { recursive: true });
      const file = path.join(this.failureDir, `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`);
      await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
      return `at ${page.url()} — screenshot ${path.relative(process.cwd(), file)}`;
    } catch {
      return `at ${page.url()}`;
    }
  }

  summary({ screenshots, screenshotDir }) {
    const passed = this.results.filter((r) => r.status === 'pass').length;
    const skipped = this.results.filter((r) => r.status === 'skip').length;
    const failed = this.failed;

    console.log('');
    if (this.axeViolations.length) {
      console.log(bold('Accessibility violations (axe-core):'));
      for (const { page, url, violations } of this.axeViolations) {
        console.log(`  ${red(page)} ${dim(url)}`);
        for (const v of violations) {
          console.log(`    ${v.id} [${v.impact}] ${v.help} ${dim(v.helpUrl ?? '')}`);
          for (const node of v.nodes.slice(0, 8)) {
            console.log(`      - ${node.target.join(' ')}${node.failureSummary ? dim(`: ${firstLine(node.failureSummary)}`) : ''}`);
          }
          if (v.nodes.length > 8) console.log(`      … and ${v.nodes.length - 8} more`);
        }
      }
      const byRule = new Map();
      for (const { page, violations } of this.axeViolations) {
        for (const v of violations) byRule.set(v.id, [...(byRule.get(v.id) ?? []), page]);
      }
      console.log(bold('  by rule:'));
      for (const [rule, pages] of byRule) console.log(`    ${rule}: ${pages.length} page(s): ${pages.join(', ')}`);
      console.log('');
    }
    if (this.reflow.length) {
      console.log(bold('Pages wider than 320 px at 320 px (WCAG 1.4.10 Reflow):'));
      for (const { page, url, width } of this.reflow) console.log(`  ${red(page)} ${width} px ${dim(url)}`);
      console.log('');
    }
    if (this.warnings.length) {
      console.log(bold('Warnings (not failures):'));
      for (const w of [...new Set(this.warnings)]) console.log(`  ${yellow('!')} ${w}`);
      console.log('');
    }
    if (failed) {
      console.log(bold('Failed checks:'));
      for (const r of this.results.filter((r) => r.status === 'fail')) {
        console.log(`  ${red('✘')} ${r.name}: ${firstLine(shortError(r.error))}`);
      }
      console.log('');
    }
    if (screenshots) console.log(`Screenshots: ${screenshots} files in ${screenshotDir}`);
    console.log(`Summary: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  }
}

function firstLine(text) {
  return String(text).split('\n').find((l) => l.trim())?.trim() ?? '';
}

function indent(text, n) {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}
