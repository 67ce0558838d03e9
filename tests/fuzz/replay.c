// SPDX-License-Identifier: MIT
/*
 * A main() for the libFuzzer targets where libFuzzer is not: it feeds
 * every file named on the command line (a directory: every file in it,
 * in name order) to LLVMFuzzerTestOneInput() once.  Built with the cross
 * compilers (and UBSan) to replay the corpora on 32-bit and big-endian
 * CPUs under qemu-user, and with clang's coverage for `make fuzz-cov`.
 * Exit 0 when every input ran; a crash or sanitizer report ends it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* weak: most targets define none */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* libFuzzer's default -max_len is 4096 for new inputs; corpora stay below */
#define REPLAY_MAX_LEN (1u << 20)

static uint8_t *buf;

static int replay_file(const char *path)
{
	ssize_t n;
	size_t len = 0;
	uint8_t *copy;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (len < REPLAY_MAX_LEN &&
	       (n = read(fd, buf + len, REPLAY_MAX_LEN - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (len == REPLAY_MAX_LEN) {
		fprintf(stderr, "replay: %s: longer than %u bytes\n", path,
			REPLAY_MAX_LEN);
		return -1;
	}
	/* an exact-size copy, so reads past the input trip the sanitizers */
	copy = malloc(len ? len : 1);
	if (!copy)
		return -1;
	memcpy(copy, buf, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir, unsigned *n_runs)
{
	char **names = NULL, path[4096];
	size_t n = 0, i;
	struct dirent *e;
	int ret = 0;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (errno = 0; (e = readdir(d)); errno = 0) {
		char **more;

		if (e->d_name[0] == '.')
			continue;
		more = realloc(names, (n + 1) * sizeof(*names));
		if (!more || !(more[n] = strdup(e->d_name))) {
			ret = -1;
			names = more ? more : names;
			break;
		}
		names = more;
		n++;
	}
	if (errno) {
		/* e.g. EOVERFLOW: a 64-bit inode for a 32-bit ino_t */
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		ret = -1;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (!ret && replay_file(path) == 0)
			++*n_runs;
		else
			ret = -1;
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned n_runs = 0;
	struct stat st;
	int i, ret = 0;

	buf = malloc(REPLAY_MAX_LEN);
	if (!buf)
		return 1;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc && ret == 0; i++) {
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				strerror(errno));
			ret = -1;
		} else if (S_ISDIR(st.st_mode)) {
			ret = replay_dir(argv[i], &n_runs);
		} else if (replay_file(argv[i]) == 0) {
			n_runs++;
		} else {
			ret = -1;
		}
	}
	free(buf);
	fprintf(stderr, "replay: %u inputs\n", n_runs);
	return ret == 0 && n_runs ? 0 : 1;
}
