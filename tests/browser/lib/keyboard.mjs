// Driving pages with the keyboard alone: only page.keyboard presses (Tab, Shift+Tab, Space,
// Enter, arrow keys, typing). The DOM is read, never clicked, to know where the focus is and to
// check that every focused element shows it (WCAG 2.4.7).

import { nextLoad } from './browser.mjs';

/** Runs in the page: describes document.activeElement and whether its focus is visible. */
function focusState() {
  const el = document.activeElement;
  const describe = (e) => {
    if (!e) return 'nothing';
    let d = e.tagName.toLowerCase();
    if (e.id) d += `#${e.id}`;
    for (const attr of ['name', 'value', 'type', 'href']) {
      const v = e.getAttribute(attr);
      if (v && !(attr === 'type' && ['submit', 'text'].includes(v))) d += `[${attr}="${v.slice(0, 40)}"]`;
    }
    const text = (e.innerText || e.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    if (text) d += ` "${text.slice(0, 40)}"`;
    return d;
  };
  if (!el || el === document.body || el === document.documentElement) {
    return { desc: 'body (nothing focused)', visible: false, how: 'focus is on the body', body: true };
  }
  const transparent = (colour) => !colour || colour === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(colour);
  const shows = (style) => {
    if (!style) return null;
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && !transparent(style.outlineColor)) {
      return `outline ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    }
    if (style.boxShadow && style.boxShadow !== 'none' && !/^(rgba\([^)]*,\s*0\)[^,]*,?\s*)+$/.test(style.boxShadow)) {
      return `box-shadow ${style.boxShadow}`;
    }
    return null;
  };
  // The element itself, then what visibly stands for it: the label of a visually hidden radio or
  // checkbox (GOV.UK draws their focus ring on the label's ::before), or the next sibling.
  const candidates = [[el, 'the element']];
  for (const label of el.labels ?? []) candidates.push([label, 'its label']);
  if (el.nextElementSibling) candidates.push([el.nextElementSibling, 'its next sibling']);
  for (const [node, what] of candidates) {
    for (const pseudo of [null, '::before', '::after']) {
      const found = shows(getComputedStyle(node, pseudo));
      if (found) return { desc: describe(el), visible: true, how: `${what}${pseudo ?? ''}: ${found}` };
    }
  }
  return { desc: describe(el), visible: false, how: 'no outline or box-shadow on it, its label or its next sibling' };
}

export class Keyboard {
  /** `notVisible` collects the focused elements that showed no focus. */
  constructor(page, { maxTabs = 80 } = {}) {
    this.page = page;
    this.maxTabs = maxTabs;
    this.notVisible = new Map(); // desc -> { url, how }
    this.focused = 0;
    this.how = new Map(); // how focus was shown -> count
  }

  /** How focus was shown, counted: "outline: 120, label::before box-shadow: 30". */
  howSummary() {
    return [...this.how].map(([k, v]) => `${k}: ${v}`).join(', ');
  }

  async focusState() {
    const info = await this.page.evaluate(focusState);
    this.focused += 1;
    if (info.visible) {
      const kind = info.how.replace(/:\s*(outline \S+|box-shadow).*$/, ' $1');
      this.how.set(kind, (this.how.get(kind) ?? 0) + 1);
    }
    if (!info.visible && !info.body) {
      const key = `${new URL(this.page.url()).pathname} ${info.desc}`;
      if (!this.notVisible.has(key)) this.notVisible.set(key, info.how);
    }
    return info;
  }

  async press(key) {
    await this.page.keyboard.press(key);
  }

  /** Whether the focus is on (or inside) one of the elements `locator` matches. */
  async isFocused(locator) {
    return locator.evaluateAll((els) => els.some((e) => e === document.activeElement || e.contains(document.activeElement)));
  }

  /** Presses Tab (or Shift+Tab) until the focus is on `locator`; checks each stop shows focus. */
  async tabTo(locator, what, { backwards = false } = {}) {
    if ((await locator.count()) === 0) throw new Error(`nothing on ${this.page.url()} to tab to: ${what}`);
    if (await this.isFocused(locator)) return this.focusState();
    const path = [];
    for (let i = 0; i < this.maxTabs; i++) {
      await this.page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      const info = await this.focusState();
      path.push(info.desc);
      if (await this.isFocused(locator)) return info;
    }
    throw new Error(
      `pressed ${backwards ? 'Shift+Tab' : 'Tab'} ${this.maxTabs} times on ${this.page.url()} without reaching ${what}; focus went to:\n  ${[...new Set(path)].join('\n  ')}`,
    );
  }

  /** Tabs to a link or button and presses Enter; waits for the next page. */
  async activate(locator, what, { key = 'Enter' } = {}) {
    await this.tabTo(locator, what);
    const loaded = nextLoad(this.page);
    await this.page.keyboard.press(key);
    await loaded();
  }

  async type(locator, what, text) {
    await this.tabTo(locator, what);
    await this.page.keyboard.type(text);
  }

  /**
   * Chooses a radio of a group: Tab into the group, then Space (the focused radio) or the arrow
   * keys (which move and check) to reach `value`.
   */
  async chooseRadio(radios, what, value) {
    await this.tabTo(radios, what);
    const { values, focused } = await radios.evaluateAll((els) => ({
      values: els.map((e) => e.value),
      focused: els.findIndex((e) => e === document.activeElement),
    }));
    const target = values.indexOf(value);
    if (target < 0) throw new Error(`${what}: no radio with value "${value}" (values: ${values.join(', ')})`);
    const steps = (target - focused + values.length) % values.length;
    if (steps === 0) await this.page.keyboard.press('Space');
    else if (steps <= values.length / 2) for (let i = 0; i < steps; i++) await this.arrow('ArrowDown');
    else for (let i = 0; i < values.length - steps; i++) await this.arrow('ArrowUp');
    const checked = await radios.evaluateAll((els) => els.find((e) => e.checked)?.value ?? null);
    if (checked !== value) throw new Error(`${what}: chose "${value}" with the keyboard but "${checked}" is checked`);
  }

  async arrow(key) {
    await this.page.keyboard.press(key);
    await this.focusState();
  }

  /** Chooses an option of a closed <select> with ArrowDown / ArrowUp. */
  async chooseOption(select, what, value) {
    await this.tabTo(select, what);
    const { values, index } = await select.evaluate((el) => ({
      values: [...el.options].map((o) => o.value),
      index: el.selectedIndex,
    }));
    const target = values.indexOf(value);
    if (target < 0) throw new Error(`${what}: no option with value "${value}" (values: ${values.join(', ')})`);
    const key = target > index ? 'ArrowDown' : 'ArrowUp';
    for (let i = 0; i < Math.abs(target - index); i++) await this.arrow(key);
    const chosen = await select.evaluate((el) => el.value);
    if (chosen !== value) throw new Error(`${what}: chose "${value}" with the arrow keys but "${chosen}" is selected`);
  }

  /** Ticks (or unticks) a checkbox with Space. */
  async setCheckbox(checkbox, what, checked = true) {
    await this.tabTo(checkbox, what);
    const now = await checkbox.evaluate((el) => el.checked);
    if (now !== checked) await this.page.keyboard.press('Space');
    const after = await checkbox.evaluate((el) => el.checked);
    if (after !== checked) throw new Error(`${what}: Space did not ${checked ? 'tick' : 'untick'} it`);
  }
}
