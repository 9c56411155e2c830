import type { Type } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { Role } from '@itsm/auth';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from '../auth/auth.decorators';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/**
 * Says in each operation's description who may call it, read from the same @Public/@Roles metadata
 * the AuthGuard enforces (handler first, then class), so the document cannot drift from the guard.
 * OpenAPI 3.0 has no field for the roles a bearer token must hold; the description is where readers look.
 */
export function describeRequiredRoles(document: OpenAPIObject, controllers: ReadonlyMap<string, Type>): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation?.operationId) continue;
      const [controllerName = '', handlerName = ''] = operation.operationId.split('_');
      const controller = controllers.get(controllerName);
      const handler = controller ? (Object.getOwnPropertyDescriptor(controller.prototype, handlerName)?.value as unknown) : undefined;
      if (!controller || typeof handler !== 'function') throw new Error(`OpenAPI operation ${operation.operationId} names no controller method`);
      const who = whoMayCall(handler as Handler, controller, path.includes('{tenant}'));
      operation.description = operation.description ? `${operation.description}\n\n${who}` : who;
    }
  }
  return document;
}

type Handler = (...args: never[]) => unknown;

function whoMayCall(handler: Handler, controller: Type, tenantInPath: boolean): string {
  const metadata = <T>(key: string): T | undefined => (Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller)) as T | undefined;
  if (metadata<boolean>(PUBLIC_ROUTE)) return 'Open: no token needed.';
  const roles = metadata<Role[]>(REQUIRED_ROLES) ?? [];
  const token = roles.length ? `a bearer token holding the role ${roles.join(' or ')}` : 'a bearer token (any role)';
  return `Needs ${token}${tenantInPath ? ' that grants the tenant in the path' : ''}.`;
}
