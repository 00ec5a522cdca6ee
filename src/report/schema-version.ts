/**
 * The version of the output contract (schemas/): the JSON documents carry it as `schemaVersion`.
 * A field added is a minor step; a field renamed, removed or retyped is a major one.
 */
export const SCHEMA_VERSION = '1.0.0';
