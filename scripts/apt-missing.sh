# Sourced by the fetch scripts: `apt_missing PACKAGE...` installs the given Debian packages (the
# caller lists only those it found missing), with sudo unless running as root.
apt_missing() {
  [ $# -gt 0 ] || return 0
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing $*"
  $sudo apt-get update -q && $sudo apt-get install -y -q "$@"
}
