// Child process for the crash test: writes frames in a loop and prints "ack <cid>"
// only after the put that stored it resolved. The parent SIGKILLs it at random moments.
import '../../node/polyfill.js'
import { createNode } from '../../node/index.js'
import { prng } from '../_helpers.js'

const [home, seedArg] = process.argv.slice(2)
const rand = prng(Number(seedArg))
const node = await createNode({ home, network: false })
process.stdout.write('ready\n')
let n = 0
for (;;) {
  const r = rand()
  const capsule = `c${Math.floor(rand() * 3)}`
  if (r < 0.4) {
    const { cid } = await node.put({ text: `single u${seedArg}n${n++}`, capsule })
    process.stdout.write(`ack ${cid}\n`)
  } else if (r < 0.8) {
    const size = 1 + Math.floor(rand() * 300)
    const { cids } = await node.putMany(Array.from({ length: size }, () => ({ text: `batch u${seedArg}n${n++} ${'x'.repeat(Math.floor(rand() * 400))}`, capsule })))
    process.stdout.write(cids.map(c => `ack ${c}\n`).join(''))
  } else {
    const res = await Promise.all(Array.from({ length: 8 }, () => node.put({ text: `concurrent u${seedArg}n${n++}`, capsule: `c${Math.floor(rand() * 3)}` })))
    process.stdout.write(res.map(r => `ack ${r.cid}\n`).join(''))
  }
}
