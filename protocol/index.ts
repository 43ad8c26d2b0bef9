/**
 * @packageDocumentation
 *
 * Wire formats and libp2p protocol handlers (capsule sync, circle federation, DHT keys).
 * Not built yet: this version of vivim runs offline (`createNode({ network: false })`).
 * Uses dag/ and capabilities/ only (DESIGN.md §1, §4).
 */
export {}
