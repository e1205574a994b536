// Validates a --json document against its published schema in docs/schemas (ajv, draft 2020-12).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
const compiled = new Map<string, ReturnType<Ajv2020['compile']>>();

/** Throws, listing every violation, unless `doc` is valid against docs/schemas/<name>.schema.json. */
export function assertSchema(name: string, doc: unknown): void {
  let validate = compiled.get(name);
  if (!validate) {
    const schema = JSON.parse(readFileSync(new URL(`../../docs/schemas/${name}.schema.json`, import.meta.url), 'utf8'));
    try {
      validate = ajv.compile(schema);
    } finally {
      // A schema that failed to compile must not stay registered under its $id.
      if (!validate) ajv.removeSchema(schema.$id);
    }
    compiled.set(name, validate);
  }
  if (!validate(doc)) throw new Error(`not a valid ${name} document: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
}
