/**
 * How big and how deep request input may be. getConsoleVersion's limits are shared by its route schemas
 * and the fast lane's accept check; the nesting limits keep Node's JSON.stringify, PostgreSQL's jsonb
 * and every recursive walk far from their stacks, so deep input is a 400, never a 500.
 */
import { PRODUCT_NAME } from '../../core/manifest.js';

export const MAX_PRODUCTS = 100;
export const MAX_USER_ID = 256;

/** The product-name pattern of the manifest, as JSON-schema text (one name). */
export const PRODUCT_NAME_PATTERN = PRODUCT_NAME.source;
const ONE_NAME = PRODUCT_NAME_PATTERN.slice(1, -1);
/** A comma-separated list of product names. */
export const PRODUCT_LIST_PATTERN = `^${ONE_NAME}(,${ONE_NAME})*$`;
/** Names of at most 64 characters plus their commas. */
export const MAX_PRODUCT_LIST = MAX_PRODUCTS * 65;

/** Levels of arrays and objects in a whole JSON body, checked before anything else reads the body. */
export const MAX_BODY_DEPTH = 64;

/** Levels of arrays and objects inside one free-form JSON field (a resource's `config`). */
export const MAX_FREE_FORM_DEPTH = 32;
