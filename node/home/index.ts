/**
 * @packageDocumentation
 *
 * The node's home folder: where it lives and the owner's identity file.
 */
export { resolveHome, loadOrCreateIdentity, IDENTITY_FILE, IdentityFileError } from './home.js'
