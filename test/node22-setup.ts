/** The Node 22 pass must run under Node 22, or it proves nothing about the runtime Lambda runs. */
export default function setup(): void {
  if (!process.version.startsWith("v22.")) {
    throw new Error(`vitest.node22.config.ts runs under Node 22 only; this is Node ${process.version}`);
  }
}
