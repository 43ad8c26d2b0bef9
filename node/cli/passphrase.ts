import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { PassphraseRequiredError } from '../../capabilities/index.js'
import { CliError } from './output.js'

// Passphrases come from a file or the terminal, never from an argument (it would sit in
// the shell history and in `ps`).

/** Reads a passphrase file: its text less one trailing newline. */
export async function passphraseFromFile (path: string): Promise<string> {
  const text = (await readFile(path, 'utf8')).replace(/\r?\n$/, '')
  if (text.length === 0) throw new CliError(`the passphrase file ${path} is empty`, 2)
  return text
}

/** True where a person can be asked: a TTY on stdin and stderr, and not CI. */
export function canPrompt (): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true && (process.env.CI == null || process.env.CI === '' || process.env.CI === 'false')
}

/** Asks on the terminal without echo. Never under CI or without a TTY: a file is required then. */
export async function prompt (question: string, flag = '--passphrase-file'): Promise<string> {
  if (!canPrompt()) throw new PassphraseRequiredError(`A passphrase is needed and there is no terminal to ask on: pass ${flag} FILE`)
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  const muted = rl as unknown as { _writeToOutput: (s: string) => void }
  process.stderr.write(question)
  muted._writeToOutput = () => {}
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve))
  } finally {
    rl.close()
    process.stderr.write('\n')
  }
}

/** A new passphrase: from the file, else asked twice. */
export async function newPassphrase (file: string | undefined, flag = '--passphrase-file'): Promise<string> {
  if (file != null) return await passphraseFromFile(file)
  const a = await prompt('passphrase: ', flag)
  if (a.length === 0) throw new CliError('the passphrase must not be empty', 2)
  if (await prompt('again: ', flag) !== a) throw new CliError('the passphrases differ', 2)
  return a
}

/** A passphrase to read with, asked only when `needed()` says so. */
export function readPassphrase (file: string | undefined, flag = '--passphrase-file'): () => Promise<string> {
  return async () => file != null ? await passphraseFromFile(file) : await prompt('passphrase: ', flag)
}
