import type { Command } from 'commander'
import { createNode } from '../../node.js'
import { resolveHome, loadOrCreateIdentity, identityInfo, setPassphrase, peerIdFromDid } from '../../home/index.js'
import { x25519PublicKeyFromDid } from '../../../capabilities/index.js'
import { base64 } from 'multiformats/bases/base64'
import { createOutput } from '../output.js'
import { globals, identityPassphrase, withNode } from '../context.js'
import { newPassphrase, passphraseFromFile } from '../passphrase.js'

export function registerNodeCommands (program: Command): void {
  program.command('init')
    .description('create the home folder and the owner identity (sealed under a passphrase with --passphrase-file)')
    .option('--passphrase-file <file>', 'seal the keystore under the passphrase in this file (never pass it as an argument)')
    .action(async (o, cmd: Command) => {
      const g = globals(cmd)
      const home = resolveHome(g.home)
      const existing = await identityInfo(home)
      const passphrase = o.passphraseFile != null ? await passphraseFromFile(o.passphraseFile) : undefined
      let did: string
      let created = false
      let sealed = existing?.encrypted === true
      if (existing == null) {
        const r = await loadOrCreateIdentity(home, { passphrase })
        did = r.key.did; created = true; sealed = passphrase !== undefined
      } else if (passphrase !== undefined && !existing.encrypted) {
        // A plain keystore gets sealed under the new passphrase.
        const { key } = await loadOrCreateIdentity(home)
        await setPassphrase(home, key, passphrase)
        did = key.did; sealed = true
      } else {
        if (passphrase !== undefined) await loadOrCreateIdentity(home, { passphrase }) // checks it unlocks
        did = existing.did
      }
      createOutput(g.json === true).result({ did, home, created, sealed }, r => `${r.created ? 'created' : 'exists'}: ${r.home}\ndid: ${r.did}\nkeystore: ${r.sealed ? 'sealed under a passphrase' : 'not encrypted (run vivim init --passphrase-file FILE to seal it)'}`)
    })

  program.command('passphrase')
    .description('set or change the keystore passphrase (asked on a terminal, or --new-passphrase-file)')
    .option('--new-passphrase-file <file>', 'the new passphrase')
    .option('--remove', 'store the key unencrypted')
    .action(async (o, cmd: Command) => {
      const g = globals(cmd)
      const home = resolveHome(g.home)
      const { key } = await loadOrCreateIdentity(home, { passphrase: await identityPassphrase(g) })
      const next = o.remove === true ? undefined : await newPassphrase(o.newPassphraseFile, '--new-passphrase-file')
      await setPassphrase(home, key, next)
      createOutput(g.json === true).result({ did: key.did, sealed: next !== undefined }, r => r.sealed ? 'keystore sealed under the new passphrase' : 'keystore stored unencrypted')
    })

  program.command('id')
    .description('print the owner DID, libp2p peer id and X25519 public key')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd)
      const home = resolveHome(g.home)
      let info = await identityInfo(home)
      if (info == null) { await loadOrCreateIdentity(home); info = await identityInfo(home) }
      const did = info!.did
      const r = { did, peerId: peerIdFromDid(did), x25519: base64.baseEncode(x25519PublicKeyFromDid(did)), home, sealed: info!.encrypted }
      createOutput(g.json === true).result(r, x => `did:     ${x.did}\npeer id: ${x.peerId}\nx25519:  ${x.x25519}\nhome:    ${x.home}${x.sealed ? '\nkeystore sealed' : ''}`)
    })

  program.command('verify')
    .description('re-hash every block and check every signature; names each problem (or checks a capsule FILE)')
    .argument('[file]', 'a capsule file to check without importing it')
    .option('--passphrase-file <file>', 'passphrase of an encrypted capsule file')
    .action(async (file: string | undefined, o, cmd: Command) => {
      if (file != null) {
        const { verifyFileCommand } = await import('./files.js')
        await verifyFileCommand(file, o, cmd)
        return
      }
      await withNode(cmd, async (node, out) => {
        const report = await node.verify({ onProgress: ({ blocks }) => out.note(`checked ${blocks} blocks…`) })
        out.result(report, r => [
          `${r.capsules} capsules, ${r.commits} commits, ${r.frames} frames, ${r.blocks} blocks`,
          ...r.problems.map(p => `PROBLEM ${p.problem} ${p.cid ?? ''}${p.capsule != null ? ` (capsule ${p.capsule})` : ''}: ${p.detail}`),
          r.ok ? 'ok' : `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`
        ].join('\n'))
        if (!report.ok) process.exitCode = 1
      })
    })

  program.command('start')
    .description('run the node (offline in this version) until stopped')
    .action(async (_o, cmd: Command) => {
      const g = globals(cmd)
      const out = createOutput(g.json === true)
      const node = await createNode({ home: g.home, network: false, passphrase: await identityPassphrase(g) })
      const capsules = []
      for (const c of await node.capsules()) capsules.push({ id: c.id, name: c.name, frames: (await node.state(c.id)).live.size, branches: c.branches })
      out.result({ did: node.did, peerId: peerIdFromDid(node.did), home: node.home, network: false, capsules }, s => [
        'vivim node running (offline)',
        `did:      ${s.did}`,
        `peer id:  ${s.peerId}`,
        `home:     ${s.home}`,
        `capsules: ${s.capsules.length === 0 ? 'none yet (try: vivim put "hello")' : ''}`,
        ...s.capsules.map(c => `  ${c.name}  ${c.frames} frames  (${c.id})`),
        'press Ctrl-C to stop'
      ].join('\n'))
      // Signal listeners do not keep Node's event loop alive; this timer does, until a signal comes.
      const keepAlive = setInterval(() => {}, 1 << 30)
      await new Promise<void>((resolve) => {
        const stop = (): void => { resolve() }
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
      })
      clearInterval(keepAlive)
      await node.stop()
      out.note('stopped')
    })
}
