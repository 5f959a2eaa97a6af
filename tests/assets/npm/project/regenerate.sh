#!/bin/sh
# Regenerates the lock files of tests/assets/npm from this project (needs the npm registry).
# Run from this directory: sh regenerate.sh  (writes ../npm-v*/, ../yarn-*/, ../pnpm-*/)
set -e
here=$(cd "$(dirname "$0")" && pwd)
assets=$(dirname "$here")
work=$(mktemp -d)
fresh() { rm -rf "$work/w"; mkdir "$work/w"; cp -r "$here/package.json" "$here/packages" "$here/vendor" "$work/w/"; cd "$work/w"; }
fresh; npm install --package-lock-only --ignore-scripts --lockfile-version 3 --omit-lockfile-registry-resolved=false
cp package-lock.json "$assets/npm-v3/"
fresh; npm install --package-lock-only --ignore-scripts --lockfile-version 2 --omit-lockfile-registry-resolved=false
cp package-lock.json "$assets/npm-v2/"
fresh; npx -y npm@6 install --package-lock-only --ignore-scripts
cp package-lock.json "$assets/npm-v1/"
fresh; npx -y yarn@1 install --ignore-scripts --ignore-engines --registry https://registry.npmjs.org --non-interactive
cp yarn.lock "$assets/yarn-v1/"
fresh; YARN_NPM_REGISTRY_SERVER=https://registry.npmjs.org YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=0 \
  npx -y -p @yarnpkg/cli-dist@4 yarn install --mode update-lockfile
cp yarn.lock "$assets/yarn-berry/"
for pair in 7:5.4 8:6.0 9:9.0; do
  fresh; cp "$here/pnpm-workspace.yaml" .
  npx -y "pnpm@${pair%%:*}" install --lockfile-only --ignore-scripts --registry https://registry.npmjs.org/
  cp pnpm-lock.yaml "$assets/pnpm-${pair#*:}/"
done
rm -rf "$work"
