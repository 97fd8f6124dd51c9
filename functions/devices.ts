import { createDevice, deleteDevice, getDevice, listCompanyDevices, listDevices, updateDevice } from '../shared/devices/devices.js';
import { actorOf, created, noContent, ok, resourceHandler } from '../shared/http/pipeline.js';

export const handler = resourceHandler('devices', {
  'GET /v1/companies/{companyId}/devices': async (req) => ok(await listCompanyDevices(req.principal, req.params.companyId, req.query)),
  'GET /v1/devices': async (req) => ok(await listDevices(req.principal, req.query)),
  'POST /v1/devices': async (req) => created(await createDevice(actorOf(req), req.body)),
  'GET /v1/devices/{deviceId}': async (req) => ok(await getDevice(req.principal, req.params.deviceId)),
  'PATCH /v1/devices/{deviceId}': async (req) => ok(await updateDevice(actorOf(req), req.params.deviceId, req.body)),
  'DELETE /v1/devices/{deviceId}': async (req) => {
    await deleteDevice(actorOf(req), req.params.deviceId);
    return noContent();
  },
});
