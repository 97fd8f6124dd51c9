import type { BenchSystem } from '../system.js';
import type { BenchContext, Record } from './context.js';
import { organisationScenarios } from './organisation.js';
import { serviceDeskScenarios } from './service-desk.js';
import { notificationScenarios } from './notifications.js';
import { contactScenarios } from './contacts.js';
import { liveScenarios } from './live.js';
import { scimScenarios } from './scim.js';
import { teamsScenarios } from './teams.js';

/** Each concept's measured operations, run in order on one account; one request each after a warm-up. */
export async function scenarios(system: BenchSystem, record: Record): Promise<BenchContext> {
  const context = await organisationScenarios(system, record);
  await serviceDeskScenarios(system, record, context);
  await contactScenarios(system, record, context);
  await notificationScenarios(system, record, context);
  await liveScenarios(system, record, context);
  await scimScenarios(system, record, context);
  await teamsScenarios(system, record, context);
  return context;
}
