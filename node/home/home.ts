import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { mkdir, readFile, rename, open } from 'node:fs/promises'
import { Ed25519Key, encodeKeystore, decodeKeystore, keystoreInfo, type KeystoreInfo } from '../../capabilities/index.js'
import { DEFAULT_HOME_DIR } from '../constants.js'

/** The home folder: the given one, else `$VIVIM_HOME`, else `~/.vivim`. */
export function resolveHome (home?: string): string {
  return resolve(home ?? process.env.VIVIM_HOME ?? join(homedir(), DEFAULT_HOME_DIR))
}

/** The owner's keystore file, in the home folder (capabilities' keystore format, sealed under a passphrase when one is set). */
export const IDENTITY_FILE = 'identity.key'

/** Options for opening the owner's identity. */
export interface IdentityOptions {
  /** Unlocks a sealed keystore; when creating, seals the new one. */
  passphrase?: string
  /** scrypt cost override (tests only; the default is strong). */
  scrypt?: { N?: number, r?: number, p?: number }
}

/** Writes a file so that a crash leaves the old bytes or the new ones, never half. */
export async function writeAtomic (path: string, bytes: Uint8Array): Promise<void> {
  // Temporary file, fsync, rename: a crash never leaves half a key.
  const tmp = path + '.tmp'
  const fh = await open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(bytes)
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
}

async function readKeystore (home: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(join(home, IDENTITY_FILE)))
  } catch (err: any) {
    if (err?.code === 'ENOENT') return undefined
    throw err
  }
}

/** The DID and whether the keystore is sealed, without unlocking it (undefined before `init`). */
export async function identityInfo (home: string): Promise<KeystoreInfo | undefined> {
  const bytes = await readKeystore(home)
  return bytes === undefined ? undefined : keystoreInfo(bytes)
}

/**
 * Loads the owner's Ed25519 key from the home, creating it on first use (sealed when a
 * passphrase is given).
 *
 * @throws {PassphraseRequiredError} when the keystore is sealed and no passphrase was given
 * @throws {WrongPassphraseError} for a wrong passphrase
 * @throws {MalformedKeystoreError} for a damaged keystore
 */
export async function loadOrCreateIdentity (home: string, opts: IdentityOptions = {}): Promise<{ key: Ed25519Key, created: boolean }> {
  await mkdir(home, { recursive: true, mode: 0o700 })
  const bytes = await readKeystore(home)
  if (bytes !== undefined) return { key: await decodeKeystore(bytes, { passphrase: opts.passphrase }), created: false }
  const key = Ed25519Key.generate()
  await writeAtomic(join(home, IDENTITY_FILE), await encodeKeystore(key, { passphrase: opts.passphrase, scrypt: opts.scrypt }))
  return { key, created: true }
}

/** Seals (or re-seals) the keystore under a new passphrase; `undefined` stores it plain. */
export async function setPassphrase (home: string, key: Ed25519Key, passphrase: string | undefined, opts: IdentityOptions = {}): Promise<void> {
  await writeAtomic(join(home, IDENTITY_FILE), await encodeKeystore(key, { passphrase, scrypt: opts.scrypt }))
}
