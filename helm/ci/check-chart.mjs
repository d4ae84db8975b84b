// Checks on the chart's own files that helm does not make.
// Usage: node check-chart.mjs <repo-root>
//  - values.schema.json and values.yaml describe the same keys: every value has a schema entry, every schema entry a
//    default, every object in the schema closes itself (additionalProperties false) unless it is a free-form map;
//  - the Grafana dashboard queries only the project's meters (framework-conventions §3 "Recommended RxRPC meters", as
//    Micrometer's Prometheus registry names them) and groups only by their tags; once the starter or core name the
//    meters in code, every meter the dashboard uses must be among them.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";

const root = process.argv[2];
const chart = join(root, "helm/rxrpc-ptserver");
let passed = 0;
let failed = 0;
function check(cond, what) {
  if (cond) passed++;
  else {
    failed++;
    console.log(`FAIL ${what}`);
  }
}

// --- values.yaml <-> values.schema.json -----------------------------------------------------------------------
const values = parseYaml(readFileSync(join(chart, "values.yaml"), "utf8"));
const schema = JSON.parse(readFileSync(join(chart, "values.schema.json"), "utf8"));
// Free-form by design: maps of names, Kubernetes objects passed through, Spring properties.
const FREE_FORM = new Set(["config", "podAnnotations", "podLabels", "nodeSelector", "affinity", "podSecurityContext",
  "securityContext", "resources.requests", "resources.limits", "serviceAccount.annotations", "service.annotations",
  "service.labels", "headlessService.annotations", "management.service.annotations", "metrics.serviceMonitor.labels"]);

function walk(val, sch, path) {
  const here = path.join(".");
  if (sch === undefined) {
    check(false, `values.yaml ${here}: no entry in values.schema.json`);
    return;
  }
  if (FREE_FORM.has(here)) return;
  if (val !== null && typeof val === "object" && !Array.isArray(val)) {
    check(sch.type === "object" && sch.additionalProperties === false, `values.schema.json ${here || "(root)"}: closed object`);
    for (const [k, v] of Object.entries(val)) walk(v, sch.properties?.[k], [...path, k]);
    for (const k of Object.keys(sch.properties ?? {})) {
      check(k === "global" || k in val, `values.schema.json ${[...path, k].join(".")}: no default in values.yaml`);
    }
  } else {
    check(sch.type !== undefined || sch.enum !== undefined || sch.oneOf !== undefined,
      `values.schema.json ${here}: constrains its type`);
  }
}
walk(values, schema, []);

// --- dashboard --------------------------------------------------------------------------------------------------
// Recommended RxRPC meters: dotted name, Micrometer type, tags.
const METERS = {
  // From the rxrpc.server observation (DefaultMeterObservationHandler): the timer and its LongTaskTimer.
  "rxrpc.server": ["timer", ["rpc.system", "rpc.service", "rpc.method", "rxrpc.opcode", "rxrpc.outcome", "rxrpc.abort_code", "error"]],
  "rxrpc.server.active": ["longTaskTimer", ["rpc.system", "rpc.service", "rpc.method", "rxrpc.opcode"]],
  // The starter's transport and server meters (dev.rxrpc.spring.metrics.RxRpcMeters).
  "rxrpc.server.calls.active": ["gauge", []],
  "rxrpc.server.calls.busy": ["counter", ["rpc.service"]],
  "rxrpc.server.pool.level": ["gauge", ["rpc.service"]],
  "rxrpc.server.calls.refused": ["counter", ["rxrpc.service_id", "reason", "rxrpc.abort_code"]],
  "rxrpc.transport.packets.received": ["counter", ["type"]],
  "rxrpc.transport.packets.sent": ["counter", ["type"]],
  "rxrpc.transport.packets.retransmitted": ["counter", []],
  "rxrpc.transport.packets.dropped": ["counter", ["reason"]],
  "rxrpc.transport.acks.sent": ["counter", ["reason"]],
  "rxrpc.transport.busy.sent": ["counter", []],
  "rxrpc.transport.calls.completed": ["counter", ["completion"]],
  "rxrpc.transport.rtt": ["timer", []],
  "rxrpc.transport.window.stalls": ["counter", []],
  "rxrpc.transport.connections.active": ["gauge", []],
  "rxrpc.transport.peers": ["gauge", []],
};
const SUFFIXES = {
  timer: ["_seconds_count", "_seconds_sum", "_seconds_max", "_seconds_bucket"],
  longTaskTimer: ["_seconds_active_count", "_seconds_duration_sum", "_seconds_max"],
  counter: ["_total"],
  summaryBytes: ["_bytes_count", "_bytes_sum", "_bytes_max"],
  gauge: [""],
};
const promToMeter = new Map();
for (const [name, [type, tags]] of Object.entries(METERS)) {
  for (const s of SUFFIXES[type]) promToMeter.set(name.replaceAll(".", "_") + s, { name, tags: tags.map((t) => t.replaceAll(".", "_")) });
}
// Labels every scraped series has, and the histogram bucket label.
const SCRAPE_LABELS = ["namespace", "pod", "job", "instance", "le"];

const dashboard = JSON.parse(readFileSync(join(chart, "files/dashboard.json"), "utf8"));
check(typeof dashboard.uid === "string" && dashboard.title, "dashboard.json has a uid and a title");
const exprs = [];
const collect = (panels) => {
  for (const p of panels ?? []) {
    if (p.type !== "row") check((p.targets ?? []).length > 0, `dashboard panel "${p.title}" has queries`);
    for (const t of p.targets ?? []) exprs.push({ panel: p.title, expr: t.expr });
    collect(p.panels);
  }
};
collect(dashboard.panels);
const used = new Set();
for (const { panel, expr } of exprs) {
  // A metric is a name followed by its selector; every other rxrpc_ word must be a label.
  const metrics = [...expr.matchAll(/\b(rxrpc_[a-z_]+)\{/g)].map((m) => m[1]);
  for (const m of metrics) {
    const meter = promToMeter.get(m);
    check(!!meter, `dashboard "${panel}": ${m} is not a Prometheus name of a documented RxRPC meter`);
    if (meter) used.add(meter.name);
  }
  // Labels in `by (...)` and in selectors must be tags of the meters in the same expression.
  const tags = new Set(SCRAPE_LABELS);
  for (const m of metrics) for (const t of promToMeter.get(m)?.tags ?? []) tags.add(t);
  const labels = [
    ...[...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1].split(",").map((s) => s.trim())),
    ...[...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1].matchAll(/([a-z_]+)\s*(=~|!=|!~|=)/g)].map((x) => x[1])),
  ];
  if (metrics.length) {
    for (const l of labels) check(tags.has(l), `dashboard "${panel}": label ${l} is not a tag of ${metrics.join(", ")}`);
  }
}
check(used.size >= 10, `dashboard uses ${used.size} of the documented meters (expected most of them)`);

// Once the code names meters, the dashboard's must be among them.
const sourceRoots = ["rxrpc-starter/src/main", "rxrpc-core/src/main"].map((d) => join(root, d)).filter(existsSync);
let source = "";
const read = (dir) => {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) read(p);
    else if (/\.(java|properties|json)$/.test(e)) source += readFileSync(p, "utf8") + "\n";
  }
};
sourceRoots.forEach(read);
const named = Object.keys(METERS).filter(
  (m) => source.includes(`"${m}"`) || (m.endsWith(".active") && source.includes(`"${m.slice(0, -".active".length)}"`)),
);
const buildsMeters = /\b(Counter|Timer|Gauge|DistributionSummary|LongTaskTimer)\.builder\(|Observation\.createNotStarted\(/.test(source);
if (!buildsMeters) {
  console.log("NOTE no RxRPC meter is named in rxrpc-starter/rxrpc-core sources yet: the dashboard follows framework-conventions §3");
} else {
  for (const m of used) check(named.includes(m), `dashboard meter ${m} is named in rxrpc-starter/rxrpc-core sources`);
}

console.log(`chart: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
