/**
 * How far request input may nest. Node's JSON.stringify, PostgreSQL's jsonb and any recursive walk have
 * a stack; these limits keep every one of them far from it, so deep input is a 400, never a 500.
 */

/** Levels of arrays and objects in a whole JSON body, checked before anything else reads the body. */
export const MAX_BODY_DEPTH = 64;

/** Levels of arrays and objects inside one free-form JSON field (a resource's `config`). */
export const MAX_FREE_FORM_DEPTH = 32;
