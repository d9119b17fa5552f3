import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1/index.js';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1/index.js';
import { CREDENTIALS_SECRET_KEY, type AppContext } from './pod.ts';
import type { Settings } from './settings.ts';

/**
 * The namespace, and the Secret holding credentials.ini. The file is read by
 * `terraform apply` (file()), never at synth time: its content never enters
 * cdktf.out/, a ConfigMap, an env literal or the image (invariant 7). The
 * provider stores it base64 in the Secret and in the local state file, which
 * is git-ignored (terraform/.gitignore).
 */
export class Namespace extends Construct {
  readonly name: string;
  readonly app: AppContext;

  constructor(scope: Construct, id: string, settings: Settings) {
    super(scope, id);
    const ns = new NamespaceV1(this, 'namespace', {
      metadata: { name: settings.namespace.stringValue, labels: { 'app.kubernetes.io/part-of': 'stockstreamer' } },
    });
    this.name = ns.metadata.name;
    const content = Fn.sensitive(Fn.file(settings.credentialsFile.stringValue));
    const secret = new SecretV1(this, 'credentials', {
      metadata: { name: 'stockstreamer-credentials', namespace: this.name, labels: { 'app.kubernetes.io/part-of': 'stockstreamer' } },
      type: 'Opaque',
      data: { [CREDENTIALS_SECRET_KEY]: content },
    });
    this.app = {
      settings,
      credentialsSecret: secret.metadata.name,
      // nonsensitive: a SHA-256 of API tokens reveals nothing and must show in the pod annotations
      credentialsChecksum: Fn.nonsensitive(Fn.sha256(content)),
    };
  }
}
