// Validates every object of a rendered overlay (kubectl kustomize output on stdin) against the
// Kubernetes API schema of kubernetes-models (a wrong type, a missing required field or a bad value fails
// with its path), then checks that every container of ours gets every setting its service cannot start
// without. Exit 1 on the first problem.
import { parseAllDocuments } from "yaml";
import { readFileSync } from "node:fs";
// Only the generated models (field names and types per API type); the client itself needs a newer Node.
import * as fieldLists from "@kubernetes/client-node/dist/gen/models/all.js";

const root = new URL("../../", import.meta.url);

/**
 * Settings a service refuses to start without, as environment variables: every ${VAR} without a default
 * in its application.properties, plus @ConfigMapping members without a default (listed here, with where).
 */
function required(service) {
  const props = readFileSync(new URL(`${service}/src/main/resources/application.properties`, root), "utf8");
  const vars = [...props.matchAll(/^[^#%\n][^=\n]*=.*\$\{([A-Z0-9_]+)\}/gm)].map((m) => m[1]);
  const mapped = {
    "wallet-gateway": ["GATEWAY_API_TOKEN", "GATEWAY_WALLET_SECRET"], // GatewayConfig.apiToken(), walletSecret()
    "escrow-service": ["QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD"], // PostgreSQL
  };
  return [...new Set([...vars, ...(mapped[service] ?? []), "QUARKUS_HTTP_HOST"])]; // 127.0.0.1 by default: unreachable in a pod
}

/**
 * kubernetes-models accepts fields it does not know, so a misspelt optional field would pass. This walk
 * checks every field name against the API type's own field list (@kubernetes/client-node's generated models).
 */
function unknownFields(value, type, path, found) {
  if (value === null || value === undefined) return found;
  const array = type.match(/^Array<(.+)>$/);
  if (array) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, array[1], `${path}[${i}]`, found));
    return found;
  }
  const map = type.match(/^\{ \[key: string\]: (.+); \}$/);
  if (map) {
    if (typeof value === "object") for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${path}.${k}`, found);
    return found;
  }
  const model = fieldLists[type];
  if (!model?.getAttributeTypeMap || typeof value !== "object") return found; // strings, numbers, IntOrString, quantities
  const fields = model.getAttributeTypeMap();
  for (const [k, v] of Object.entries(value)) {
    const field = fields.find((f) => f.baseName === k);
    if (!field) found.push(`${path}.${k}: no such field in ${type}`);
    else unknownFields(v, field.type, `${path}.${k}`, found);
  }
  return found;
}

const services = ["escrow-service", "wallet-gateway", "trace-exporter"];
const text = readFileSync(0, "utf8");
let count = 0;
let gatewaySet = null;
let gatewayUrls = null;
for (const doc of parseAllDocuments(text)) {
  const obj = doc.toJS();
  if (!obj) continue;
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : [null, obj.apiVersion];
  const module = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  const models = await import(module);
  const Model = models[obj.kind];
  if (!Model) {
    console.error(`${obj.kind} ${obj.metadata?.name}: no schema for ${obj.apiVersion} ${obj.kind}`);
    process.exit(1);
  }
  try {
    new Model(obj).validate();
  } catch (e) {
    console.error(`${obj.kind} ${obj.metadata?.name}: ${e.message}`);
    process.exit(1);
  }
  const apiVersion = obj.apiVersion.split("/").pop();
  const rootType = `${apiVersion[0].toUpperCase()}${apiVersion.slice(1)}${obj.kind}`;
  if (!fieldLists[rootType]) {
    console.error(`${obj.kind} ${obj.metadata?.name}: no field list for ${rootType}`);
    process.exit(1);
  }
  const unknown = unknownFields(obj, rootType, obj.kind, []);
  if (unknown.length) {
    console.error(`${obj.kind} ${obj.metadata?.name}: ${unknown.join("; ")}`);
    process.exit(1);
  }
  for (const c of obj.spec?.template?.spec?.containers ?? []) {
    if (!services.includes(c.name) || !c.image?.startsWith("escrow-stack/")) continue;
    const given = new Set((c.env ?? []).map((e) => e.name));
    const missing = required(c.name).filter((v) => !given.has(v));
    if (missing.length) {
      console.error(`${obj.kind} ${obj.metadata.name}: container ${c.name} lacks required settings ${missing.join(", ")}`);
      process.exit(1);
    }
  }
  if (obj.kind === "StatefulSet" && obj.metadata.name === "wallet-gateway") gatewaySet = obj;
  for (const c of obj.spec?.template?.spec?.containers ?? []) {
    const urls = c.name === "escrow-service" && (c.env ?? []).find((e) => e.name === "WALLET_GATEWAY_URLS");
    if (urls) gatewayUrls = urls.value ?? "";
  }
  count++;
}

// escrow-service must list exactly the gateway pods that exist: a pod missing from the list gets no
// escrows and its escrows' wallets cannot be reached; a listed pod that does not exist is never up.
if (gatewaySet && gatewayUrls !== null) {
  const { replicas = 1 } = gatewaySet.spec;
  const expected = [...Array(replicas).keys()].map((i) => `${gatewaySet.metadata.name}-${i}.${gatewaySet.spec.serviceName}`);
  const hosts = gatewayUrls.split(",").map((u) => new URL(u.trim()).hostname);
  const pods = hosts.map((h) => expected.find((p) => h === p || h.startsWith(`${p}.`)) ?? h);
  if (pods.length !== expected.length || pods.some((p, i) => p !== expected[i])) {
    console.error(`escrow-service: WALLET_GATEWAY_URLS names ${hosts.join(", ")}; the wallet-gateway StatefulSet has ` +
      `${replicas} pod(s), which must be listed in order: ${expected.join(", ")}`);
    process.exit(1);
  }
}
console.log(`${count} objects valid`);
