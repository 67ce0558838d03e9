# Helpers for guest tests (sourced).
pass() { echo "EMBNET-TEST $T PASS $*"; }
fail() { echo "EMBNET-TEST $T FAIL $*"; exit 0; }
skip() { echo "EMBNET-TEST $T SKIP $*"; exit 0; }
info() { echo "EMBNET-INFO $1=$2"; }
# The peer on the tap network, else slirp's host address.
peer() { if [ "$NET" = tap ]; then echo 10.99.0.1; else echo 10.0.2.2; fi; }
# The image's C library (mkrootfs's /etc/embnet-release; glibc before it
# said).
libc() {
	l=$(sed -n 's/^libc=//p' /etc/embnet-release)
	echo "${l:-glibc}"
}
# Sends file $2 to the host as "EMBNET-DATA $1 <base64 of its gzip>"
# lines, which conftest.data() decodes.
data() { gzip -c "$2" | base64 | sed "s/^/EMBNET-DATA $1 /"; }
