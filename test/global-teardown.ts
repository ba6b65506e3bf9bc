/** Jest global teardown: removes the example output that test/global-setup.ts wrote. */
import * as fs from 'fs';

export default function globalTeardown(): void {
  const outdir = process.env.TKE_LOOPBACK_EXAMPLES_OUTDIR;
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
}
