/**
 * @packageDocumentation
 *
 * The vivim node: embed it (`createNode`), or run it with the `vivim` CLI.
 *
 * @example
 * ```ts
 * import { createNode } from 'vivim'
 * const node = await createNode({ home: './memory', network: false })
 * const { cid } = await node.put({ text: 'Met Ana at the climbing gym', tags: { person: 'ana' } })
 * console.log(await node.get(cid))
 * await node.stop()
 * ```
 */
import './polyfill.js'
export { createNode, VivimNode } from './node.js'
export type { CommitListener } from './node.js'
export type * from './interface.js'
export * from './errors.js'
export { NodeInUseError, BlockNotFoundError, StoreClosedError } from './store/index.js'
export { DEFAULT_BRANCH, DEFAULT_CAPSULE, DEFAULT_HOME_DIR } from './constants.js'
export { resolveHome } from './home/index.js'
