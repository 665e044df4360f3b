// The browser libraries the page loads, copied unchanged from the npm packages this folder locks
// (package-lock.json) into the jar's static resources: the jar's build needs Java alone, and no WebJar of them is
// on Maven Central. `node vendor.mjs` refreshes the copies after `npm ci`; `node vendor.mjs --check` fails when a
// copy differs from its locked package (run by run.sh, so a hand edit or a stale copy cannot pass).
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const target = join(here, "../../main/resources/page/lib");

// package: what the page loads of it (ES modules are loaded one file at a time through the page's import map)
const vendored = {
  "@bufbuild/protobuf": ["package.json", "dist/esm"],
  "@connectrpc/connect": ["package.json", "dist/esm"],
  "@connectrpc/connect-web": ["package.json", "dist/esm"],
  "@improbable-eng/grpc-web": ["package.json", "dist/grpc-web-client.umd.js"],
};
const wanted = (path) => statSync(path).isDirectory() || path.endsWith(".js") || path.endsWith("package.json");

function files(root, path = root) {
  if (!statSync(path).isDirectory()) return [relative(root, path)];
  return readdirSync(path).map((name) => join(path, name)).filter(wanted).flatMap((child) => files(root, child));
}

function expected() {
  const all = new Map();
  for (const [pkg, parts] of Object.entries(vendored)) {
    const from = join(here, "node_modules", pkg);
    for (const part of parts) {
      for (const file of files(from, join(from, part))) all.set(join(pkg, file), join(from, file));
    }
  }
  return all;
}

const all = expected();
if (process.argv.includes("--check")) {
  const present = existsSync(target) ? files(target) : [];
  const problems = present.filter((file) => !all.has(file)).map((file) => `not from a locked package: ${file}`);
  for (const [file, source] of all) {
    const copy = join(target, file);
    if (!existsSync(copy)) problems.push(`missing: ${file}`);
    else if (!readFileSync(copy).equals(readFileSync(source))) problems.push(`differs from its package: ${file}`);
  }
  problems.forEach((problem) => console.error(`vendor: ${problem}`));
  console.log(`vendor: ${all.size} files checked, ${problems.length} problems`);
  process.exit(problems.length ? 1 : 0);
}
rmSync(target, { recursive: true, force: true });
for (const [file, source] of all) cpSync(source, join(target, file));
console.log(`vendor: ${all.size} files copied to ${relative(process.cwd(), target)}`);
