// Validates Kubernetes objects against the API schema (kubernetes-models, generated from the
// Kubernetes OpenAPI document) and against Classcloud's security rules.
//   node validate.mjs [--no-read-only-root] FILE...   (YAML streams or JSON files)
// Prints one line per problem and a summary; exits 1 when any object fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const args = process.argv.slice(2);
// Workloads the driver makes keep a writable root unless their spec asks otherwise; Classcloud's own pods must not.
const requireReadOnlyRoot = !args.includes("--no-read-only-root");
const files = args.filter((a) => !a.startsWith("--"));
const problems = [];
let checked = 0;

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

function podSpecOf(o) {
  if (o.kind === "Pod") return o.spec;
  if (["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(o.kind)) return o.spec?.template?.spec;
  if (o.kind === "CronJob") return o.spec?.jobTemplate?.spec?.template?.spec;
  return undefined;
}

function securityProblems(o) {
  const found = [];
  const pod = podSpecOf(o);
  if (pod) {
    if (pod.hostNetwork || pod.hostPID || pod.hostIPC) found.push("shares a host namespace");
    for (const v of pod.volumes ?? []) if (v.hostPath) found.push(`volume ${v.name} is a hostPath`);
    for (const c of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
      const sc = c.securityContext ?? {};
      const where = `container ${c.name}`;
      if ((sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot) !== true) found.push(`${where} may run as root (runAsNonRoot)`);
      if ((sc.runAsUser ?? pod.securityContext?.runAsUser) === 0) found.push(`${where} runs as uid 0`);
      if (sc.allowPrivilegeEscalation !== false) found.push(`${where} allows privilege escalation`);
      if (sc.privileged === true) found.push(`${where} is privileged`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) found.push(`${where} does not drop ALL capabilities`);
      for (const cap of sc.capabilities?.add ?? []) if (["SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "ALL"].includes(cap)) found.push(`${where} adds ${cap}`);
      if ((sc.seccompProfile?.type ?? pod.securityContext?.seccompProfile?.type) !== "RuntimeDefault") found.push(`${where} has no RuntimeDefault seccomp profile`);
      if (!c.resources?.limits?.cpu || !c.resources?.limits?.memory) found.push(`${where} has no CPU and memory limits`);
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) found.push(`${where} has no CPU and memory requests`);
      if (requireReadOnlyRoot && sc.readOnlyRootFilesystem !== true) found.push(`${where} has a writable root filesystem`);
    }
  }
  if (o.kind === "Role" || o.kind === "ClusterRole") {
    for (const [i, rule] of (o.rules ?? []).entries()) {
      for (const field of ["apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs"]) {
        if ((rule[field] ?? []).some((x) => x.includes("*"))) found.push(`rule ${i} has a wildcard in ${field}`);
      }
      for (const verb of rule.verbs ?? []) if (["escalate", "bind", "impersonate"].includes(verb)) found.push(`rule ${i} grants ${verb}`);
    }
  }
  return found;
}

for (const file of files) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      problems.push(`${file}: not YAML/JSON: ${doc.errors[0].message}`);
      continue;
    }
    const o = doc.toJS();
    if (o === null || o === undefined) continue;
    const name = `${file}: ${o.kind}/${o.metadata?.name}`;
    checked++;
    let Model;
    try {
      Model = (await import(modulePath(o.apiVersion ?? "", o.kind ?? "")))[o.kind];
    } catch {
      problems.push(`${name}: unknown apiVersion/kind ${o.apiVersion}/${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (e) {
      problems.push(`${name}: schema: ${e.message}`);
    }
    for (const p of securityProblems(o)) problems.push(`${name}: security: ${p}`);
  }
}

for (const p of problems) console.log(p);
console.log(`${checked} objects checked, ${problems.length} problems`);
process.exit(problems.length > 0 ? 1 : 0);
