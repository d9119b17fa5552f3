import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synth } from './main.ts';

/**
 * `tofu init -backend=false` and `tofu validate` on a temp copy of the
 * synthesized stack: what `make deploy` would hit first, without a cluster.
 * OpenTofu and the providers are built offline from the Go module proxy by
 * scripts/ensure-tofu.sh into .tools/tofu/, and installed from a
 * filesystem_mirror only (TF_CLI_CONFIG_FILE=.tools/tofu/tofurc).
 *
 * The proxy serves the providers at one commit each, not at the release the
 * stack pins (see the script's header), so in the temp copy each
 * required_providers version is set to the version the mirror holds; the
 * substitution is printed. Everything else is validated as synthesized.
 */
const repoRoot = resolve(import.meta.dirname, '..');
const TOOLS = join(repoRoot, '.tools', 'tofu');
const TOFU = join(TOOLS, 'bin', 'tofu');
const TOFURC = join(TOOLS, 'tofurc');
const MANIFEST = join(TOOLS, 'providers.json');

interface Mirror { tofu: string; platform: string; providers: Record<string, { source: string; version: string; module: string; moduleVersion: string }> }
interface Diagnostic { severity: string; summary: string; detail?: string; range?: { filename: string; start: { line: number } }; snippet?: { context?: string | null } }
interface Validate { valid: boolean; error_count: number; warning_count: number; diagnostics: Diagnostic[] }
type RequiredProviders = Record<string, { source?: string; version?: string }>;

let tmp: string;
let work: string;
let mirror: Mirror;

function tofu(args: string[]) {
  // Nothing from the caller's terraform settings leaks in (config file, plugin cache, TF_VAR_*),
  // and tofu's ~/.terraform.d lands in the temp folder, not in the user's home.
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TF_')));
  Object.assign(env, { HOME: tmp, TF_CLI_CONFIG_FILE: TOFURC, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' });
  const r = spawnSync(TOFU, args, { cwd: work, env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

const where = (d: Diagnostic) => [d.snippet?.context, d.range && `${d.range.filename}:${d.range.start.line}`].filter(Boolean).join(' ');
const describeDiagnostics = (ds: Diagnostic[]) => ds.map((d) => `${d.severity}: ${d.summary} (${where(d)})${d.detail ? `\n    ${d.detail.replace(/\n/g, ' ')}` : ''}`).join('\n');

beforeAll(() => {
  if (!existsSync(TOFU) || !existsSync(TOFURC) || !existsSync(MANIFEST)) {
    throw new Error(`OpenTofu and the providers are not built in ${TOOLS}: run \`bash scripts/ensure-tofu.sh\` (builds them from the Go module proxy; several minutes the first time)`);
  }
  mirror = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Mirror;

  tmp = mkdtempSync(join(tmpdir(), 'ss-tofu-'));
  const credentials = join(tmp, 'credentials.ini');
  writeFileSync(credentials, '[RedditCredentials]\nclient_id=x\nclient_secret=x\npassword=x\nusername=someone\nuser_agent=test\n\n[FINNHUB]\nFINNHUB_TOKEN=x\n');
  const stackDir = synth({ outdir: join(tmp, 'cdktf.out'), image: 'stockstreamer:test0123', credentialsFile: credentials, statePath: join(tmp, 'state', 'minikube.tfstate') });

  work = join(tmp, 'work');
  cpSync(stackDir, work, { recursive: true });
  const file = join(work, 'cdk.tf.json');
  const tf = JSON.parse(readFileSync(file, 'utf8')) as { terraform: { required_providers: RequiredProviders } };
  const missing = Object.keys(tf.terraform.required_providers).filter((name) => !mirror.providers[name]);
  if (missing.length) throw new Error(`the stack requires provider(s) ${missing.join(', ')} that scripts/ensure-tofu.sh does not build: add them to its PROVIDERS`);
  for (const [name, req] of Object.entries(tf.terraform.required_providers)) {
    const have = mirror.providers[name]!;
    if (req.version !== have.version) {
      console.info(`tofu-validate: provider ${name}: the stack pins ${req.version}; validating with ${have.version} from the offline mirror (${have.module}@${have.moduleVersion})`);
      req.version = have.version;
    }
  }
  writeFileSync(file, JSON.stringify(tf, null, 2));
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe(`tofu validate on the synthesized Minikube stack`, () => {
  it('installs every provider from the local filesystem mirror (tofu init -backend=false)', () => {
    const r = tofu(['init', '-backend=false', '-input=false', '-no-color']);
    expect(r.error, String(r.error)).toBeUndefined();
    expect(r.status, `tofu init failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
    for (const [name, p] of Object.entries(mirror.providers)) {
      expect(r.stdout, `${name} ${p.version}`).toMatch(new RegExp(`Installed hashicorp/${name} v${p.version.replace(/\./g, '\\.')}`));
    }
  }, 120_000);

  it('validates with no errors (tofu validate)', () => {
    // Runs after a failed init too: the configuration errors are then listed here.
    const r = tofu(['validate', '-json', '-no-color']);
    expect(r.error, String(r.error)).toBeUndefined();
    let result: Validate;
    try {
      result = JSON.parse(r.stdout) as Validate;
    } catch {
      throw new Error(`tofu validate -json printed no JSON (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
    if (warnings.length) console.warn(`tofu validate warnings:\n${describeDiagnostics(warnings)}`);
    expect(errors, `tofu validate found ${errors.length} error(s):\n${describeDiagnostics(errors)}`).toEqual([]);
    expect(result).toMatchObject({ valid: true, error_count: 0 });
    expect(r.status).toBe(0);
  }, 120_000);
});
