// The selectors, visible texts and URLs of the research lead's curation and shortlisting pages
// (crates/server/templates/admin/{curate,item,shortlist}.html), used by journeys/curation.mjs.
// As in selectors.mjs: role- and label-based locators for what people see, form field names
// (`suggestion`, `action`, `rule`, `k`, ...) where the form's contract with the server matters.

const exactly = (text) => ({ name: text, exact: true });

// ---------------------------------------------------------------------------------------------
// URLs

export const curationUrls = {
  curate: (ex, round) => `/admin/e/${ex.id}/r/${round.id}/curate`,
  item: (ex, item) => `/admin/e/${ex.id}/items/${item}`,
  shortlist: (ex, round) => `/admin/e/${ex.id}/r/${round.id}/shortlist`,
};

// ---------------------------------------------------------------------------------------------
// Texts

export const curationTexts = {
  curateLink: /^\s*Curate suggestions/,
  shortlistLink: /^\s*Shortlist/,
  curateHeading: /^Curate the suggestions: /,
  counts: (total, assigned, out, undecided) =>
    `${total} in all: ${assigned} assigned, ${out} out of scope, ${undecided} not yet decided`,
  noneUndecided: '0 not yet decided',
  // One decision form for every suggestion selected (the list page of curation at volume).
  saveGroup: () => 'Apply to the selected suggestions',
  actions: {
    assign: 'Assign to an existing item',
    new: 'Make a new item from them',
    out: 'Out of scope',
    undecided: 'Back to not yet decided',
  },
  itemLabel: 'Item',
  titleLabel: 'Wording of the new item',
  noteLabel: 'Why they are out of scope',
  noActionError: () => 'Choose what to do with the selected suggestions',
  noReasonError: () => 'Say why the suggestions are out of scope',
  savedNewItem: (title, n) => `${n} ${n === 1 ? 'suggestion' : 'suggestions'} assigned to the new item ${title}.`,
  assignedTo: (title) => `assigned to ${title}`,
  itemsCaption: 'Items and the suggestions behind them',
  edit: (title) => `Edit ${title}`,
  // the item page
  itemHeading: /^Edit the item: /,
  wording: 'Wording',
  evidence: 'Evidence checked (optional)',
  answered: /Existing evidence already answers this item/,
  saveItem: 'Save the item',
  evidenceError: 'Give the evidence that answers the item, or untick the box',
  assignedCount: (n) => `${n} ${n === 1 ? 'suggestion is' : 'suggestions are'} assigned to this item`,
  // the shortlist page
  shortlistHeading: /^Shortlist from the results: /,
  rules: {
    top: 'The top k overall',
    'group-union': 'Every item in the top k of any group',
    protected: 'The top k overall and the top j of a protected group',
  },
  kLabel: 'How many overall, or of each group (k)',
  groupLabel: 'Protected group',
  jLabel: 'How many of the protected group (j)',
  preview: 'Preview the shortlist',
  kError: 'Enter k as a whole number, 1 or more',
  goThrough: (included, all) => `${included} of ${all} items go through`,
  make: (round, n) => `Make “${round}” from these ${n} items`,
  previewCaption: 'Shortlist preview',
};

// ---------------------------------------------------------------------------------------------
// Locators

export const C = {
  // the exercise page
  curateLink: (page, round) =>
    page.getByRole('link', { name: curationTexts.curateLink }).and(page.locator(`a[href$="/r/${round.id}/curate"]`)),
  shortlistLink: (page, round) =>
    page.getByRole('link', { name: curationTexts.shortlistLink }).and(page.locator(`a[href$="/r/${round.id}/shortlist"]`)),

  // the curation page
  progressCaption: (page) => page.locator('caption').filter({ hasText: 'Suggestions by group' }),
  notice: (page) => page.locator('#notice'),
  /** The one decision form, which lists the suggestion `id` (`RESPONDENT:N`). */
  groupFormOf: (page, suggestion) =>
    page.locator('form#decide').filter({ has: page.locator(`input[name="suggestion"][value="${suggestion}"]`) }),
  /** The proposed groups listed on the page. */
  groupForms: (page) => page.locator('fieldset.curation-group'),
  /** The number of the proposed group that lists the suggestion `id`. */
  groupNumberOf: (page, suggestion) =>
    page
      .locator('fieldset.curation-group')
      .filter({ has: page.locator(`input[name="suggestion"][value="${suggestion}"]`) })
      .locator('input[name="select_group"]')
      .inputValue()
      .then(Number),
  /** The listing's count: "N suggestions match … Showing a–b of N". */
  listingCount: (page) => page.locator('#listing-count'),
  /** A proposed group's "Select this group" box. */
  selectGroup: (page, number) => page.locator(`input[name="select_group"][value="${number}"]`),
  searchBox: (page) => page.getByLabel('Words in the suggestion', { exact: true }),
  statusFilter: (page) => page.getByLabel('Status', { exact: true }),
  reviewFilter: (page) => page.getByLabel('Second review', { exact: true }),
  perPage: (page) => page.getByLabel('Suggestions per page', { exact: true }),
  applyFilters: (page) => page.getByRole('button', exactly('Apply filters')),
  nextPage: (page) => page.getByRole('link', { name: /^Next page$/ }),
  reviewNote: (form) => form.getByLabel(/^Reviewer’s note/),
  suggestionBox: (form, suggestion) => form.locator(`input[name="suggestion"][value="${suggestion}"]`),
  suggestionBoxes: (form) => form.locator('input[name="suggestion"]'),
  /** The text of the label of a suggestion's checkbox, as the page shows it. */
  suggestionText: (form, suggestion) => C.suggestionBox(form, suggestion).evaluate((el) => el.labels[0].textContent),
  actionRadios: (form) => form.locator('input[type="radio"][name="action"]'),
  action: (form, action) => form.getByRole('radio', exactly(curationTexts.actions[action])),
  itemSelect: (form) => form.getByLabel(curationTexts.itemLabel, { exact: true }),
  title: (form) => form.getByLabel(curationTexts.titleLabel, { exact: true }),
  note: (form) => form.getByLabel(curationTexts.noteLabel, { exact: true }),
  save: (form) => form.getByRole('button', exactly('Apply to the selected suggestions')),
  itemsTable: (page) =>
    page.locator('table').filter({ has: page.locator('caption', { hasText: curationTexts.itemsCaption }) }),
  itemRow: (page, title) =>
    C.itemsTable(page).locator('tbody tr').filter({ has: page.getByRole('rowheader', exactly(title)) }),
  editLink: (page, title) => page.getByRole('link', exactly(curationTexts.edit(title))),

  // the item page
  wording: (page) => page.getByLabel(curationTexts.wording, { exact: true }),
  evidence: (page) => page.getByLabel(curationTexts.evidence, { exact: true }),
  answered: (page) => page.getByRole('checkbox', { name: curationTexts.answered }),
  saveItem: (page) => page.getByRole('button', exactly(curationTexts.saveItem)),

  // the shortlist page
  ruleRadios: (page) => page.locator('input[type="radio"][name="rule"]'),
  rule: (page, rule) => page.getByRole('radio', exactly(curationTexts.rules[rule])),
  k: (page) => page.getByLabel(curationTexts.kLabel, { exact: true }),
  group: (page) => page.getByLabel(curationTexts.groupLabel, { exact: true }),
  j: (page) => page.getByLabel(curationTexts.jLabel, { exact: true }),
  preview: (page) => page.getByRole('button', exactly(curationTexts.preview)),
  previewTable: (page) =>
    page.locator('table').filter({ has: page.locator('caption', { hasText: curationTexts.previewCaption }) }),
  previewRows: (page) => C.previewTable(page).locator('tbody tr'),
  make: (page) => page.getByRole('button', { name: /^Make “.+” from these \d+ items$/ }),
};
