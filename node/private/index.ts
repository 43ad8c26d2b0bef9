/**
 * @packageDocumentation
 *
 * Private capsules: frames sealed under per-epoch content keys, keys wrapped per reader.
 */
export { PrivateKeys, readFrame } from './private.js'
