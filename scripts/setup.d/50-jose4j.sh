# The differential test against the platform's token library (packages/jose4j-oracle): a JDK 17
# and Maven from Debian, then every Maven artifact it needs (jose4j 0.9.6, slf4j, the build
# plugins) fetched into ~/.m2 once, so the test builds and runs offline. Quick when present:
# the offline build succeeds and nothing is downloaded.
jose4j_main() {
  local dir="$AGENTAUTH_ROOT/packages/jose4j-oracle"
  if ! command -v javac >/dev/null || ! javac -version 2>&1 | grep -qE 'javac (1[7-9]|[2-9][0-9])'; then
    apt_install openjdk-17-jdk-headless
  fi
  command -v mvn >/dev/null || apt_install maven
  local build=(mvn -B -q -f "$dir/pom.xml" compile dependency:copy-dependencies
    "-DoutputDirectory=$dir/target/lib")
  if ! "${build[@]}" -o >/dev/null 2>&1; then
    mvn -B -q -f "$dir/pom.xml" dependency:go-offline
    "${build[@]}" -o
  fi
  echo "setup jose4j: $(javac -version 2>&1), $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'); jose4j oracle built offline"
}
jose4j_main
unset -f jose4j_main
