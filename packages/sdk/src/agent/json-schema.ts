/**
 * The JSON Schema subset the agent tools use for their inputs, and a validator for it.
 *
 * Tool schemas are small and written by us, so a 60-line validator for the keywords they
 * use beats shipping a general validator (ajv is ~120 KB) to hosts that run their assistant
 * in the browser. The tests meta-validate every tool schema with ajv (draft 2020-12) and
 * check that this validator agrees with ajv on valid and invalid inputs.
 */
export type JsonSchema =
  | { type: 'string'; description?: string; minLength?: number; maxLength?: number; pattern?: string; enum?: string[] }
  | { type: 'integer' | 'number'; description?: string; minimum?: number; maximum?: number }
  | { type: 'boolean'; description?: string }
  | ObjectSchema;

export interface ObjectSchema {
  type: 'object';
  description?: string;
  properties: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false;
}

/** The first problem found, phrased for a model to fix its call (`content: must not be empty`). */
export function validateJson(schema: JsonSchema, value: unknown, path = ''): string | null {
  const at = path ? `${path}: ` : '';
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return `${at}must be a string`;
      const length = [...value].length;
      if (schema.minLength !== undefined && length < schema.minLength) {
        return schema.minLength === 1
          ? `${at}must not be empty`
          : `${at}must be at least ${schema.minLength} characters`;
      }
      if (schema.maxLength !== undefined && length > schema.maxLength)
        return `${at}must be at most ${schema.maxLength} characters`;
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
        return `${at}has the wrong format`;
      if (schema.enum && !schema.enum.includes(value)) return `${at}must be one of ${schema.enum.join(', ')}`;
      return null;
    }
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `${at}must be a number`;
      if (schema.type === 'integer' && !Number.isInteger(value)) return `${at}must be an integer`;
      if (schema.minimum !== undefined && value < schema.minimum) return `${at}must be at least ${schema.minimum}`;
      if (schema.maximum !== undefined && value > schema.maximum) return `${at}must be at most ${schema.maximum}`;
      return null;
    }
    case 'boolean':
      return typeof value === 'boolean' ? null : `${at}must be true or false`;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${at}must be an object`;
      const record = value as Record<string, unknown>;
      for (const key of schema.required ?? []) {
        if (record[key] === undefined) return `${path ? `${path}.` : ''}${key}: is required`;
      }
      for (const [key, item] of Object.entries(record)) {
        const child = schema.properties[key];
        const childPath = path ? `${path}.${key}` : key;
        if (!child) {
          if (schema.additionalProperties === false) return `${childPath}: is not a known argument`;
          continue;
        }
        const problem = validateJson(child, item, childPath);
        if (problem) return problem;
      }
      return null;
    }
  }
}
