import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ProblemDetails } from '../common/problem-details';
import { describeRequiredRoles } from './required-roles';

/** Every tag an operation carries, described once (Spectral's operation-tag-defined). */
const TAGS: ReadonlyArray<[name: string, description: string]> = [
  ['health', 'Which adapters are in use and whether the stores answer; open to all'],
  ['tickets', 'Incidents and requests: raise them, move them through their lifecycle, read their state, SLA clocks and history'],
  ['queue', 'The live operational queue: what needs attention first, now'],
  ['catalogue', 'Tenants, services, suppliers, resolver groups and tenant groups, each event-sourced (admin)'],
  ['sla-policies', 'Versioned SLA policies per tenant, and simulations of a draft policy against past tickets'],
  ['escalation-policy', "A tenant's escalation policy"],
  ['reports', 'Service-level reports built from the read models, per tenant or per tenant group'],
  ['publications', 'Frozen report snapshots, and how far the live figures have drifted from them'],
  ['events', "A tenant's events as a resumable feed"],
  ['webhooks', "Receivers of a tenant's events, and their delivery records"],
  ['audit', "Tamper evidence: the log's hash chains recomputed"],
];

/** The API's OpenAPI document, as served at /docs and linted by `npm run lint:openapi`. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('ITSM backend')
    .setDescription('Event-sourced IT service management for shared public-sector IT. Errors are RFC 9457 problem+json.')
    .setVersion('1')
    // As package.json: no licence is granted.
    .setLicense('UNLICENSED', '')
    // Relative: the API is served from the same origin as this document, wherever it is deployed.
    .addServer('/', 'The server this document is served from')
    .addBearerAuth();
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const config = builder.build();
  // DocumentBuilder writes an empty url; the licence has none.
  config.info.license = { name: 'UNLICENSED' };
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ProblemDetails], autoTagControllers: false });
  return describeRequiredRoles(document, controllersOf(app));
}

/** The application's controller classes, by class name (the default operationId is `<Controller>_<method>`). */
function controllersOf(app: INestApplication): Map<string, Type> {
  const controllers = new Map<string, Type>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      if (wrapper.metatype) controllers.set(wrapper.metatype.name, wrapper.metatype as Type);
    }
  }
  return controllers;
}
