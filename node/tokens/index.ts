/**
 * @packageDocumentation
 *
 * The node's capability tokens (UCAN 1.0): share, receive, list, revoke, authorize.
 */
export { Tokens, ABILITIES } from './tokens.js'
export type { Ability, TokenRecord, ShareOptions } from './tokens.js'
export { ShareForbiddenError, TokenNotFoundError } from './errors.js'
