/** getConsoleVersion's input limits, shared by the route schemas and the fast lane's accept check. */

export const MAX_PRODUCTS = 100;
export const MAX_USER_ID = 256;
/** One product name; a list is names joined by commas. */
export const PRODUCT_NAME_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}$';
export const PRODUCT_LIST_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}(,[a-z0-9][a-z0-9-]{0,63})*$';
export const MAX_PRODUCT_LIST = MAX_PRODUCTS * 65;
