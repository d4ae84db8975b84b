// Checks that what the chart renders agrees with itself and with the application it deploys.
// Usage: node check-config.mjs <repo-root> <default-render.yaml> [<other-render.yaml>...]
//
// Every render: the container ports are the ports in the rendered Spring properties; probes hit the management
// port on the actuator health groups; Services target ports that exist with the right protocol; several replicas
// keep ClientIP affinity; terminationGracePeriodSeconds exceeds preStop + spring.lifecycle.timeout-per-shutdown-phase;
// the data dir and /tmp are writable under a read-only root; the ServiceMonitor scrapes the exposed endpoint; the
// helm test calls the Rx Service's port.
// The default render, besides: the same port numbers and paths as the application's own configuration
// (examples/ptserver/src/main/resources/application.{properties,yml,yaml} once it exists, and always the table in
// docs/design/contracts.md), and the ports the image recipe (examples/ptserver/Dockerfile) exposes.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parse as parseYaml } from "yaml";

const [root, defaultRender, ...otherRenders] = process.argv.slice(2);
let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    console.log(`FAIL ${what}`);
  }
}

function parseProperties(text) {
  const props = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const m = line.match(/^([^=:\s]+)\s*[=:]\s*(.*)$/);
    if (m) props[m[1]] = m[2];
  }
  return props;
}

function flatten(obj, prefix = "", out = {}) {
  for (const [k, v] of Object.entries(obj ?? {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) flatten(v, key, out);
    else out[key] = String(v);
  }
  return out;
}

/** Spring Duration text ("30s", "1m", "500ms", or a bare number of milliseconds) in seconds. */
function durationSeconds(text) {
  const m = String(text).trim().match(/^(\d+)(ms|s|m|h)?$/);
  if (!m) return NaN;
  const n = Number(m[1]);
  return { ms: n / 1000, s: n, m: n * 60, h: n * 3600, undefined: n / 1000 }[m[2]];
}

function load(file) {
  const objs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);
  const byKind = (k) => objs.filter((o) => o.kind === k);
  const workload = objs.find((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
  const configMap = byKind("ConfigMap").find((c) => c.data?.["application.properties"]);
  return { objs, byKind, workload, props: parseProperties(configMap.data["application.properties"]) };
}

function checkRender(file) {
  const r = load(file);
  const { workload, props } = r;
  const tag = `${file}:`;
  const pod = workload.spec.template.spec;
  const c = pod.containers.find((x) => x.name === "ptserver");
  const port = (name) => c.ports.find((p) => p.name === name);
  const base = props["management.endpoints.web.base-path"] ?? "/actuator";

  // Ports: container <-> Spring properties.
  check(port("afs3-prserver")?.protocol === "UDP", `${tag} Rx container port is UDP`);
  check(String(port("afs3-prserver")?.containerPort) === props["rxrpc.server.port"],
    `${tag} Rx containerPort ${port("afs3-prserver")?.containerPort} = rxrpc.server.port ${props["rxrpc.server.port"]}`);
  check(String(port("management")?.containerPort) === props["management.server.port"],
    `${tag} management containerPort ${port("management")?.containerPort} = management.server.port ${props["management.server.port"]}`);
  check(props["server.port"] === props["management.server.port"], `${tag} server.port = management.server.port (one HTTP port)`);
  check(props["rxrpc.server.port"] !== props["management.server.port"], `${tag} Rx and management ports differ`);

  // Probes: actuator health groups on the management port.
  check(props["management.endpoint.health.probes.enabled"] === "true", `${tag} management.endpoint.health.probes.enabled=true`);
  const expectPath = { livenessProbe: `${base}/health/liveness`, readinessProbe: `${base}/health/readiness`, startupProbe: `${base}/health/liveness` };
  for (const [probe, path] of Object.entries(expectPath)) {
    const p = c[probe];
    if (!p) continue;
    check(p.httpGet?.path === path, `${tag} ${probe} path ${p.httpGet?.path} = ${path}`);
    const pp = p.httpGet?.port;
    check(pp === "management" || String(pp) === props["management.server.port"], `${tag} ${probe} port ${pp} is the management port`);
  }
  check(!!c.livenessProbe && !!c.readinessProbe, `${tag} liveness and readiness probes present`);

  // Services.
  const services = r.byKind("Service");
  const rxSvc = services.find((s) => s.metadata.name === workload.metadata.name);
  const replicas = workload.spec.replicas ?? 2; // no replicas field: an HPA owns it
  for (const s of services) {
    for (const sp of s.spec.ports) {
      const target = c.ports.find((p) => p.name === sp.targetPort || p.containerPort === sp.targetPort);
      check(!!target && (target.protocol ?? "TCP") === (sp.protocol ?? "TCP"),
        `${tag} Service ${s.metadata.name} port ${sp.name} targets a container port with protocol ${sp.protocol}`);
    }
  }
  check(rxSvc && rxSvc.spec.ports.every((p) => p.protocol === "UDP"), `${tag} Rx Service is UDP only`);
  check(replicas <= 1 || rxSvc?.spec.sessionAffinity === "ClientIP", `${tag} several replicas => sessionAffinity ClientIP`);
  if (workload.kind === "StatefulSet") {
    const headless = services.find((s) => s.metadata.name === workload.spec.serviceName);
    check(headless?.spec.clusterIP === "None", `${tag} StatefulSet serviceName is a headless Service`);
    check(headless?.spec.ports.some((p) => p.name === "afs3-prserver" && p.protocol === "UDP"),
      `${tag} headless Service publishes _afs3-prserver._udp`);
  }

  // Drain: the kubelet must not kill the JVM before preStop + Spring's drain are over.
  const drain = durationSeconds(props["spring.lifecycle.timeout-per-shutdown-phase"]);
  const pre = c.lifecycle?.preStop;
  const preSeconds = pre?.sleep ? pre.sleep.seconds : pre?.exec ? Number(pre.exec.command.at(-1)) : 0;
  const grace = pod.terminationGracePeriodSeconds;
  check(Number.isFinite(drain) && drain > 0, `${tag} spring.lifecycle.timeout-per-shutdown-phase is a duration`);
  check(grace > preSeconds + drain, `${tag} terminationGracePeriodSeconds ${grace} > preStop ${preSeconds} + drain ${drain}`);
  check(/^-?\d+$/.test(props["rxrpc.server.shutdown.abort-code"] ?? ""), `${tag} rxrpc.server.shutdown.abort-code is an integer`);

  // Read-only root with writable data dir and /tmp.
  const mounts = Object.fromEntries(c.volumeMounts.map((m) => [m.mountPath, m]));
  check(c.securityContext?.readOnlyRootFilesystem === true, `${tag} read-only root filesystem`);
  check(c.securityContext?.allowPrivilegeEscalation === false && (pod.securityContext?.runAsNonRoot || c.securityContext?.runAsNonRoot),
    `${tag} non-root, no privilege escalation`);
  for (const path of [props["ptserver.data-dir"], "/tmp"]) {
    check(mounts[path] && !mounts[path].readOnly, `${tag} ${path} is a writable mount`);
  }
  const cfgMount = c.volumeMounts.find((m) => m.name === "config")?.mountPath;
  check(c.args?.some((a) => a === `--spring.config.additional-location=optional:file:${cfgMount}/`),
    `${tag} Spring reads the ConfigMap mounted at ${cfgMount}`);

  // Metrics.
  const exposed = (props["management.endpoints.web.exposure.include"] ?? "").split(",");
  for (const sm of r.byKind("ServiceMonitor")) {
    for (const ep of sm.spec.endpoints) {
      check(ep.path === `${base}/prometheus`, `${tag} ServiceMonitor path ${ep.path} = ${base}/prometheus`);
      const mgmt = services.find((s) => Object.entries(sm.spec.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
      check(mgmt?.spec.ports.some((p) => p.name === ep.port), `${tag} ServiceMonitor port ${ep.port} is on the selected Service`);
      check(exposed.includes("prometheus"), `${tag} ServiceMonitor => prometheus endpoint exposed`);
    }
  }

  // helm test: calls the Rx Service on its port.
  for (const t of r.byKind("Pod")) {
    const env = Object.fromEntries(t.spec.containers[0].env.map((e) => [e.name, e.value]));
    check(env.RX_SERVICE?.startsWith(`${rxSvc.metadata.name}.`), `${tag} helm test calls Service ${rxSvc.metadata.name}`);
    check(env.RX_PORT === String(rxSvc.spec.ports[0].port), `${tag} helm test uses the Service port ${rxSvc.spec.ports[0].port}`);
  }
  return r;
}

// Every property the chart writes must mean something to the application: a property of the configuration metadata
// in its jar (Boot's, rxrpc-starter's, ...), an entry of a Map-typed property (logging.level.<logger>), or a property
// the application's own application.properties sets (its @ConfigurationProperties have no metadata).
function knownProperties() {
  const dir = process.env.CHECK_METADATA_DIR;
  if (!dir || !existsSync(dir)) return null;
  const exact = new Set();
  const maps = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json"))) {
    const meta = JSON.parse(readFileSync(join(dir, f), "utf8"));
    for (const p of meta.properties ?? []) {
      exact.add(p.name);
      if (/^java\.util\.Map</.test(p.type ?? "")) maps.push(p.name + ".");
    }
  }
  return { exact, maps, files: readdirSync(dir).length };
}

// The application's own settings.
function contractSettings() {
  const text = readFileSync(join(root, "docs/design/contracts.md"), "utf8");
  const section = text.split("## ptserver example")[1].split("\n## ")[0];
  const grab = (re, what) => {
    const m = section.match(re);
    if (!m) throw new Error(`contracts.md: ptserver section has no ${what}`);
    return m[1];
  };
  return {
    source: "docs/design/contracts.md",
    "rxrpc.server.port": grab(/`rxrpc\.server\.port=(\d+)`/, "rxrpc.server.port"),
    "management.server.port": grab(/`management\.server\.port=(\d+)`/, "management.server.port"),
    liveness: grab(/`(\/[^`]*\/health\/liveness)`/, "liveness path"),
    readiness: grab(/`(\/[^`]*\/health\/readiness)`/, "readiness path"),
    prometheus: grab(/`(\/[^`]*\/prometheus)`/, "prometheus path"),
  };
}

function applicationSettings() {
  const dir = join(root, "examples/ptserver/src/main/resources");
  for (const name of ["application.properties", "application.yml", "application.yaml"]) {
    const f = join(dir, name);
    if (!existsSync(f)) continue;
    const text = readFileSync(f, "utf8");
    const props = name.endsWith(".properties") ? parseProperties(text) : flatten(parseYaml(text));
    const base = props["management.endpoints.web.base-path"] ?? "/actuator";
    return {
      source: `examples/ptserver/src/main/resources/${name}`,
      "rxrpc.server.port": props["rxrpc.server.port"],
      "management.server.port": props["management.server.port"],
      "server.port": props["server.port"],
      liveness: `${base}/health/liveness`,
      readiness: `${base}/health/readiness`,
      prometheus: `${base}/prometheus`,
      probesEnabled: props["management.endpoint.health.probes.enabled"],
      exposure: props["management.endpoints.web.exposure.include"],
    };
  }
  return null;
}

const def = checkRender(defaultRender);
for (const f of otherRenders) checkRender(f);

const c = def.workload.spec.template.spec.containers.find((x) => x.name === "ptserver");
const rendered = {
  "rxrpc.server.port": String(c.ports.find((p) => p.name === "afs3-prserver").containerPort),
  "management.server.port": String(c.ports.find((p) => p.name === "management").containerPort),
  liveness: c.livenessProbe.httpGet.path,
  readiness: c.readinessProbe.httpGet.path,
  prometheus: `${def.props["management.endpoints.web.base-path"] ?? "/actuator"}/prometheus`,
};
const rxSvc = def.byKind("Service").find((s) => s.metadata.name === def.workload.metadata.name);
const sources = [contractSettings()];
const app = applicationSettings();
if (app) sources.push(app);
else console.log("NOTE examples/ptserver/src/main/resources/application.{properties,yml,yaml} absent: checking against contracts.md only");
for (const src of sources) {
  for (const key of Object.keys(rendered)) {
    check(src[key] === rendered[key], `default render vs ${src.source}: ${key} ${rendered[key]} = ${src[key]}`);
  }
  check(String(rxSvc.spec.ports[0].port) === src["rxrpc.server.port"],
    `default render vs ${src.source}: Rx Service port ${rxSvc.spec.ports[0].port} = ${src["rxrpc.server.port"]}`);
}
if (app) {
  check(app["server.port"] === undefined || app["server.port"] === app["management.server.port"],
    `${app.source}: server.port ${app["server.port"]} is the management port (the chart moves both together)`);
  check(app.probesEnabled === undefined || app.probesEnabled === "true", `${app.source}: health probes not disabled`);
}

const known = knownProperties();
check(known && known.exact.has("rxrpc.server.shutdown.abort-code") && known.exact.has("spring.lifecycle.timeout-per-shutdown-phase"),
  `configuration metadata from examples/ptserver/target/ptserver.jar found (${known ? known.files : 0} files) with rxrpc-starter's and Boot's properties`);
if (known) {
  const appText = app ? readFileSync(join(root, app.source), "utf8") : "";
  const appProps = !app ? {} : app.source.endsWith(".properties") ? parseProperties(appText) : flatten(parseYaml(appText));
  for (const f of [defaultRender, ...otherRenders]) {
    for (const key of Object.keys(load(f).props)) {
      const ok = known.exact.has(key) || known.maps.some((m) => key.startsWith(m)) || key in appProps;
      check(ok, `${f}: property ${key} is known to the application (configuration metadata or its application.properties)`);
    }
  }
}

// The image recipe exposes the same ports.
const dockerfile = join(root, "examples/ptserver/Dockerfile");
if (existsSync(dockerfile)) {
  const expose = readFileSync(dockerfile, "utf8").match(/^EXPOSE\s+(.+)$/m)?.[1].split(/\s+/) ?? [];
  check(expose.includes(`${rendered["rxrpc.server.port"]}/udp`), `Dockerfile EXPOSE ${expose.join(" ")} has ${rendered["rxrpc.server.port"]}/udp`);
  check(expose.includes(`${rendered["management.server.port"]}/tcp`) || expose.includes(rendered["management.server.port"]),
    `Dockerfile EXPOSE ${expose.join(" ")} has ${rendered["management.server.port"]}/tcp`);
} else {
  check(false, "examples/ptserver/Dockerfile exists");
}

console.log(`config: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
