import { Command, CommanderError } from 'commander'
import { registerNodeCommands } from './commands/node.js'
import { registerFrameCommands } from './commands/frames.js'
import { registerCapsuleCommands } from './commands/capsules.js'
import { registerSearchCommands } from './commands/search.js'
import { registerImportCommands } from './commands/import.js'
import { registerTokenCommands } from './commands/tokens.js'
import { registerFileCommands } from './commands/files.js'
import { CliError } from './output.js'

/** Builds the `vivim` command tree. */
export function createProgram (): Command {
  const program = new Command('vivim')
    .description('vivim: your AI memory, on your own disk, shared on your terms')
    .option('--home <dir>', 'home folder (default $VIVIM_HOME, else ~/.vivim)')
    .option('--json', 'print results as JSON')
    .option('--debug', 'print stack traces on errors')
    .option('--identity-passphrase-file <file>', 'unlocks a sealed keystore (default $VIVIM_PASSPHRASE_FILE, else asked on a terminal)')
    .showHelpAfterError('(run vivim --help for usage)')
    .exitOverride()
  registerNodeCommands(program)
  registerFrameCommands(program)
  registerCapsuleCommands(program)
  registerSearchCommands(program)
  registerImportCommands(program)
  registerTokenCommands(program)
  registerFileCommands(program)
  for (const c of program.commands) propagate(c)
  return program
}

function propagate (cmd: Command): void {
  cmd.exitOverride()
  for (const c of cmd.commands) propagate(c)
}

/** Runs the CLI; returns the exit code. Errors become one line on stderr. */
export async function main (argv: string[]): Promise<number> {
  const program = createProgram()
  const debug = argv.includes('--debug')
  try {
    await program.parseAsync(argv, { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err: any) {
    if (err instanceof CommanderError) {
      // Help and version are not failures; commander already printed its message.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0
      return 2
    }
    if (debug) process.stderr.write(`${err?.stack ?? String(err)}\n`)
    else process.stderr.write(`vivim: ${err?.message ?? String(err)}${err?.name != null && err.name !== 'Error' && err.name !== 'CliError' ? ` (${err.name})` : ''}\n`)
    return err instanceof CliError ? err.exitCode : 1
  }
}
