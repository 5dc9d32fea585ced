// Validates Kubernetes manifests offline against the Kubernetes OpenAPI schemas (and prometheus-operator's CRD schemas),
// in two passes, because neither alone is strict:
//  1. kubernetes-models' validate(): the JSON schema generated from the OpenAPI document, so types, formats, enums
//     and required fields; it lets unknown fields through, as the schema has no additionalProperties: false.
//  2. the same models' TypeScript declarations through tsc: every manifest becomes an object literal typed as its
//     kind, and TypeScript refuses any property its type does not declare (an excess property), at any depth; so a
//     misspelt or misplaced field fails, as `kubectl apply --validate=strict` would against a cluster.
//
// Usage: node validate.mjs MANIFESTS.json, where the file holds [{"source": "templates/x.yaml", "manifest": {…}}, …].
// Prints one line per manifest, "OK <source> <kind>/<name>" or "INVALID <source> <kind>/<name> <json pointer>:
// <problem>", and exits 0 when all are valid, 1 when one is not, 2 when it cannot check (bad input, unknown kind).
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The module and TypeScript type of a kind, or null when no schema is known for it. */
function modelOf(apiVersion, kind) {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^[A-Za-z]+$/.test(kind)) {
    return null;
  }
  if (apiVersion.startsWith('monitoring.coreos.com/')) {
    return { module: `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`, type: `I${kind}` };
  }
  // core kinds are apiVersion "v1": kubernetes-models/v1/ConfigMap; the others kubernetes-models/apps/v1/Deployment
  return { module: `kubernetes-models/${apiVersion}/${kind}`, type: `I${kind}` };
}

/** JSON pretty-printed, and the JSON pointer each output line is about (for tsc's line numbers). */
function printWithPointers(value) {
  const lines = [];
  const pointers = [];
  const escape = (segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
  const emit = (text, pointer) => { lines.push(text); pointers.push(pointer); };
  const walk = (node, indent, prefix, pointer, trailer) => {
    const pad = '  '.repeat(indent);
    if (Array.isArray(node) && node.length > 0) {
      emit(`${pad}${prefix}[`, pointer);
      node.forEach((item, i) => walk(item, indent + 1, '', `${pointer}/${i}`, i < node.length - 1 ? ',' : ''));
      emit(`${pad}]${trailer}`, pointer);
    } else if (node !== null && typeof node === 'object' && Object.keys(node).length > 0) {
      emit(`${pad}${prefix}{`, pointer);
      const keys = Object.keys(node);
      keys.forEach((key, i) => walk(node[key], indent + 1, `${JSON.stringify(key)}: `, `${pointer}/${escape(key)}`,
        i < keys.length - 1 ? ',' : ''));
      emit(`${pad}}${trailer}`, pointer);
    } else {
      emit(`${pad}${prefix}${JSON.stringify(node)}${trailer}`, pointer);
    }
  };
  walk(value, 0, '', '', '');
  return { lines, pointers };
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate.mjs MANIFESTS.json');
  process.exit(2);
}
const entries = JSON.parse(readFileSync(file, 'utf8'));
const problems = new Map(entries.map((_, i) => [i, []]));
const label = (e) => `${e.source} ${e.manifest?.kind}/${e.manifest?.metadata?.name}`;

// pass 1: the JSON schemas
for (const [i, entry] of entries.entries()) {
  const model = modelOf(entry.manifest?.apiVersion, entry.manifest?.kind);
  if (!model) {
    console.error(`no schema known for apiVersion ${entry.manifest?.apiVersion}, kind ${entry.manifest?.kind} (${entry.source})`);
    process.exit(2);
  }
  let Model;
  try {
    Model = (await import(model.module))[entry.manifest.kind];
  } catch (e) {
    console.error(`no schema known for ${entry.manifest.apiVersion} ${entry.manifest.kind}: ${e.message}`);
    process.exit(2);
  }
  if (typeof Model !== 'function') {
    console.error(`no model ${entry.manifest.kind} in ${model.module} (${entry.source})`);
    process.exit(2);
  }
  try {
    new Model(entry.manifest).validate();
  } catch (e) {
    for (const error of e.errors ?? [{ instancePath: '', message: e.message }]) {
      const detail = error.params?.missingProperty ? ` (${error.params.missingProperty})` : '';
      problems.get(i).push(`${error.instancePath || '/'}: ${error.message}${detail}`);
    }
  }
}

// pass 2: unknown fields, through the TypeScript declarations of the same models
const work = mkdtempSync(join(tmpdir(), 'helm-validate-'));
try {
  symlinkSync(join(here, 'node_modules'), join(work, 'node_modules'), 'dir');
  const maps = [];
  const files = entries.map((entry, i) => {
    const model = modelOf(entry.manifest.apiVersion, entry.manifest.kind);
    const header = [`import type { ${model.type} } from ${JSON.stringify(model.module)};`];
    const { lines, pointers } = printWithPointers(entry.manifest);
    lines[0] = `export const manifest: ${model.type} = ${lines[0]}`;
    lines[lines.length - 1] += ';';
    maps.push({ offset: header.length, pointers });
    const name = `m${i}.ts`;
    writeFileSync(join(work, name), [...header, ...lines, ''].join('\n'));
    return name;
  });
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022',
      skipLibCheck: true, types: [],
    },
    files,
  }));
  const tsc = spawnSync(process.execPath, [join(here, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
    { cwd: work, encoding: 'utf8' });
  if (tsc.error) {
    console.error(`tsc could not run: ${tsc.error.message}`);
    process.exit(2);
  }
  const output = `${tsc.stdout}${tsc.stderr}`;
  const errorLine = /^m(\d+)\.ts\((\d+),(\d+)\): error (TS\d+): (.*)$/;
  let understood = 0;
  for (const line of output.split('\n')) {
    const match = errorLine.exec(line.trim());
    if (!match) {
      continue;
    }
    understood++;
    const i = Number(match[1]);
    const map = maps[i];
    const pointer = map.pointers[Number(match[2]) - 1 - map.offset] ?? '?';
    problems.get(i).push(`${pointer || '/'}: ${match[5]} [${match[4]}]`);
  }
  if (tsc.status !== 0 && understood === 0) {
    console.error(`tsc failed without a diagnostic this script understands:\n${output}`);
    process.exit(2);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

let invalid = 0;
for (const [i, entry] of entries.entries()) {
  const found = problems.get(i);
  if (found.length === 0) {
    console.log(`OK ${label(entry)}`);
  }
  for (const problem of found) {
    invalid++;
    console.log(`INVALID ${label(entry)} ${problem}`);
  }
}
process.exit(invalid === 0 ? 0 : 1);
