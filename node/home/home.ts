import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { mkdir, readFile, rename, open } from 'node:fs/promises'
import { Ed25519Key } from '../../capabilities/index.js'
import { DEFAULT_HOME_DIR } from '../constants.js'

/** The home folder: the given one, else `$VIVIM_HOME`, else `~/.vivim`. */
export function resolveHome (home?: string): string {
  return resolve(home ?? process.env.VIVIM_HOME ?? join(homedir(), DEFAULT_HOME_DIR))
}

/** The node owner's key file, in the home folder. */
export const IDENTITY_FILE = 'identity.json'

/** Malformed identity file. */
export class IdentityFileError extends Error {
  static override name = 'IdentityFileError'
  override name = 'IdentityFileError'
  constructor (message = 'The identity file is unreadable') { super(message) }
}

/**
 * Loads the owner's Ed25519 key from the home, creating it on first use.
 * Written to a temporary file, fsynced, then renamed, so a crash never leaves half a key.
 */
export async function loadOrCreateIdentity (home: string): Promise<{ key: Ed25519Key, created: boolean }> {
  await mkdir(home, { recursive: true, mode: 0o700 })
  const path = join(home, IDENTITY_FILE)
  let text: string | undefined
  try {
    text = await readFile(path, 'utf8')
  } catch (err: any) {
    if (err?.code !== 'ENOENT') throw err
  }
  if (text !== undefined) {
    let parsed: any
    try { parsed = JSON.parse(text) } catch { throw new IdentityFileError(`${path} is not valid JSON`) }
    if (parsed?.v !== 1 || typeof parsed.secret !== 'string') throw new IdentityFileError(`${path} is not a vivim identity file`)
    const secret = Uint8Array.from(atob(parsed.secret), c => c.charCodeAt(0))
    if (secret.length !== 32) throw new IdentityFileError(`${path} holds a key of the wrong length`)
    return { key: Ed25519Key.fromSecret(secret), created: false }
  }
  const key = Ed25519Key.generate()
  const secretB64 = btoa(String.fromCharCode(...key.exportSecret()))
  const tmp = path + '.tmp'
  const fh = await open(tmp, 'w', 0o600)
  try {
    await fh.writeFile(JSON.stringify({ v: 1, type: 'ed25519', did: key.did, secret: secretB64 }, null, 2) + '\n')
    await fh.sync()
  } finally {
    await fh.close()
  }
  await rename(tmp, path)
  return { key, created: true }
}

