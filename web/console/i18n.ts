import { isLanguage, type Language } from '../shared/languages.ts';
import english from './i18n/en.ts';

/**
 * What the console says, in each language of the settings (one file each under `i18n/`; the other
 * languages load only when someone needs them). English is the contract: tests and assistive
 * technology find controls by these names (api.md "Web pages"). The others are written as a person
 * of that language writes software, formal where the language expects it (Sie, usted, vous, u, Lei).
 */
export interface Texts {
  // The page and signing in
  consoleTitle: string;
  loadFailed: string;
  signIn: string;
  signingIn: string;
  account: string;
  email: string;
  password: string;
  signInFailed: string;
  staffOnly: string;
  sessionEnded: string;
  signOut: string;
  signingOut: string;
  signedOut: string;
  signedInAs: (name: string, role: string) => string;

  // Navigation
  work: string;
  configure: string;
  tickets: string;
  queue: string;
  users: string;
  companies: string;
  devices: string;
  portals: string;
  contacts: string;
  settings: string;
  myAccount: string;
  auditTrail: string;

  // Live work
  available: string;
  availableNeedsSeat: string;
  liveDropped: string;
  liveCustomer: string;
  dismiss: string;

  // Common words and states
  save: string;
  saving: string;
  saved: string;
  cancel: string;
  edit: string;
  editNamed: (name: string) => string;
  rename: string;
  renameNamed: (name: string) => string;
  delete: string;
  deleteNamed: (name: string) => string;
  deleteQuestion: (name: string) => string;
  yesDelete: string;
  deleting: string;
  working: string;
  loading: string;
  loadMore: string;
  show: string;
  wasAdded: (name: string) => string;
  wasDeleted: (name: string) => string;
  /** Between the items of a list in running text. */
  listSeparator: string;
  name: string;
  description: string;
  company: string;
  companiesLegend: string;
  allCompanies: string;
  needsCompany: string;
  /** The API's refusal to remove the account's last administrator (409 with `details[].path` `role`). */
  lastAdministrator: string;

  // Errors
  failed: string;
  checkFields: string;
  tooMany: string;
  invalidValue: string;
  alreadyUsed: string;
  /** By the API's error code, where the console has its own words for it. */
  errorCodes: Partial<Record<string, string>>;
  /** By HTTP status, for codes the console has no words of its own for. */
  errorStatuses: Partial<Record<number, string>>;

  // Users and seats
  firstName: string;
  lastName: string;
  role: string;
  roles: Record<'administrator' | 'technician', string>;
  modulesLegend: string;
  modules: Record<'remote_support' | 'service_desk' | 'monitoring' | 'reports', string>;
  addUser: string;
  noUsers: string;
  seatsUsed: (module: string, used: number, limit: number) => string;
  seatsList: (modules: string) => string;
  noSeat: string;
  giveSeat: (module: string) => string;
  giveSeatTo: (module: string, name: string) => string;
  takeSeat: (module: string) => string;
  takeSeatFrom: (module: string, name: string) => string;
  noSeatLeft: (module: string) => string;

  // Companies
  addCompany: string;
  noCompanies: string;
  companyRequired: string;

  // Devices
  addDevice: string;
  devicesOf: (company: string) => string;
  devicesOfGroup: (company: string, group: string) => string;
  findDevices: string;
  group: string;
  groupFilterHint: string;
  groupNamed: (group: string) => string;
  noGroup: string;
  allGroups: string;
  kind: string;
  kinds: Record<'workstation' | 'server' | 'mobile' | 'other', string>;
  os: string;
  alsoIn: (companies: string) => string;
  noDevices: string;
  noDevicesInGroup: string;
  noLongerListed: (name: string) => string;

  // Portals
  slug: string;
  title: string;
  supportEmail: string;
  enabled: string;
  disabled: string;
  noPortal: string;
  openPortal: (title: string, slug: string) => string;

  // Contacts
  addContact: string;
  noContacts: string;
  thisCompany: string;
  kindContact: string;
  kindUser: string;
  userContactNote: string;
  ownEmailNote: string;
  methodsOf: (name: string) => string;
  rulesOf: (name: string) => string;
  noMethods: string;
  addMethod: string;
  editMethodNamed: (address: string) => string;
  deleteMethodNamed: (address: string) => string;
  type: string;
  methodTypes: Record<'email' | 'sms' | 'phone', string>;
  address: string;
  addressHint: string;
  label: string;
  addRule: string;
  method: string;
  use: string;
  uses: Record<'alert' | 'report', string>;
  urgenciesLegend: string;
  urgencies: Record<'low' | 'high' | 'critical', string>;
  alertsWith: (urgencies: string) => string;
  ruleText: (what: string, address: string) => string;
  deletedMethod: string;
  deleteRuleNamed: (rule: string) => string;

  // Settings
  accountWide: string;
  perCompany: string;
  settingLabels: Partial<Record<string, string>>;
  on: string;
  off: string;
  overridden: (setting: string, value: string, accountValue: string) => string;
  inherited: (setting: string, value: string) => string;
  override: string;
  overrideNamed: (setting: string, company: string) => string;
  useAccountSetting: string;
  useAccountSettingNamed: (setting: string, company: string) => string;

  // My account
  profile: string;
  currentPassword: string;
  newPassword: string;
  changePassword: string;
  passwordChanged: string;
  wrongPassword: string;

  // Audit trail
  auditAdminsOnly: string;
  filterAudit: string;
  resourceFilter: string;
  anyResource: string;
  actorFilter: string;
  anyone: string;
  resourceTypes: Partial<Record<string, string>>;
  auditActions: Partial<Record<string, string>>;
  auditEvent: (actor: string, action: string, resource: string, id: string) => string;
  theSystem: string;
  formerUser: string;
  nothingRecorded: string;

  // Queue and tickets
  claimNext: string;
  claiming: string;
  nobodyWaiting: string;
  claimNeedsSeat: string;
  waitingSince: (time: string) => string;
  assignedToYou: string;
  noTickets: string;
  ticket: string;
  ticketStatus: Record<'queued' | 'open' | 'pending' | 'solved' | 'closed', string>;
  ticketStatusLine: (status: string, mine: boolean) => string;
  /** How the ticket came in, and so where a reply goes. */
  channelLine: Record<'portal' | 'email' | 'teams' | 'staff', string>;
  conversation: string;
  reply: string;
  sendReply: string;
  sending: string;
  you: string;
  staff: string;
  customer: string;
}

const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Texts }>> = {
  de: () => import('./i18n/de.ts'),
  es: () => import('./i18n/es.ts'),
  fr: () => import('./i18n/fr.ts'),
  it: () => import('./i18n/it.ts'),
  pt: () => import('./i18n/pt.ts'),
  nl: () => import('./i18n/nl.ts'),
  ja: () => import('./i18n/ja.ts'),
  zh: () => import('./i18n/zh.ts'),
};

let current: Language = 'en';

/** The console's words now (a live binding: every view reads the language spoken when it draws). */
export let t: Texts = english;

/** The language the console speaks now, also for dates and times. */
export const locale = (): Language => current;

/** Speaks `language` from now on (English for one the console does not know); the page's language and title follow. */
export async function speak(language: string): Promise<void> {
  const next = isLanguage(language) ? language : 'en';
  t = next === 'en' ? english : (await loaders[next]()).default;
  current = next;
  document.documentElement.lang = next;
  document.title = t.consoleTitle;
}
