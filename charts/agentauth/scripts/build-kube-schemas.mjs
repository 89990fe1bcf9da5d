#!/usr/bin/env node
// Builds the offline JSON schemas kubeconform validates the rendered chart against.
//
//   node build-kube-schemas.mjs --out DIR --k8s-json DIR:VERSION [...] --crds FILE [...]
//
// --k8s-json: a "vX.Y.Z-local-strict" folder of the kubernetes-validate wheel (PyPI). Its kind
//   files point at "/api/_definitions.json" and carry https $ids; kubeconform resolves refs with a
//   file loader, so ids are dropped and refs made relative. Output: DIR/vX.Y.Z-standalone-strict/,
//   the layout kubeconform looks up by default under -schema-location DIR.
// --crds: CustomResourceDefinition YAML (the Gateway API and Envoy Gateway CRDs that ship in the
//   Envoy Gateway Go module). Each served version's openAPIV3Schema becomes a strict JSON schema
//   at DIR/crds/<group>/<kind>_<version>.json. CEL rules (x-kubernetes-validations) cannot be
//   checked offline and are dropped; egctl's translator covers the semantics.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

function parseArgs(argv) {
  const args = { out: '', k8s: [], crds: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--out') args.out = value;
    else if (flag === '--k8s-json') args.k8s.push(value);
    else if (flag === '--crds') args.crds.push(value);
    else throw new Error(`unknown flag ${flag}`);
    i += 1;
  }
  if (!args.out) throw new Error('--out is required');
  return args;
}

const DEFINITIONS_REF = /"\/api\/_definitions\.json#/g;

function copyKubernetesSchemas(spec, out) {
  const split = spec.lastIndexOf(':');
  const dir = spec.slice(0, split);
  const version = spec.slice(split + 1);
  const target = join(out, `v${version}-standalone-strict`);
  mkdirSync(target, { recursive: true });
  let count = 0;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json') || name === 'all.json') continue;
    const schema = JSON.parse(
      readFileSync(join(dir, name), 'utf8').replace(DEFINITIONS_REF, '"_definitions.json#'),
    );
    if (schema && typeof schema === 'object') delete schema.$id;
    writeFileSync(join(target, name), JSON.stringify(schema));
    count += 1;
  }
  return count;
}

/** OpenAPI v3 (structural CRD schema) to a strict JSON schema. */
function toJsonSchema(node) {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'x-kubernetes-validations') continue;
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]));
    } else if (key === 'additionalProperties' || key === 'items' || key === 'not') {
      out[key] = typeof value === 'object' ? toJsonSchema(value) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      out[key] = value.map(toJsonSchema);
    } else {
      out[key] = value;
    }
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  delete out.nullable;
  const preserve = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (out.properties && out.additionalProperties === undefined && !preserve) {
    out.additionalProperties = false;
  }
  return out;
}

function convertCrds(file, out) {
  // The Envoy Gateway chart wraps its CRD files in a Helm "if"; those lines are not YAML.
  const text = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('{{'))
    .join('\n');
  let count = 0;
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const crd = doc.toJS();
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, names, versions } = crd.spec;
    const dir = join(out, 'crds', group);
    mkdirSync(dir, { recursive: true });
    for (const version of versions) {
      if (!version.served || !version.schema?.openAPIV3Schema) continue;
      const schema = toJsonSchema(version.schema.openAPIV3Schema);
      schema.properties.apiVersion = { type: 'string', enum: [`${group}/${version.name}`] };
      schema.properties.kind = { type: 'string', enum: [names.kind] };
      schema.required = [...new Set(['apiVersion', 'kind', ...(schema.required ?? [])])];
      const name = `${names.kind.toLowerCase()}_${version.name}.json`;
      writeFileSync(join(dir, name), JSON.stringify(schema));
      count += 1;
    }
  }
  return count;
}

const args = parseArgs(process.argv.slice(2));
for (const spec of args.k8s) {
  const n = copyKubernetesSchemas(spec, args.out);
  process.stderr.write(`kube-schemas: ${n} Kubernetes schemas from ${spec}\n`);
}
for (const file of args.crds) {
  const n = convertCrds(file, args.out);
  process.stderr.write(`kube-schemas: ${n} CRD schemas from ${file}\n`);
}
