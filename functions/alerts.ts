import { created, ok, resourceHandler } from '../shared/http/pipeline.js';
import { getAlert, listAlerts, raiseAlert } from '../shared/alerts/alerts.js';

export const handler = resourceHandler('alerts', {
  'POST /v1/alerts': async (req) => created(await raiseAlert(req.principal, req.body)),
  'GET /v1/alerts': async (req) => ok(await listAlerts(req.principal, req.query)),
  'GET /v1/alerts/{alertId}': async (req) => ok(await getAlert(req.principal, req.params.alertId)),
});
