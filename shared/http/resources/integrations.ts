// LoRaWAN integrations: staff register a network server and map its devices to lots; the network
// server posts uplinks to the webhook with the integration's secret (README "Sensor networks").
import { OpenAPIHono } from '@hono/zod-openapi';
import { NotFoundError } from '../../use-cases/errors';
import { putDevice, receiveUplink } from '../../use-cases/integrations';
import type { Dependencies } from '../../use-cases/ports';
import type { AuthEnv } from '../auth';
import { json, noContent, problem, route } from '../route';
import {
  CreatedIntegrationSchema,
  DeviceInputSchema,
  DeviceParams,
  DeviceSchema,
  IntegrationInputSchema,
  IntegrationParams,
  UplinkAppliedSchema,
  UplinkBodySchema,
  UplinkIgnoredSchema,
  UplinkQuerySchema,
} from '../schemas';

const MAX_REASON_LENGTH = 300;

export const integrationRoutes = {
  putIntegration: route({
    method: 'put',
    path: '/v1/integrations/{integrationId}',
    operationId: 'putIntegration',
    tags: ['staff'],
    access: 'staff',
    summary: 'Register a LoRaWAN network server (or give it a new secret); the secret is shown once',
    description:
      'Creates the integration (201) or, for an existing id, replaces its network and label and issues a new ' +
      'secret at once (200; the old one stops working, its devices stay mapped). The secret is stored only as a ' +
      'hash. Configure the network server to POST to `webhookPath` with `Authorization: Bearer <secret>`.',
    request: {
      params: IntegrationParams,
      body: { content: { 'application/json': { schema: IntegrationInputSchema } }, required: true },
    },
    responses: {
      200: json(CreatedIntegrationSchema, 'replaced, with a new secret'),
      201: json(CreatedIntegrationSchema, 'created'),
      400: problem('invalid id or body'),
      415: problem('not JSON'),
    },
  }),
  deleteIntegration: route({
    method: 'delete',
    path: '/v1/integrations/{integrationId}',
    operationId: 'deleteIntegration',
    tags: ['staff'],
    access: 'staff',
    summary: 'Revoke an integration and forget its devices',
    description:
      'Its secret stops working with the next request, and its device mappings are gone: an integration ' +
      'created later under the same id starts with none.',
    request: { params: IntegrationParams },
    responses: {
      204: noContent('revoked'),
      400: problem('invalid id'),
      404: problem('no such integration'),
    },
  }),
  putDevice: route({
    method: 'put',
    path: '/v1/integrations/{integrationId}/devices/{deviceId}',
    operationId: 'putDevice',
    tags: ['staff'],
    access: 'staff',
    summary: "Map a device to a lot: a bay sensor (with spaceId) or a counter of the lot's occupancy",
    description:
      'The lot must exist (else a 400 naming `lotId`). A mapping replaces the previous one of the device; the ' +
      'next uplink of the device applies to it.',
    request: {
      params: DeviceParams,
      body: { content: { 'application/json': { schema: DeviceInputSchema } }, required: true },
    },
    responses: {
      200: json(DeviceSchema, 'mapped'),
      400: problem('invalid ids or body, or a lot that does not exist'),
      404: problem('no such integration'),
      415: problem('not JSON'),
    },
  }),
  postUplink: route({
    method: 'post',
    path: '/v1/integrations/{integrationId}/uplinks',
    operationId: 'postUplink',
    tags: ['sensors'],
    access: 'integration',
    summary: 'Webhook for The Things Stack v3 uplink messages and ChirpStack v4 HTTP-integration events',
    description:
      "Authenticated by the integration's secret only (an API key is a 401). The decoded payload's `occupied` " +
      "(boolean for a bay, integer for a counter) becomes one observation of the mapped lot at the network's " +
      'receive time, through the same ingestion as `POST /v1/lots/{id}/observations`; its event id is derived ' +
      'from the network, device, frame counter and receive time, so a redelivered uplink applies once ' +
      '(`duplicate`). A message that cannot be used — an unknown device, a payload without `occupied`, ' +
      'another ChirpStack event than `up` (`?event=`), a message that is not an uplink — is acknowledged with ' +
      '202 and its reason, and changes nothing: network servers retry what they see refused.',
    request: {
      params: IntegrationParams,
      query: UplinkQuerySchema,
      body: { content: { 'application/json': { schema: UplinkBodySchema } }, required: true },
    },
    responses: {
      200: json(UplinkAppliedSchema, 'what happened to the observation'),
      202: json(UplinkIgnoredSchema, 'acknowledged and ignored, with the reason; nothing changed'),
      400: problem('the body is not a JSON object, or a query parameter is invalid'),
      415: problem('not JSON'),
    },
  }),
} as const;

export function integrationsResource(deps: Dependencies) {
  const app = new OpenAPIHono<AuthEnv>();

  app.openapi(integrationRoutes.putIntegration, async (c) => {
    const { integrationId } = c.req.valid('param');
    const { integration, secret, created } = await deps.integrations.put(
      { integrationId, ...c.req.valid('json') },
      deps.now(),
    );
    const body = {
      integrationId,
      network: integration.network,
      label: integration.label,
      createdAt: new Date(integration.createdAt).toISOString(),
      secret,
      webhookPath: `/v1/integrations/${integrationId}/uplinks`,
    };
    return created ? c.json(body, 201) : c.json(body, 200);
  });

  app.openapi(integrationRoutes.deleteIntegration, async (c) => {
    const { integrationId } = c.req.valid('param');
    if (!(await deps.integrations.delete(integrationId))) {
      throw new NotFoundError(`no integration ${integrationId}`);
    }
    return c.body(null, 204);
  });

  app.openapi(integrationRoutes.putDevice, async (c) => {
    const { integrationId, deviceId } = c.req.valid('param');
    const { lotId, spaceId } = c.req.valid('json');
    const stored = await putDevice(deps, integrationId, {
      deviceId,
      lotId,
      ...(spaceId !== undefined ? { spaceId } : {}),
    });
    return c.json({ integrationId, ...stored }, 200);
  });

  app.openapi(integrationRoutes.postUplink, async (c) => {
    const result = await receiveUplink(
      deps,
      c.get('integration'),
      c.req.valid('json'),
      c.req.valid('query').event,
    );
    if ('ignored' in result) return c.json({ ignored: result.ignored.slice(0, MAX_REASON_LENGTH) }, 202);
    return c.json({ outcome: result.outcome }, 200);
  });

  return app;
}
