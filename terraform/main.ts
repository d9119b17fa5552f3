/**
 * The CDK for Terraform app: `make synth` (node terraform/main.ts) writes the
 * Minikube stack to terraform/cdktf.out/stacks/minikube/cdk.tf.json; `make
 * deploy` then runs terraform (or tofu) init + apply there. Needs neither
 * `cdktf get` nor the network: the provider bindings are prebuilt packages.
 *
 *   STOCKSTREAMER_IMAGE   image the stack runs (default stockstreamer:<git short sha>)
 *   CDKTF_OUTDIR          output folder (default terraform/cdktf.out)
 *   STOCKSTREAMER_TF_STATE  Terraform state file (default terraform/state/minikube.tfstate;
 *                         the Makefile passes one per context and namespace)
 */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'cdktf';
import { MinikubeStack } from './lib/stack.ts';
import { defaultAlertRulesFile, defaultCredentialsFile } from './lib/settings.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..');

export interface SynthOptions {
  outdir?: string;
  image?: string;
  credentialsFile?: string;
  alertRulesFile?: string;
  statePath?: string;
}

function gitImage(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `stockstreamer:${sha}`;
  } catch {
    return 'stockstreamer:dev';
  }
}

/** Synthesizes the stack; returns the folder of the stack's cdk.tf.json. */
export function synth(options: SynthOptions = {}): string {
  const outdir = options.outdir ?? process.env.CDKTF_OUTDIR ?? resolve(here, 'cdktf.out');
  const app = new App({ outdir, skipValidation: false });
  new MinikubeStack(app, 'minikube', {
    image: options.image ?? process.env.STOCKSTREAMER_IMAGE ?? gitImage(),
    credentialsFile: options.credentialsFile ?? defaultCredentialsFile(repoRoot),
    alertRulesFile: options.alertRulesFile ?? defaultAlertRulesFile(repoRoot),
    k8sDir: resolve(repoRoot, 'k8s'),
    statePath: options.statePath ?? (process.env.STOCKSTREAMER_TF_STATE ? resolve(process.env.STOCKSTREAMER_TF_STATE) : resolve(here, 'state', 'minikube.tfstate')),
  });
  app.synth();
  return resolve(outdir, 'stacks', 'minikube');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = synth();
  process.stdout.write(`synthesized ${dir}/cdk.tf.json\n`);
}
