// Offline checks of deploy/k8s (no cluster): every object against Kubernetes' own JSON schema for its kind
// (kubernetes-models, generated from the Kubernetes OpenAPI spec: types, required fields, formats), then the rules
// that tie the manifests to this service (ports, probes, shutdown time, memory, selectors), read from
// application.yml and the Dockerfile so the two cannot drift apart.
// Usage: node validate.mjs REPOSITORY_ROOT. Closes with "manifests: N passed, N failed"; exit 1 when any failed.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

const root = process.argv[2] ?? "../../..";
const dir = join(root, "deploy/k8s");
let passed = 0;
let failed = 0;

function check(name, fn) {
  try {
    const problem = fn();
    if (problem) throw new Error(problem);
    passed++;
    console.log(`ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL  ${name}: ${e.message}`);
  }
}

function parseYaml(file) {
  return parseAllDocuments(readFileSync(file, "utf8")).map((doc) => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
    return doc.toJS();
  }).filter((doc) => doc != null);
}

// --- the manifests, and the service's own settings -----------------------------------------------------
const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
const objects = [];
for (const file of files) {
  check(`${file} is YAML`, () => {
    for (const doc of parseYaml(join(dir, file))) objects.push({ file, doc });
  });
}

/** application.yml's settings without a profile, as dotted keys (it mixes nested and dotted forms). */
function flatten(value, prefix = "", out = {}) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out[prefix] = value;
  }
  return out;
}
const settings = parseYaml(join(root, "application.yml"))
  .map((doc) => flatten(doc))
  .filter((doc) => !Object.keys(doc).some((key) => key.startsWith("spring.config.activate")))
  .reduce((all, doc) => Object.assign(all, doc), {});

/** Spring's duration forms used here: 30s, 500ms, 1m, or a bare number of milliseconds. */
function seconds(value, fallback) {
  if (value == null) return fallback;
  const match = /^(\d+)(ms|s|m)?$/.exec(String(value).trim());
  if (!match) throw new Error(`cannot read duration '${value}'`);
  const n = Number(match[1]);
  return { ms: n / 1000, s: n, m: n * 60, undefined: n / 1000 }[match[2]];
}

/** Kubernetes quantities for memory: 768Mi, 1Gi. */
function mebibytes(quantity) {
  const match = /^(\d+)(Mi|Gi)$/.exec(String(quantity));
  if (!match) throw new Error(`cannot read memory '${quantity}'`);
  return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
}

// --- 1. Kubernetes' schema ------------------------------------------------------------------------------
const modules = { v1: "v1", "apps/v1": "apps/v1", "policy/v1": "policy/v1", "batch/v1": "batch/v1" };
for (const { file, doc } of objects) {
  if (doc.apiVersion?.startsWith("kustomize.config.k8s.io/")) continue;
  const name = `${file}: ${doc.kind}/${doc.metadata?.name} matches the Kubernetes schema`;
  const module = modules[doc.apiVersion];
  if (!module) {
    check(name, () => `no schema module for apiVersion ${doc.apiVersion}`);
    continue;
  }
  const models = await import(`kubernetes-models/${module}`);
  check(name, () => {
    const Model = models[doc.kind];
    if (!Model) return `unknown kind ${doc.kind} in ${doc.apiVersion}`;
    new Model(doc).validate();
  });
}

// --- 2. this service's rules ----------------------------------------------------------------------------
const find = (kind, pred = () => true) => objects.map((o) => o.doc).filter((d) => d.kind === kind && pred(d));
const [deployment] = find("Deployment");
const pod = deployment?.spec?.template?.spec ?? {};
const container = pod.containers?.[0] ?? {};
const podLabels = deployment?.spec?.template?.metadata?.labels ?? {};
const selects = (selector) => selector && Object.keys(selector).length > 0
  && Object.entries(selector).every(([k, v]) => podLabels[k] === v);
const grpcPort = Number(settings["grpc.server.port"] ?? 9090);
const httpPort = Number(settings["server.port"] ?? 8080);
const portNamed = (name) => container.ports?.find((p) => p.name === name)?.containerPort;

check("one Deployment with several replicas, its selector matching its pods", () => {
  if (find("Deployment").length !== 1) return "expected exactly one Deployment";
  if (!(deployment.spec.replicas >= 2)) return `replicas ${deployment.spec.replicas}`;
  if (!selects(deployment.spec.selector?.matchLabels)) return "selector does not match the pod labels";
});
check(`container ports are application.yml's: grpc ${grpcPort}, http ${httpPort}`, () => {
  if (portNamed("grpc") !== grpcPort) return `grpc port ${portNamed("grpc")}`;
  if (portNamed("http") !== httpPort) return `http port ${portNamed("http")}`;
});
check("readiness: native gRPC probe on the gRPC port, whole-server health (\"\")", () => {
  const grpc = container.readinessProbe?.grpc;
  if (!grpc) return "no grpc readinessProbe";
  if (grpc.port !== grpcPort) return `port ${grpc.port}`;
  if ((grpc.service ?? "") !== "") return `service '${grpc.service}'`;
});
check("liveness: native gRPC probe on the gRPC port, the 'liveness' service (stays SERVING while draining)", () => {
  const grpc = container.livenessProbe?.grpc;
  if (!grpc) return "no grpc livenessProbe";
  if (grpc.port !== grpcPort) return `port ${grpc.port}`;
  if (grpc.service !== "liveness") return `service '${grpc.service}'`;
});
check("startup: HTTP probe on an actuator health group over the http port", () => {
  const get = container.startupProbe?.httpGet;
  if (!get) return "no httpGet startupProbe";
  if (!/^\/actuator\/health\/(liveness|readiness)$/.test(get.path)) return `path ${get.path}`;
  const port = typeof get.port === "string" ? portNamed(get.port) : get.port;
  if (port !== httpPort) return `port ${get.port}`;
});
check("terminationGracePeriodSeconds outlasts preStop + gRPC drain + its flush + Spring's shutdown phase", () => {
  const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const grpcGrace = seconds(settings["grpc.server.shutdown-grace-period"], 30);
  const springPhase = seconds(settings["spring.lifecycle.timeout-per-shutdown-phase"], 30);
  const needed = preStop + grpcGrace + 5 + springPhase;
  const given = pod.terminationGracePeriodSeconds ?? 30;
  if (!(given > needed)) return `${given}s given, ${needed}s needed (${preStop} + ${grpcGrace} + 5 + ${springPhase})`;
});
check("memory: request = limit, and the Dockerfile's MaxRAMPercentage leaves room beside the heap", () => {
  const { requests = {}, limits = {} } = container.resources ?? {};
  if (!limits.memory) return "no memory limit";
  if (requests.memory !== limits.memory) return `request ${requests.memory} != limit ${limits.memory}`;
  const dockerfile = join(root, "Dockerfile");
  const percent = existsSync(dockerfile)
    ? Number(/^ENTRYPOINT.*MaxRAMPercentage=(\d+)/m.exec(readFileSync(dockerfile, "utf8"))?.[1] ?? 25) : 75;
  const limit = mebibytes(limits.memory);
  const heap = (limit * percent) / 100;
  if (heap < 256) return `heap ${heap}Mi of ${limit}Mi (${percent}%) is too small`;
  if (limit - heap < 160) return `${limit - heap}Mi beside a ${heap}Mi heap is too little for metaspace and threads`;
  if (!requests.cpu) return "no cpu request";
});
check("a regular Service and a headless one, both on the pods' gRPC port", () => {
  const services = find("Service");
  const headless = services.filter((s) => s.spec.clusterIP === "None");
  const regular = services.filter((s) => s.spec.clusterIP !== "None");
  if (headless.length !== 1 || regular.length !== 1) return `${regular.length} regular, ${headless.length} headless`;
  for (const service of services) {
    if (!selects(service.spec.selector)) return `${service.metadata.name} does not select the pods`;
    const grpc = service.spec.ports.find((p) => p.name === "grpc");
    if (!grpc || !(grpc.targetPort === "grpc" || grpc.targetPort === grpcPort)) {
      return `${service.metadata.name} has no grpc port to the container`;
    }
  }
});
check("PodDisruptionBudget selects the pods and keeps most replicas", () => {
  const [pdb] = find("PodDisruptionBudget");
  if (!pdb) return "none";
  if (!selects(pdb.spec.selector?.matchLabels)) return "selector does not match the pod labels";
  if (!(pdb.spec.maxUnavailable < deployment.spec.replicas)) return `maxUnavailable ${pdb.spec.maxUnavailable}`;
});
check("the client Job balances over the headless Service with dns:///", () => {
  const [job] = find("Job");
  const [headless] = find("Service", (s) => s.spec.clusterIP === "None");
  const args = job?.spec?.template?.spec?.containers?.[0]?.args ?? [];
  const target = `--grpc.client.demo.address=dns:///${headless?.metadata?.name}:${grpcPort}`;
  if (!args.includes("--spring.profiles.active=client")) return "not the client profile";
  if (!args.includes(target)) return `no ${target}`;
});
check("the prod pods need callers with an identity (or say they are open on purpose), the client Job has a token", () => {
  const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
  const jwt = ["SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI", "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_JWKSETURI"]
    .some((name) => env[name]);
  if (!jwt && env.IDENTITY_OPENONPURPOSE !== "true") return "the prod profile would refuse to start: no issuer, no JWK set";
  if (!jwt) return;
  const [job] = find("Job");
  const jobEnv = new Set((job?.spec?.template?.spec?.containers?.[0]?.env ?? []).map((e) => e.name));
  const needed = ["CLIENTID", "CLIENTSECRET", "AUTHORIZATIONGRANTTYPE"]
    .map((key) => `SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_DEMO_${key}`).filter((name) => !jobEnv.has(name));
  if (needed.length) return `the client Job lacks ${needed}`;
});
check("kustomization.yaml lists every service manifest", () => {
  const [kustomization] = objects.filter((o) => o.file === "kustomization.yaml").map((o) => o.doc);
  const listed = new Set(kustomization?.resources ?? []);
  const expected = new Set(objects.filter((o) => ["Deployment", "Service", "PodDisruptionBudget"].includes(o.doc.kind))
    .map((o) => o.file));
  const missing = [...expected].filter((f) => !listed.has(f));
  const absent = [...listed].filter((f) => !existsSync(join(dir, f)));
  if (missing.length || absent.length) return `missing ${missing}, absent ${absent}`;
});

console.log(`manifests: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
