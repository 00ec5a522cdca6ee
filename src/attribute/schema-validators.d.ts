// The rule and format schemas compiled at build time by scripts/schema-validators.ts (dist/ only).
import type { ValidateFunction } from 'ajv';

/** Checks a rule file's document against rules/rule.schema.json. */
export declare const validateRule: ValidateFunction;
/** Checks a declared format's document against formats/format.schema.json. */
export declare const validateFormat: ValidateFunction;
