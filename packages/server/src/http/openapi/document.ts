import { z } from 'zod';
import { API_PREFIX } from '@parley/sdk/protocol';
import { errorBodySchema } from '../schemas/models.js';
import { OPERATIONS, type Operation } from './operations.js';

type JsonSchema = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input (validation_failed, bad_request)',
  401: 'Missing, invalid or expired token (unauthorized, token_expired)',
  403: 'Not allowed (forbidden)',
  404: 'Not found, or not yours (room_not_found, message_not_found, user_not_found)',
  409: 'Conflicts with the current state (conflict)',
  413: 'Too large (message_too_long, payload_too_large)',
  429: 'Too many requests (rate_limited)',
  503: 'Messaging is disabled (messaging_disabled)',
};

/**
 * Converts zod schemas to JSON Schema (zod 4's own `z.toJSONSchema`, draft
 * 2020-12 = OpenAPI 3.1's dialect) and gathers every schema with a meta `id`
 * into `components.schemas`, referenced by `$ref`.
 */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  ref(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema;
    const { $schema: _, $defs, ...root } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    // zod puts every schema with a meta id (the top one included) in $defs and refers to it.
    for (const [id, def] of Object.entries($defs ?? {})) this.add(id, def);
    return relink(root);
  }

  private add(id: string, def: JsonSchema): void {
    const linked = relink(def);
    const existing = this.components[id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(linked)) {
      throw new Error(`OpenAPI: two different schemas are named ${id}`);
    }
    this.components[id] = linked;
  }
}

/** `#/$defs/X` (zod's local refs) → `#/components/schemas/X`. */
function relink(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
}

function parameters(op: Operation, schemas: SchemaCollector): JsonSchema[] {
  const path = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (!op.query) return path;
  const query = schemas.ref(op.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  const fromQuery = Object.entries(query.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      required: query.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
  return [...path, ...fromQuery];
}

/** `get /rooms/{roomId}/messages` → `getRoomsRoomIdMessages`. */
function operationId(op: Operation): string {
  const words = op.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return op.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function operationObject(op: Operation, schemas: SchemaCollector): JsonSchema {
  const auth = op.auth !== false;
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    responses[status] = response.schema
      ? {
          description: response.description,
          content: { 'application/json': { schema: schemas.ref(response.schema, 'output') } },
        }
      : { description: response.description };
  }
  const errors = new Set([...(op.errors ?? []), ...(auth ? [401, 503] : [])]);
  for (const status of [...errors].sort((a, b) => a - b)) {
    responses[String(status)] = {
      description: STATUS_TEXT[status] ?? 'Error',
      content: { 'application/json': { schema: schemas.ref(errorBodySchema, 'output') } },
    };
  }
  const params = parameters(op, schemas);
  return {
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    operationId: operationId(op),
    ...(auth ? {} : { security: [] }),
    ...(params.length ? { parameters: params } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: schemas.ref(op.body, 'input') } } } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the REST API, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(version: string): JsonSchema {
  const schemas = new SchemaCollector();
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    (paths[op.path] ??= {})[op.method] = operationObject(op, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Parley REST API',
      version,
      description:
        'Self-hosted user-to-user messaging. Authenticate with `Authorization: Bearer <jwt>` signed by the host app. ' +
        'Every error is `{"error":{"code","message"}}`. Realtime events arrive over the WebSocket at /api/v1/ws.',
    },
    servers: [{ url: API_PREFIX }],
    security: [{ bearer: [] }],
    tags: [...new Set(OPERATIONS.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: Object.fromEntries(Object.entries(schemas.components).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
