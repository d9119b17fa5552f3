import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * What the tests of test/cluster share: the test cluster of dev/cluster (a real
 * kube-apiserver with kwok's three fake nodes; scripts/test.sh starts it), kubectl
 * on it, and `make` targets run the way a user runs them, each tool in a world of
 * its own (namespace, state file, synth folder), providers from the offline mirror
 * scripts/ensure-tofu.sh builds.
 */
export const ROOT = resolve(import.meta.dirname, '../..');
export const CONTEXT = 'stockstreamer-kwok';
export const KUBECONFIG = join(ROOT, '.cluster', 'kubeconfig');
export const TOFU = join(ROOT, '.tools', 'tofu', 'bin', 'tofu');
export const TOFURC = join(ROOT, '.tools', 'tofu', 'tofurc');
export const TERRAFORM = process.env.TERRAFORM_BIN ?? '/usr/local/bin/terraform';

export function run(cmd: string, args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT, encoding: 'utf8', timeout: opts.timeoutMs ?? 600_000, maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...opts.env },
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}
export const kubectl = (args: string[]) => run('kubectl', ['--kubeconfig', KUBECONFIG, '--context', CONTEXT, ...args], { timeoutMs: 60_000 });
export function kubectlJson<T>(args: string[]): T {
  const r = kubectl([...args, '-o', 'json']);
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export interface K8sObject { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; data?: Record<string, string>; spec?: Record<string, unknown>; status?: Record<string, unknown> }

/** Fails with what to do when the cluster or the terraform tools are missing. */
export function assertClusterReady(): void {
  const status = run('bash', [join(ROOT, 'dev/cluster/status.sh')]);
  if (status.status !== 0) {
    throw new Error(`the test cluster is not running: start it with \`make cluster-up\` (dev/cluster/up.sh; scripts/test.sh does this)\n${status.stdout}`);
  }
  for (const [what, file] of [['OpenTofu', TOFU], ['the provider mirror', TOFURC], ['terraform', TERRAFORM]] as const) {
    if (!existsSync(file)) throw new Error(`${what} not found at ${file}: run \`bash scripts/ensure-tofu.sh\` (terraform: set TERRAFORM_BIN)`);
  }
}

/** One tool's world: its own namespace, state file, synth folder and terraform settings, under `tmp`. */
export function world(tool: 'terraform' | 'tofu', tmp: string, credentialsFile: string, name: string = tool) {
  const ns = `ss-${name}-${randomBytes(3).toString('hex')}`;
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const bin = tool === 'terraform' ? TERRAFORM : TOFU;
  const vars = [
    `KUBE_CONTEXT=${CONTEXT}`, `NAMESPACE=${ns}`, `TF=${bin}`, `CREDENTIALS=${credentialsFile}`,
    `CDKTF_OUTDIR=${join(dir, 'cdktf.out')}`, `TF_STATE=${join(dir, 'state', `${ns}.tfstate`)}`,
  ];
  // Nothing of the caller's terraform settings (TF_VAR_*, plugin cache) leaks in; providers come from the mirror only.
  const env: Record<string, string> = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TF_')).map(([k, v]) => [k, v ?? '']));
  Object.assign(env, { KUBECONFIG, TF_CLI_CONFIG_FILE: TOFURC, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' });
  const make = (target: string, extra: string[] = []) => {
    const t0 = Date.now();
    // -o node_modules/.installed: never reinstall the dependencies under the running tests
    const r = spawnSync('make', ['--no-print-directory', '-o', 'node_modules/.installed', target, ...vars, ...extra], {
      cwd: ROOT, encoding: 'utf8', timeout: 900_000, maxBuffer: 64 * 1024 * 1024, env,
    });
    return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, seconds: (Date.now() - t0) / 1000 };
  };
  const stackDir = join(dir, 'cdktf.out', 'stacks', 'minikube');
  return { ns, dir, bin, env, make, stackDir };
}
