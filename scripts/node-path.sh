# Sourced by the scripts after scripts/install.sh: the Node that package.json pins (the `node`
# devDependency) goes first on PATH, so that every `node` they run, npm itself and everything
# `npm run` starts use it rather than the system's Node. `npm run` alone also finds it, through
# node_modules/.bin.
export PATH="$ROOT/node_modules/node/bin:$PATH"
