/**
 * @packageDocumentation
 *
 * The node's home folder: where it lives and the owner's keystore.
 */
export { resolveHome, loadOrCreateIdentity, identityInfo, setPassphrase, IDENTITY_FILE } from './home.js'
export type { IdentityOptions } from './home.js'
export { peerIdFromDid } from './peer-id.js'
export { Vault, VaultError, VAULT_FILE, newVaultSecret } from './vault.js'
