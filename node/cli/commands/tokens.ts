import type { Command } from 'commander'
import { readFile } from 'node:fs/promises'
import { withNode } from '../context.js'
import { CliError, readStdin } from '../output.js'
import { parseExpiry } from './capsules.js'
import { ABILITIES, type TokenRecord } from '../../tokens/index.js'

function showToken (t: TokenRecord): string {
  const exp = t.expires == null ? 'no expiry' : `expires ${new Date(t.expires * 1000).toISOString()}`
  return `${t.cid}  ${t.direction.padEnd(8)}  ${t.command}  ${t.capsule ?? '(any capsule)'}  to ${t.audience}  ${exp}${t.revoked ? '  REVOKED' : ''}`
}

export function registerTokenCommands (program: Command): void {
  program.command('share')
    .description('delegate read, append or replicate (ciphertext only) on a capsule to a DID; prints the token')
    .argument('<capsule>', 'capsule name or id')
    .requiredOption('--to <did>', 'the DID receiving the capability')
    .requiredOption('--can <ability>', `what it may do: ${Object.keys(ABILITIES).join(', ')}`)
    .option('--expires <when>', 'expiry: a duration (7d, 12h) or a time (default: none)')
    .action(async (capsule: string, o, cmd: Command) => {
      if (!(o.can in ABILITIES)) throw new CliError(`--can must be one of ${Object.keys(ABILITIES).join(', ')}`, 2)
      await withNode(cmd, async (node, out) => {
        const expires = o.expires != null ? Math.floor(parseExpiry(o.expires) / 1000) : undefined
        const r = await node.share(capsule, { to: o.to, can: o.can, expires })
        out.result({ token: r.token, ...r.record }, x => x.token)
      })
    })

  const tokens = program.command('tokens').description('capability tokens issued and received')
  tokens.command('list', { isDefault: true })
    .description('list tokens issued and received')
    .action(async (_o, cmd: Command) => {
      await withNode(cmd, async (node, out) => out.result(await node.tokens(), ts => ts.length === 0 ? 'no tokens' : ts.map(showToken).join('\n')))
    })
  tokens.command('add')
    .description('store a token someone shared with you (argument, --file, or stdin)')
    .argument('[token]')
    .option('--file <file>', 'read the token from a file')
    .action(async (token: string | undefined, o, cmd: Command) => {
      const text = token ?? (o.file != null ? await readFile(o.file, 'utf8') : await readStdin())
      await withNode(cmd, async (node, out) => out.result(await node.receiveTokens(text.trim()), ts => ts.map(showToken).join('\n')))
    })

  program.command('revoke')
    .description('revoke a token you issued or received: every chain through it is refused')
    .argument('<cid>', 'the token CID (see vivim tokens)')
    .option('--reason <text>', 'a reason kept in the record')
    .action(async (cid: string, o, cmd: Command) => {
      await withNode(cmd, async (node, out) => out.result(await node.revoke(cid, { reason: o.reason }), r => `revoked ${r.revoked} (record ${r.revocation})`))
    })
}
