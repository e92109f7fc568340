// Pack folders with the npm package simple-scorm-packager, timed, for benchmarks/run.py.
//
//   node benchmarks/ssp_pack.js SPEC.json
//
// SPEC: {"repeats": 3, "jobs": [{"source": DIR, "output": DIR, "version": "1.2" | "2004 4th Edition",
//        "language": "fr", "title": "...", "identifier": "...", "startingPage": "sco-course.html"}]}
// Each job is one package, made with the package's documented API (README, "Programatic usage"):
// it writes imsmanifest.xml, metadata.xml and the schema files into the source folder, then zips
// the folder. Between two jobs on the same folder, the files it added are removed (not timed), so
// every job packs the same content. Prints JSON: per repeat, the summed wall and CPU time of the
// jobs (measured in this process, as ours are measured in Python's), and the zip sizes.
"use strict";

const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const packagerDir = path.join(root, "node_modules", "simple-scorm-packager");
const scopackager = require(packagerDir);

function addedFiles(version) {
  const edition = version === "1.2" ? "scorm12edition" : "scorm20044thedition";
  const definitions = fs.readdirSync(path.join(packagerDir, "lib", "schemas", "definitionFiles", edition));
  return ["imsmanifest.xml", "metadata.xml", ...definitions];
}

function clean(source) {
  for (const version of ["1.2", "2004 4th Edition"]) {
    for (const name of addedFiles(version)) fs.rmSync(path.join(source, name), { force: true });
  }
}

function packOnce(job) {
  return new Promise((resolve) => {
    scopackager({
      version: job.version,
      organization: "Bon Sens",
      title: job.title,
      language: job.language,
      identifier: job.identifier,
      masteryScore: 80,
      startingPage: job.startingPage,
      source: job.source,
      package: { version: "1.0.0", zip: true, outputFolder: job.output, date: "2000-01-01",
                 name: job.identifier, description: job.title },
    }, resolve);
  });
}

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const log = console.log;
  const runs = [];
  for (let r = 0; r < (spec.repeats || 1); r++) {
    let wallMs = 0;
    let cpuMs = 0;
    const sizes = {};
    for (const job of spec.jobs) {
      clean(job.source);
      fs.rmSync(job.output, { recursive: true, force: true });
      console.log = () => {}; // the packager logs every file it writes
      const cpu = process.cpuUsage();
      const start = process.hrtime.bigint();
      await packOnce(job);
      wallMs += Number(process.hrtime.bigint() - start) / 1e6;
      const used = process.cpuUsage(cpu);
      cpuMs += (used.user + used.system) / 1000;
      console.log = log;
      for (const name of fs.readdirSync(job.output)) {
        sizes[`${job.identifier} ${job.version}`] = fs.statSync(path.join(job.output, name)).size;
      }
    }
    runs.push({ wall: wallMs / 1000, cpu: cpuMs / 1000, sizes });
  }
  for (const job of spec.jobs) clean(job.source);
  process.stdout.write(JSON.stringify({ packages: spec.jobs.length, runs }) + "\n");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
