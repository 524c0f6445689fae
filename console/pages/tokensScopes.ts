// The scopes a new token gets, from the create form's choices. The server's syntax: `publish` (every
// product), `publish:a,b` (those products), `operate`, `admin`.

export interface ScopeChoice {
  publishAll: boolean;
  /** Products the token may publish when publishAll is off. */
  publishProducts: readonly string[];
  operate: boolean;
  admin: boolean;
}

/**
 * The scope strings for `choice`, empty when nothing is chosen (the form says so; the server would
 * refuse it too).
 * @example scopesOf({ publishAll: false, publishProducts: ['header', 'dashboard'], operate: false, admin: false }) // ['publish:dashboard,header']
 */
export function scopesOf(choice: ScopeChoice): string[] {
  const scopes: string[] = [];
  if (choice.publishAll) scopes.push('publish');
  else if (choice.publishProducts.length > 0) scopes.push(`publish:${[...new Set(choice.publishProducts)].sort().join(',')}`);
  if (choice.operate) scopes.push('operate');
  if (choice.admin) scopes.push('admin');
  return scopes;
}
