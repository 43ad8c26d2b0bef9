export async function syntheticLatency (n: number): Promise<unknown> { return { n } }
