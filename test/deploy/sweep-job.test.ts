// Proves the Kubernetes manifest for sharded sweeps is valid YAML with what an Indexed Job needs (completion mode,
// completions = parallelism = the shard count lbsim is told, a restart policy, the index reaching `--shard env`,
// one shared volume for shards and merge), and that the image installs from the lockfile. No cluster runs here:
// this checks the manifest's structure and the values that must agree, not a deployment.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";

const ROOT = resolve(__dirname, "..", "..");

interface Container { name: string; image: string; command?: string[]; args?: string[]; env?: Array<{ name: string; value: string }>; volumeMounts?: Array<{ name: string; mountPath: string }> }
interface PodSpec { restartPolicy: string; containers: Container[]; initContainers?: Container[]; volumes: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }> }
interface Doc { apiVersion: string; kind: string; metadata: { name: string }; spec: Record<string, unknown> & { template?: { spec: PodSpec } } }

const docs = parseAllDocuments(readFileSync(join(ROOT, "deploy", "kubernetes", "sweep-job.yaml"), "utf8")).map((d) => {
  expect(d.errors).toEqual([]);
  return d.toJS() as Doc;
});
const byName = (name: string): Doc => docs.find((d) => d.metadata.name === name)!;
const envOf = (c: Container, name: string): string | undefined => c.env?.find((e) => e.name === name)?.value;

describe("deploy/kubernetes/sweep-job.yaml", () => {
  it("is a claim, an Indexed Job of shards and a merge Job", () => {
    expect(docs.map((d) => `${d.apiVersion} ${d.kind} ${d.metadata.name}`)).toEqual([
      "v1 PersistentVolumeClaim lbsim-sweep-results",
      "batch/v1 Job lbsim-sweep",
      "batch/v1 Job lbsim-sweep-merge",
    ]);
  });

  it("runs one shard per index, with the count lbsim is told", () => {
    const job = byName("lbsim-sweep");
    expect(job.spec.completionMode).toBe("Indexed");
    expect(job.spec.parallelism).toBe(job.spec.completions);
    const pod = job.spec.template!.spec;
    expect(["Never", "OnFailure"]).toContain(pod.restartPolicy);
    const shard = pod.containers[0]!;
    expect(Number(envOf(shard, "LBSIM_SHARD_COUNT"))).toBe(job.spec.completions);
    const line = [...(shard.command ?? []), ...(shard.args ?? [])].join(" ");
    expect(line).toMatch(/ sweep /);
    expect(line).toContain("--shard env");
    // Each index writes its own file on the shared volume.
    expect(line).toMatch(/--out-shard "\/results\/shard-\$\{JOB_COMPLETION_INDEX\}\.json"/);
    expect(shard.volumeMounts).toContainEqual({ name: "results", mountPath: "/results" });
  });

  it("merges from the same volume once every shard file is there", () => {
    const merge = byName("lbsim-sweep-merge");
    const pod = merge.spec.template!.spec;
    const wait = pod.initContainers![0]!;
    expect(Number(envOf(wait, "EXPECTED_SHARDS"))).toBe(byName("lbsim-sweep").spec.completions);
    expect(pod.containers[0]!.args!.join(" ")).toMatch(/ merge \/results\/shard-\*\.json --out /);
    const claims = (doc: Doc) => doc.spec.template!.spec.volumes.flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
    expect(claims(merge)).toEqual(["lbsim-sweep-results"]);
    expect(claims(byName("lbsim-sweep"))).toEqual(["lbsim-sweep-results"]);
    expect(byName("lbsim-sweep-results").spec.accessModes).toEqual(["ReadWriteMany"]);
  });

  it("uses an image built from the lockfile", () => {
    const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
    expect(dockerfile).toMatch(/COPY package\.json package-lock\.json/);
    expect(dockerfile).toMatch(/RUN npm ci /);
    expect(dockerfile).not.toMatch(/npm install/);
    const images = new Set(docs.flatMap((d) => [...(d.spec.template?.spec.containers ?? []), ...(d.spec.template?.spec.initContainers ?? [])].map((c) => c.image)));
    const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect([...images]).toEqual([`lbsim:${version}`]);
  });
});
