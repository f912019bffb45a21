import { readFileSync } from 'fs';
import { Agent, request as httpsRequest } from 'https';
import { parse as parseYaml } from 'yaml';

/**
 * A small typed REST client for the test API server: just what the e2e tests need, on node's
 * https with the kubeconfig's CA (no client library). Every response carries the `Warning`
 * headers, because Pod Security admission reports violations of workloads there.
 */

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface KubeResponse<T = KubeObject> {
  readonly status: number;
  readonly body: T;
  /** The text of each `Warning: 299 - "..."` header, in order. */
  readonly warnings: string[];
}

/** A non-2xx answer; the message is the API server's own (a metav1.Status message). */
export class KubeApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: any,
    readonly warnings: string[],
  ) {
    super(`${method} ${path}: ${status} ${body?.reason ?? ''}: ${body?.message ?? JSON.stringify(body)}`);
    this.name = 'KubeApiError';
  }
}

/** SubjectAccessReview resource attributes; `group` '' is the core group, namespace '' all namespaces. */
export interface ResourceAttributes {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface AccessDecision {
  readonly allowed: boolean;
  readonly denied?: boolean;
  readonly reason?: string;
}

export interface UserInfo {
  readonly user: string;
  readonly groups: readonly string[];
}

/** How the API server authenticates a ServiceAccount token: these are the names RBAC sees. */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return {
    user: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

interface RequestOptions {
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly body?: unknown;
  readonly contentType?: string;
}

interface WriteOptions {
  /** Let admission and validation run, store nothing (`dryRun=All`). */
  readonly dryRun?: boolean;
}

interface ApplyOptions extends WriteOptions {
  readonly fieldManager?: string;
  /** Take over fields another manager owns (what `kubectl apply --server-side --force-conflicts` does). */
  readonly force?: boolean;
}

interface ResourceInfo {
  readonly plural: string;
  readonly namespaced: boolean;
}

const DEFAULT_FIELD_MANAGER = 'cdk8s-kube-vip-e2e';

export class KubeClient {
  /** The admin client of a kubeconfig's current context (bearer token and CA data, as ours writes it). */
  static fromKubeconfig(path: string, options: { socketPath?: string } = {}): KubeClient {
    const config = parseYaml(readFileSync(path, 'utf8'));
    const context = config.contexts.find((c: any) => c.name === config['current-context']).context;
    const cluster = config.clusters.find((c: any) => c.name === context.cluster).cluster;
    const user = config.users.find((u: any) => u.name === context.user).user;
    if (!user.token) throw new Error(`${path}: only bearer-token users are supported`);
    const ca = Buffer.from(cluster['certificate-authority-data'], 'base64').toString();
    return new KubeClient(cluster.server, ca, user.token, options.socketPath);
  }

  private readonly agent: Agent;
  private readonly resources = new Map<string, Promise<ResourceInfo>>();

  private constructor(
    readonly server: string,
    private readonly ca: string,
    private readonly token: string,
    /** Connect through this Unix socket instead of to the server's host and port. */
    private readonly socketPath?: string,
    agent?: Agent,
  ) {
    // Keep-alive: the matrix test sends thousands of requests.
    this.agent = agent ?? new Agent({ ca, keepAlive: true, maxSockets: 16 });
  }

  /** The same server, authenticated as someone else (a ServiceAccount token, say). */
  withToken(token: string): KubeClient {
    return new KubeClient(this.server, this.ca, token, this.socketPath, this.agent);
  }

  /** Closes idle keep-alive sockets, so jest sees no open handles. */
  close(): void {
    this.agent.destroy();
  }

  /** The CA certificate (PEM) the server's certificate is signed by. */
  get caCertificate(): string {
    return this.ca;
  }

  request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<KubeResponse<T>> {
    const url = new URL(path, this.server);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method,
          agent: this.agent,
          socketPath: this.socketPath,
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: 'application/json',
            ...(payload !== undefined
              ? { 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let body: any = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON (e.g. a plain-text error from a proxy layer): keep the text
            }
            const warnings = warningsOf(res.rawHeaders);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve({ status, body, warnings });
            else reject(new KubeApiError(method, `${url.pathname}${url.search}`, status, body, warnings));
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /**
   * Server-side apply (`kubectl apply --server-side`). Unknown or duplicate fields are errors
   * (`fieldValidation=Strict`): the server default only warns, which would hide a misspelt field.
   */
  async apply(object: KubeObject, options: ApplyOptions = {}): Promise<KubeResponse> {
    return this.request('PATCH', await this.objectPath(object), {
      query: {
        fieldManager: options.fieldManager ?? DEFAULT_FIELD_MANAGER,
        force: options.force ?? true,
        fieldValidation: 'Strict',
        dryRun: options.dryRun ? 'All' : undefined,
      },
      body: object,
      contentType: 'application/apply-patch+yaml', // JSON is YAML
    });
  }

  async create(object: KubeObject, options: WriteOptions = {}): Promise<KubeResponse> {
    const ref = refOf(object);
    return this.request('POST', await this.collectionPath(ref.apiVersion, ref.kind, ref.namespace), {
      query: { fieldValidation: 'Strict', dryRun: options.dryRun ? 'All' : undefined },
      body: object,
    });
  }

  /** PUT: replaces the object (or one of its subresources, such as `status`). */
  async replace(object: KubeObject, options: WriteOptions & { subresource?: string } = {}): Promise<KubeResponse> {
    const path = (await this.objectPath(object)) + (options.subresource ? `/${options.subresource}` : '');
    return this.request('PUT', path, { query: { fieldValidation: 'Strict', dryRun: options.dryRun ? 'All' : undefined }, body: object });
  }

  async get(ref: ObjectRef): Promise<KubeResponse> {
    return this.request('GET', await this.objectPath(ref));
  }

  /** `namespace` undefined: every namespace (or a cluster-scoped kind). */
  async list(apiVersion: string, kind: string, namespace?: string): Promise<KubeResponse<{ items: KubeObject[] }>> {
    return this.request('GET', await this.collectionPath(apiVersion, kind, namespace));
  }

  async delete(ref: ObjectRef): Promise<KubeResponse<unknown>> {
    return this.request('DELETE', await this.objectPath(ref));
  }

  /** What RBAC would decide for `who` (an admin call: the reviewer needs no rights of `who`). */
  async subjectAccessReview(who: UserInfo, attributes: ResourceAttributes): Promise<AccessDecision> {
    const res = await this.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: who.user, groups: [...who.groups], resourceAttributes: attributes },
      },
    });
    return res.body.status;
  }

  /** What RBAC decides for this client's own identity (any authenticated user may ask). */
  async selfSubjectAccessReview(attributes: ResourceAttributes): Promise<AccessDecision> {
    const res = await this.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } },
    });
    return res.body.status;
  }

  /** A token for a ServiceAccount (TokenRequest API), as the kubelet would mount into kube-vip's pod. */
  async requestToken(namespace: string, serviceAccount: string, expirationSeconds = 600): Promise<string> {
    const res = await this.request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`, {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds } },
    });
    return res.body.status.token;
  }

  /** A client acting as a ServiceAccount, with its own token. */
  async asServiceAccount(namespace: string, serviceAccount: string): Promise<KubeClient> {
    return this.withToken(await this.requestToken(namespace, serviceAccount));
  }

  async objectPath(ref: ObjectRef | KubeObject): Promise<string> {
    const { apiVersion, kind, name, namespace } = 'metadata' in ref ? refOf(ref) : ref;
    return `${await this.collectionPath(apiVersion, kind, namespace)}/${encodeURIComponent(name)}`;
  }

  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const { plural, namespaced } = await this.resourceOf(apiVersion, kind);
    const base = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`;
    if (namespaced && namespace) return `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
    return `${base}/${plural}`;
  }

  /** Plural name and scope of a kind, from the server's discovery document (cached). */
  private resourceOf(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const key = `${apiVersion}/${kind}`;
    let info = this.resources.get(key);
    if (!info) {
      info = this.request('GET', apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`).then((res) => {
        const found = (res.body as any).resources.find((r: any) => r.kind === kind && !r.name.includes('/'));
        if (!found) throw new Error(`the API server serves no kind ${kind} in ${apiVersion}`);
        return { plural: found.name, namespaced: found.namespaced };
      });
      info.catch(() => this.resources.delete(key)); // do not cache a failure
      this.resources.set(key, info);
    }
    return info;
  }
}

export function refOf(object: KubeObject): ObjectRef {
  return { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace };
}

/**
 * `Warning` headers as RFC 7234 writes them: `299 - "text"`, text with `\"` and `\\` escapes.
 * Read from rawHeaders: node joins repeated headers into one string, which commas in the
 * texts would make ambiguous.
 */
export function warningsOf(rawHeaders: string[]): string[] {
  const warnings: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() !== 'warning') continue;
    const match = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(rawHeaders[i + 1]);
    warnings.push(match ? match[1].replace(/\\(.)/g, '$1') : rawHeaders[i + 1]);
  }
  return warnings;
}
