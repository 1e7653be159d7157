import { ArmError } from '../arm-error';
import { apiVersionOf, page } from '../http/arm-responses';
import type { ArmRequest, ArmResponse, RouteTable } from '../http/route-table';
import type { AsyncOperation } from './async-operations';
import { parseResourceId, type ArmResource } from './resource-store';
import type { ResourceState } from './resource-state';
import type { ResourceType } from './resource-type';

type State = () => ResourceState;

/** The JSON object body of a write, or 400 naming what is wrong. */
export function objectBody(req: ArmRequest): Record<string, unknown> {
  if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))
    throw new ArmError(
      400,
      'InvalidRequestContent',
      'The request content was invalid: the body must be a JSON object.',
    );
  return req.body as Record<string, unknown>;
}

export function checkSubscription(state: ResourceState, subscriptionId: string): void {
  if (subscriptionId.toLowerCase() !== state.subscriptionId.toLowerCase())
    throw new ArmError(
      404,
      'SubscriptionNotFound',
      `The subscription '${subscriptionId}' could not be found.`,
    );
}

export const notFoundResource = (type: string, name: string, resourceGroup: string): ArmError =>
  new ArmError(
    404,
    'ResourceNotFound',
    `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found.`,
  );

/** If-Match / If-None-Match as DNS and private DNS honour them (412 PreconditionFailed). */
export function checkConditions(req: ArmRequest, existing: ArmResource | undefined): void {
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  if (typeof ifMatch === 'string' && ifMatch !== '*' && (!existing || existing.etag !== ifMatch))
    throw new ArmError(
      412,
      'PreconditionFailed',
      `The condition '${ifMatch}' in the If-Match header was not satisfied: the current ETag is '${existing?.etag ?? '(none: the resource does not exist)'}'.`,
    );
  if (ifMatch === '*' && !existing)
    throw new ArmError(
      412,
      'PreconditionFailed',
      "The condition '*' in the If-Match header was not satisfied: the resource does not exist.",
    );
  if (ifNoneMatch === '*' && existing)
    throw new ArmError(
      412,
      'PreconditionFailed',
      "The condition '*' in the If-None-Match header was not satisfied: the resource already exists.",
    );
}

/** Response of an asynchronous write: 200/201/202 with the status URL (and Location for Compute). */
export function asyncResponse(
  state: ResourceState,
  req: ArmRequest,
  op: AsyncOperation,
  status: number,
  body: unknown,
  withLocation: boolean,
  target: string,
): ArmResponse {
  return {
    status,
    body,
    headers: state.operations.headers(op, req.origin, state.subscriptionId, apiVersionOf(req), withLocation),
    target,
  };
}

/** Starts the asynchronous operation of a write on `resource`. */
export function startOperation(
  state: ResourceState,
  type: ResourceType,
  resource: ArmResource,
  operation: string,
  result?: () => unknown,
): AsyncOperation {
  return state.operations.start({
    namespace: type.namespace,
    location: resource.location ?? 'global',
    operation,
    resourceId: resource.id,
    resourceName: resource.name,
    seconds: state.scenario.network.operationSeconds ?? type.seconds,
    result,
  });
}

/** A PUT of a whole resource: validate, store, answer as the type's SDK expects. */
export function putResource(
  state: ResourceState,
  type: ResourceType,
  req: ArmRequest,
  id: string,
  name: string,
): ArmResponse {
  const body = objectBody(req);
  const existing = state.store.get(id);
  if (type.conditional) checkConditions(req, existing);
  const parsed = parseResourceId(id)!;
  const operation = `${type.operation}.CreateOrUpdate`;
  const stored = state.commit(type.build({ id, name, parsed, body, existing, state }), operation, existing);
  const status = existing ? 200 : 201;
  if (type.write === 'sync') return { status, body: state.render(stored), target: name };
  const op = startOperation(state, type, stored, operation);
  // PUT and PATCH hand out Azure-AsyncOperation only: the pollers then GET the resource itself.
  return asyncResponse(state, req, op, status, state.render(stored), false, name);
}

export function patchResource(
  state: ResourceState,
  type: ResourceType,
  req: ArmRequest,
  existing: ArmResource,
): ArmResponse {
  const body = objectBody(req);
  if (type.conditional) checkConditions(req, existing);
  const operation = `${type.operation}.Update`;
  const parsed = parseResourceId(existing.id)!;
  const current = state.render(existing);
  const merged =
    type.patch === 'tags'
      ? { ...current, tags: body.tags ?? {} }
      : {
          ...current,
          ...(body.tags !== undefined ? { tags: body.tags } : {}),
          ...(body.zones !== undefined ? { zones: body.zones } : {}),
          properties: mergeDeep(
            (current.properties as Record<string, unknown>) ?? {},
            (body.properties as Record<string, unknown>) ?? {},
          ),
        };
  const stored = state.commit(
    type.build({ id: existing.id, name: existing.name, parsed, body: merged, existing, state }),
    operation,
    existing,
  );
  if (type.patch === 'tags' || type.write === 'sync')
    return { status: 200, body: state.render(stored), target: existing.name };
  const op = startOperation(state, type, stored, operation);
  return asyncResponse(state, req, op, 200, state.render(stored), false, existing.name);
}

export function deleteResource(
  state: ResourceState,
  type: ResourceType,
  req: ArmRequest,
  id: string,
  name: string,
): ArmResponse {
  const existing = state.store.get(id);
  if (type.conditional) checkConditions(req, existing);
  // ARM answers 204 for a resource that is already gone, so a repeated delete is harmless.
  if (!existing) return { status: 204, target: name };
  type.beforeDelete?.(existing, state);
  const operation = `${type.operation}.Delete`;
  if (type.remove === 'sync') {
    state.remove(existing, operation);
    return { status: 200, target: name };
  }
  const op = startOperation(state, type, existing, operation);
  state.remove(existing, operation);
  return asyncResponse(state, req, op, 202, undefined, true, name);
}

/** GET, PUT, PATCH, DELETE and the two lists of one top-level tracked type. */
export function addResourceTypeRoutes(routes: RouteTable, getState: State, type: ResourceType): void {
  const rgBase =
    `/subscriptions/{sub}/resourcegroups/{rg}/providers/${type.namespace}/${type.collection}`.toLowerCase();
  const itemPath = `${rgBase}/{name}`;
  const idFor = (req: ArmRequest): string =>
    `/subscriptions/${req.params.sub}/resourceGroups/${req.params.rg}/providers/${type.namespace}/${type.collection}/${req.params.name}`;
  const common = { apiVersions: type.apiVersions };
  const lookup = (req: ArmRequest): { state: ResourceState; existing?: ArmResource } => {
    const state = getState();
    checkSubscription(state, req.params.sub ?? '');
    return { state, existing: state.store.get(idFor(req)) };
  };
  routes.add({
    ...common,
    method: 'GET',
    template: itemPath,
    operation: `${type.operation}.Get`,
    handle: (req) => {
      const { state, existing } = lookup(req);
      if (!existing) throw notFoundResource(type.type, req.params.name ?? '', req.params.rg ?? '');
      const body = state.render(existing);
      const expand = req.query.get('$expand');
      const extra = expand && type.expand ? type.expand(existing, state, expand) : undefined;
      if (extra) Object.assign(body.properties as Record<string, unknown>, extra);
      return { status: 200, body, target: existing.name };
    },
  });
  routes.add({
    ...common,
    method: 'PUT',
    template: itemPath,
    operation: `${type.operation}.CreateOrUpdate`,
    handle: (req) => {
      const { state } = lookup(req);
      return putResource(state, type, req, idFor(req), req.params.name ?? '');
    },
  });
  routes.add({
    ...common,
    method: 'PATCH',
    template: itemPath,
    operation: `${type.operation}.Update`,
    handle: (req) => {
      const { state, existing } = lookup(req);
      if (!existing) throw notFoundResource(type.type, req.params.name ?? '', req.params.rg ?? '');
      return patchResource(state, type, req, existing);
    },
  });
  routes.add({
    ...common,
    method: 'DELETE',
    template: itemPath,
    operation: `${type.operation}.Delete`,
    handle: (req) => {
      const { state } = lookup(req);
      return deleteResource(state, type, req, idFor(req), req.params.name ?? '');
    },
  });
  routes.add({
    ...common,
    method: 'GET',
    template: rgBase,
    operation: `${type.operation}.List`,
    handle: (req) => {
      const { state } = lookup(req);
      const values = state.store
        .list(type.type, { resourceGroup: req.params.rg })
        .map((r) => state.render(r));
      return page(req, values);
    },
  });
  routes.add({
    ...common,
    method: 'GET',
    template: `/subscriptions/{sub}/providers/${type.namespace}/${type.collection}`.toLowerCase(),
    operation: `${type.operation}.ListAll`,
    handle: (req) => {
      const { state } = lookup(req);
      return page(
        req,
        state.store.list(type.type).map((r) => state.render(r)),
      );
    },
  });
}

/** The status and result URLs handed out in Azure-AsyncOperation and Location. */
export function addOperationStatusRoutes(
  routes: RouteTable,
  getState: State,
  apiVersions: readonly string[],
): void {
  const base = '/subscriptions/{sub}/providers/{namespace}/locations/{location}';
  const find = (req: ArmRequest): { state: ResourceState; op: AsyncOperation } => {
    const state = getState();
    const op = state.operations.get(req.params.id ?? '');
    if (!op || op.namespace.toLowerCase() !== (req.params.namespace ?? '').toLowerCase())
      throw new ArmError(404, 'OperationNotFound', `The operation '${req.params.id ?? ''}' was not found.`);
    return { state, op };
  };
  routes.add({
    method: 'GET',
    template: `${base}/operations/{id}`,
    operation: 'AsyncOperations.Status',
    apiVersions,
    handle: (req) => {
      const { state, op } = find(req);
      return { status: 200, body: state.operations.statusBody(op), target: op.resourceName };
    },
  });
  routes.add({
    method: 'GET',
    template: `${base}/operationresults/{id}`,
    operation: 'AsyncOperations.Result',
    apiVersions,
    handle: (req) => {
      const { state, op } = find(req);
      const status = state.operations.status(op);
      if (status === 'InProgress')
        return {
          status: 202,
          headers: { Location: `${req.origin}${req.path}?${req.query.toString()}` },
          target: op.resourceName,
        };
      if (status === 'Failed' && op.failure) throw new ArmError(400, op.failure.code, op.failure.message);
      // 200 even without a body: the Compute SDK's pollers accept 200/201/202 only.
      return { status: 200, body: op.result?.(), target: op.resourceName };
    },
  });
}

/** Deep merge for PATCH bodies: objects merge, arrays and scalars replace. */
export function mergeDeep(
  base: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const prior = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      prior &&
      typeof prior === 'object' &&
      !Array.isArray(prior)
        ? mergeDeep(prior as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}
