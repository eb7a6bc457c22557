// Every selector, visible text and URL the browser tests rely on, in one place.
// Prefer role- and label-based locators (what a person or a screen reader sees); the form field
// names (`rating-ITEM`, `rank-ITEM`, ...) are the contract between the pages and the server, so
// they are used where a label would be ambiguous.
//
// `ex` is the exercise as `GET /api/v1/exercises/{id}` returns it (title, groups, items, rounds);
// `item` and `round` are entries of its `items` and `rounds`.

/** A regular expression that matches `text` literally. */
export const literal = (text) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const startsWith = (text) => new RegExp(`^\\s*${literal(text).source}`);
const exactly = (text) => ({ name: text, exact: true });

// ---------------------------------------------------------------------------------------------
// URLs (paths; the base address is added by the tests)

export const urls = {
  home: () => '/',
  exercise: (ex) => `/e/${ex.id}`,
  start: (ex) => `/e/${ex.id}/start`,
  started: (ex) => `/e/${ex.id}/started`,
  resume: (ex) => `/e/${ex.id}/resume`,
  round: (ex, round) => `/e/${ex.id}/r/${round.id}`,
  check: (ex, round) => `/e/${ex.id}/r/${round.id}/check`,
  done: (ex, round) => `/e/${ex.id}/r/${round.id}/done`,
  adminSignIn: () => '/admin/sign-in',
  admin: () => '/admin',
  adminExercise: (ex) => `/admin/e/${ex.id}`,
  adminResults: (ex, round) => `/admin/e/${ex.id}/r/${round.id}/results`,
  adminDefinition: (ex) => `/admin/e/${ex.id}/definition`,
  adminRoundAction: (ex, round, action) => `/admin/e/${ex.id}/r/${round.id}/${action}`,
};

// ---------------------------------------------------------------------------------------------
// Texts

export const texts = {
  startNow: 'Start now',
  resumeLink: 'Come back with a resume code',
  continue: 'Continue',
  resumeCodeLabel: 'Resume code',
  saveAndContinue: 'Save and continue',
  saveForLater: 'Save and come back later',
  checkHeading: 'Check your answers',
  change: /^\s*Change/,
  submit: 'Submit',
  doneHeading: /submitted/i,
  errorSummaryHeading: 'There is a problem',
  cantDecide: /I can[’']t decide/i,
  finish: 'Finish',
  noPairLeft: /answered all the pairs|no (more )?pairs/i,
  suggestionLabel: (n) => `Question ${n}`,
  // Delphi re-rating rounds: the feedback beside each topic
  feedbackIntro: /Beside each topic you can see how you and others rated it in round \d+ .*You can keep your rating or change it\./,
  feedbackByGroup: /The ratings shown are those of your group, /,
  /** While the earlier round is open, no ratings are shown, only when they will be. */
  feedbackAfterClose: (number, title) =>
    `How people rated these topics in round ${number} (“${title}”) will be shown here once round ${number} has closed.`,
  feedbackOwn: (label) => `Your rating last time: ${label}`,
  feedbackNotRated: 'You did not rate this last time',
  feedbackDetails: 'How people rated this last time',
  // admin
  email: 'Email address',
  password: 'Password',
  signIn: 'Sign in',
  signOut: 'Sign out',
  open: 'Open',
  close: 'Close',
  participationCaption: /Participation/i,
  inviteCountLabel: /how many|number of invites|invites/i,
  createInvites: 'Create invites',
  results: /^\s*Results/,
  downloadCsv: /Download responses \(CSV\)/,
  editDefinition: 'Edit the definition',
  save: 'Save',
  showResults: 'Show results',
  overallCaption: /Overall/i,
  resultsCertain: 'Which places are certain',
  resultsOtherMethods: 'Would another method change the list?',
  lineNumber: /line\s+\d+/i,
  roundState: { open: /\bopen\b/i, closed: /\bclosed\b/i },
  // opening and closing rounds, and the notice after
  closeHeading: (title) => `Close “${title}”?`,
  openHeading: (title) => `Open “${title}”?`,
  closeQuestion: /\d+ (people have|person has) answered; once closed, no one can answer it\./,
  confirmClose: 'Close the round',
  confirmOpen: 'Open the round',
  closedNotice: (title) => new RegExp(`^Round “${literal(title).source}” is now closed: \\d+ answers?$`),
  openedNotice: (title) => new RegExp(`^Round “${literal(title).source}” is now open`),
  // the done page: what happens next
  whatNext: 'What happens next',
  comingBack: /On another device, go to \S*\/e\/[^/\s]+\/resume and type the resume code you were given when you started/,
  resultsWillBe: /the results, they will be at \S*\/e\/[^/\s]+\/results\./,
  printPage: 'Print this page',
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
};

// ---------------------------------------------------------------------------------------------
// Locators

export const S = {
  h1: (page) => page.getByRole('heading', { level: 1 }),
  notice: (page) => page.getByRole('status'),
  confirmClose: (page) => page.getByRole('button', exactly(texts.confirmClose)),
  confirmOpen: (page) => page.getByRole('button', exactly(texts.confirmOpen)),
  printButton: (page) => page.getByRole('button', exactly(texts.printPage)),
  main: (page) => page.locator('main'),

  // home and exercise pages
  exerciseLink: (page, ex) => page.getByRole('link', { name: ex.title }),
  startNow: (page) =>
    page.getByRole('link', exactly(texts.startNow)).or(page.getByRole('button', exactly(texts.startNow))),
  resumeLink: (page) => page.getByRole('link', { name: texts.resumeLink }),
  roundLink: (page, round) => page.getByRole('link', { name: startsWith(round.title) }),

  // start, started, resume
  groupRadio: (page, group) => page.getByRole('radio', { name: group.label, exact: true }),
  groupRadios: (page) => page.locator('input[type="radio"][name="group"]'),
  continueButton: (page) => page.getByRole('button', exactly(texts.continue)),
  // The started page's Continue is a link styled (and given the role of) a button.
  continueLink: (page) =>
    page.getByRole('link', exactly(texts.continue)).or(page.getByRole('button', exactly(texts.continue))),
  continueAny: (page) =>
    page.getByRole('link', exactly(texts.continue)).or(page.getByRole('button', exactly(texts.continue))),
  resumeCode: (page) => page.locator('#resume-code'),
  resumeCodeInput: (page) => page.getByLabel(texts.resumeCodeLabel),

  // round pages
  saveAndContinue: (page) => page.getByRole('button', exactly(texts.saveAndContinue)),
  saveForLater: (page) => page.getByRole('button', exactly(texts.saveForLater)),
  suggestion: (page, n) => page.getByLabel(texts.suggestionLabel(n), { exact: true }),
  suggestionByName: (page, n) => page.locator(`textarea[name="suggestion-${n}"]`),
  ratingGroup: (page, item) => page.getByRole('group', { name: item.title }),
  ratingRadios: (page, item, criterion) =>
    page.locator(`input[type="radio"][name="rating-${item.id}${criterion ? `-${criterion.id}` : ''}"]`),
  ratingRadio: (page, item, value, criterion) =>
    S.ratingRadios(page, item, criterion).and(page.locator(`[value="${value}"]`)),
  rankSelect: (page, item) => page.getByRole('combobox', { name: item.title }),
  rankSelectByName: (page, item) => page.locator(`select[name="rank-${item.id}"]`),
  pickCheckbox: (page, item) => page.getByRole('checkbox', { name: item.title }),
  /** The label of a rating radio, such as "5 – Very important". */
  ratingLabel: (page, item, value) => page.locator(`label[for="rating-${item.id}-${value}"]`),
  // Delphi feedback beside an item, inside the item's fieldset.
  feedbackIntro: (page) => page.locator('.feedback-intro'),
  /** The fieldset of an item's rating (its legend is the item's title). */
  ratingFieldset: (page, item) =>
    page.locator('fieldset').filter({ has: page.locator('legend').filter({ hasText: literal(item.title) }) }),
  feedback: (page, item) => S.ratingFieldset(page, item).locator(`#feedback-${item.id}`),
  /** Every item's feedback block on the page. */
  anyFeedback: (page) => page.locator('.feedback'),
  feedbackOwn: (page, item) => page.locator(`#feedback-${item.id}-own`),
  feedbackSummary: (page, item) => page.locator(`#feedback-${item.id}-summary`),
  feedbackDetails: (page, item) => S.feedback(page, item).locator('details'),
  feedbackToggle: (page, item) => S.feedback(page, item).locator('summary').filter({ hasText: texts.feedbackDetails }),
  feedbackRow: (page, item, label) =>
    S.feedback(page, item).locator('table tbody tr').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) }),
  choiceButtons: (page) => page.locator('button[name="choice"]'),
  choiceButton: (page, item) => page.getByRole('button', { name: item.title }),
  cantDecide: (page) => page.getByRole('button', { name: texts.cantDecide }),
  finish: (page) =>
    page.getByRole('button', exactly(texts.finish)).or(page.getByRole('link', exactly(texts.finish))),

  // check and done pages
  changeLinks: (page) => page.getByRole('link', { name: texts.change }),
  submit: (page) => page.getByRole('button', exactly(texts.submit)),

  // validation errors (the GOV.UK error summary pattern)
  errorSummary: (page) => page.locator('.error-summary'),
  errorSummaryHeading: (page) =>
    S.errorSummary(page).getByRole('heading', { name: texts.errorSummaryHeading }),
  errorSummaryLinks: (page) => S.errorSummary(page).locator('a[href^="#"]'),
  errorMessages: (page) => page.locator('.error-message'),

  // admin
  email: (page) => page.getByLabel(texts.email),
  password: (page) => page.getByLabel(texts.password, { exact: true }),
  signIn: (page) => page.getByRole('button', exactly(texts.signIn)),
  signOut: (page) => page.getByRole('button', exactly(texts.signOut)),
  adminExerciseLink: (page, ex) => page.locator(`a[href$="${urls.adminExercise(ex)}"]`),
  /** The smallest element (table row, list item, ...) that holds a round's title and its buttons. */
  adminRoundScope: (page, round) =>
    page
      .locator('tr, li, section, article, fieldset, dl > div, .round')
      .filter({ hasText: round.title })
      .filter({ has: page.getByRole('button', { name: /^(Open|Close)\b/ }) })
      .last(),
  openButton: (scope) => scope.getByRole('button', { name: /^Open\b/ }),
  closeButton: (scope) => scope.getByRole('button', { name: /^Close\b/ }),
  participationTable: (page) =>
    page.locator('table').filter({ has: page.locator('caption', { hasText: texts.participationCaption }) }),
  inviteCount: (page) => page.locator('input[name="count"]'),
  inviteCodes: (page) => page.locator('#invite-codes li'),
  createInvites: (page) => page.getByRole('button', exactly(texts.createInvites)),
  /** Only rounds whose answers can be ranked have results (not suggest rounds). */
  hasResults: (round) => round.kind !== 'suggest',
  resultsLink: (page, ex, round) => page.locator(`a[href$="${urls.adminResults(ex, round)}"]`),
  csvLink: (page, round) =>
    page.getByRole('link', { name: texts.downloadCsv }).and(page.locator(`a[href*="/${round.id}/"]`)),
  editDefinition: (page) => page.getByRole('link', { name: texts.editDefinition }),
  definition: (page) => page.locator('textarea[name="definition"]'),
  save: (page) => page.getByRole('button', exactly(texts.save)),
  methodSelect: (page) => page.locator('select[name="method"]'),
  weightingSelect: (page) => page.locator('select[name="weighting"]'),
  showResults: (page) => page.getByRole('button', exactly(texts.showResults)),
  overallTable: (page) =>
    page.locator('table').filter({ has: page.locator('caption', { hasText: texts.overallCaption }) }),
  tables: (page) => page.locator('table'),
  resultsGroupSummaries: (page) => page.locator('#each-group ~ details > summary'),
};
