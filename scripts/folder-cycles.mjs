// Fails when the folders of src/ import each other in a cycle (issue #13): dependency-cruiser's
// floors allow imports within a floor, and its no-circular rule sees modules, not folders.
// Reads `depcruise --output-type json` on stdin: `npm run deps` pipes it here.
// Read as a stream: readFileSync(0) on a pipe still being written crashed Node 24.21 (SIGSEGV,
// SIGABRT) about one run in five here.
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const { modules } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const folderOf = (path) => /^src\/([^/]+)\//.exec(path)?.[1];
/** folder -> folder -> one import that makes the arrow, to name in the message. */
const arrows = new Map();
for (const { source, dependencies } of modules) {
  const from = folderOf(source);
  if (!from) continue;
  for (const { resolved } of dependencies) {
    const to = folderOf(resolved);
    if (!to || to === from) continue;
    if (!arrows.has(from)) arrows.set(from, new Map());
    if (!arrows.get(from).has(to)) arrows.get(from).set(to, `${source} -> ${resolved}`);
  }
}

// Tarjan's strongly connected components: a component of more than one folder is a cycle.
const index = new Map();
const low = new Map();
const stack = [];
const cycles = [];
let next = 0;
function visit(folder) {
  index.set(folder, next);
  low.set(folder, next++);
  stack.push(folder);
  for (const to of arrows.get(folder)?.keys() ?? []) {
    if (!index.has(to)) {
      visit(to);
      low.set(folder, Math.min(low.get(folder), low.get(to)));
    } else if (stack.includes(to)) {
      low.set(folder, Math.min(low.get(folder), index.get(to)));
    }
  }
  if (low.get(folder) !== index.get(folder)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    component.push(member);
  } while (member !== folder);
  if (component.length > 1) cycles.push(component.sort());
}
for (const folder of [...arrows.keys()].sort()) if (!index.has(folder)) visit(folder);

if (cycles.length === 0) {
  console.log(`✔ no cycle between the ${new Set([...arrows.keys(), ...[...arrows.values()].flatMap((m) => [...m.keys()])]).size} folders of src/`);
} else {
  for (const component of cycles) {
    console.error(`✘ folders of src/ in a cycle: ${component.join(', ')}`);
    for (const from of component) {
      for (const [to, example] of arrows.get(from) ?? []) if (component.includes(to)) console.error(`    ${from} -> ${to}: ${example}`);
    }
  }
  process.exit(1);
}
