// Child of bounded.test.ts: imports FILE into HOME with tiny chunks and dies (SIGKILL, no cleanup)
// right after index write number N, before the refs move: a crash mid-import.
import '../../../node/polyfill.js'
import { createNode } from '../../../node/index.js'

const [home, file, n] = process.argv.slice(2)
const node = await createNode({ home, network: false })
await node.importCapsule(file, { chunkFrames: 8, stageBytes: 2048, ledgerBytes: 1024, onChunk: (k: number) => { if (k === Number(n)) process.kill(process.pid, 'SIGKILL') } } as any)
console.log('not killed')
await node.stop()
