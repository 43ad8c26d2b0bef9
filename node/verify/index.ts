/**
 * @packageDocumentation
 *
 * `verify`: re-hash every block, check every signature, name each problem.
 */
export { verifyStore } from './verify.js'
