// Validates rendered `helm template` output against the Kubernetes API schemas, offline.
// Usage: node validate.mjs <manifest.yaml>...
// Per document: YAML errors (duplicate keys included), the kubernetes-models JSON-schema validation (types, required
// fields, int32 formats), and a strict walk over the models' type declarations that rejects fields the API does not
// know (the JSON schemas allow them, the API server drops or refuses them: a typo like `sessionAfinity` passes
// everything else). Prints one line per failure and a closing "N passed, N failed".
import { readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

// Kinds outside kubernetes-models, and the package that models them.
const CRD_PACKAGES = { "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };

function modelModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  if (group && CRD_PACKAGES[group]) return `${CRD_PACKAGES[group]}/${group}/${version}/${kind}`;
  return `kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`;
}

// --- strict field check, from the .d.ts declarations next to each model ---------------------------------------
const declCache = new Map();

/** Field name -> type text of the first `declare class` in a .d.ts file, plus its import table. */
function declarations(dtsPath) {
  if (declCache.has(dtsPath)) return declCache.get(dtsPath);
  const text = readFileSync(dtsPath, "utf8");
  const imports = new Map();
  for (const m of text.matchAll(/import \{ ([^}]+) \} from "([^"]+)";/g)) {
    for (const name of m[1].split(",").map((s) => s.trim())) imports.set(name, m[2]);
  }
  const cls = text.match(/export declare class \w+[^{]*\{([\s\S]*?)\n\}/);
  const fields = new Map();
  if (cls) {
    for (const f of cls[1].matchAll(/^\s*"([^"]+)"\??: ([^;]+);/gm)) fields.set(f[1], f[2].trim());
  }
  const result = { fields, imports, dir: dirname(dtsPath) };
  declCache.set(dtsPath, result);
  return result;
}

// The packages map their subpaths one to one onto files (see their "exports"); resolving by hand keeps this
// working on Node 18, where import.meta.resolve is still behind a flag.
const NODE_MODULES = join(dirname(fileURLToPath(import.meta.url)), "node_modules");
function resolveDts(spec, fromDir) {
  const js = spec.startsWith(".") ? resolvePath(fromDir, spec) : join(NODE_MODULES, spec);
  const dts = js.replace(/\.js$/, "") + ".d.ts";
  return existsSync(dts) ? dts : null;
}

/** Reports every field of `value` that the declared type does not have, recursing into declared model types. */
function strictWalk(value, dtsPath, path, problems) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const { fields, imports, dir } = declarations(dtsPath);
  if (fields.size === 0) return; // a free-form type (IntOrString, Quantity, RawExtension...)
  for (const [key, child] of Object.entries(value)) {
    const type = fields.get(key);
    if (type === undefined) {
      problems.push(`${path}/${key}: unknown field (not in the API type)`);
      continue;
    }
    const elem = type.match(/^Array<(I\w+)>$/);
    const ref = elem ? elem[1] : /^I\w+$/.test(type) ? type : null;
    if (!ref || !imports.has(ref)) continue;
    const childDts = resolveDts(imports.get(ref), dir);
    if (!childDts) {
      problems.push(`${path}/${key}: cannot find the declaration of ${ref} (${imports.get(ref)})`);
      continue;
    }
    if (elem && Array.isArray(child)) child.forEach((c, i) => strictWalk(c, childDts, `${path}/${key}/${i}`, problems));
    else strictWalk(child, childDts, `${path}/${key}`, problems);
  }
}

// --- main ------------------------------------------------------------------------------------------------------
let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length) {
      failed++;
      console.log(`FAIL ${file}: YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const o = doc.toJS();
    if (!o) continue;
    const id = `${file}: ${o.apiVersion} ${o.kind} ${o.metadata?.name}`;
    const problems = [];
    let modulePath;
    try {
      modulePath = modelModule(o.apiVersion, o.kind);
      const Model = (await import(modulePath))[o.kind];
      new Model(o).validate();
    } catch (e) {
      problems.push(e.code === "ERR_MODULE_NOT_FOUND" ? `no schema for this kind (${modulePath})` : e.message);
    }
    if (!problems.length) {
      const dts = resolveDts(modulePath, null);
      if (dts) strictWalk(o, dts, "", problems);
      else problems.push(`cannot find the declaration of ${modulePath}`);
    }
    if (problems.length) {
      failed++;
      for (const p of problems) console.log(`FAIL ${id}: ${p}`);
    } else {
      passed++;
    }
  }
}
console.log(`schema: ${passed} passed, ${failed} failed`);
process.exit(failed || !passed ? 1 : 0);
