/* Every byte value in the strings strace quotes: write's buffers (data
 * that may hold NULs) and access's paths (NUL-terminated), so that a test
 * can compare atrace's escaping with strace's for each -x mode and -s. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static void put(int fd, const unsigned char *buf, size_t len)
{
	if (write(fd, buf, len) != (ssize_t) len)
		_exit(2);
}

int main(void)
{
	int fd = open("/dev/null", O_WRONLY);
	unsigned char all[256], big[4096], path[300];
	if (fd < 0)
		return 1;
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char) i;
	put(fd, all, sizeof(all));
	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char) (255 - i);
	put(fd, all, sizeof(all));
	/* Each byte before a digit: an octal escape is three digits long
	 * before '0'-'7', as short as possible before '8' and others. */
	for (int i = 0; i < 4096; i += 2) {
		big[i] = (unsigned char) (i / 2);
		big[i + 1] = "07893a\\\""[(i / 2) % 8];
	}
	put(fd, big, sizeof(big));
	/* Printable ASCII only (the fast path), then with one byte that is not. */
	for (int i = 0; i < 4096; i++)
		big[i] = (unsigned char) (' ' + i % 95);
	put(fd, big, sizeof(big));
	big[4000] = 0x80;
	put(fd, big, sizeof(big));
	/* Whitespace and printable only: -x leaves it unhexed. */
	put(fd, (const unsigned char *) "tab\there\nnl\r\v\f end", 18);
	/* Paths holding every byte but NUL, each byte before a digit too. */
	for (int start = 1; start < 256; start += 100) {
		int n = 0;
		for (int b = start; b < 256 && n < 298; b++) {
			path[n++] = (unsigned char) b;
			path[n++] = (unsigned char) ('0' + b % 10);
		}
		path[n] = 0;
		if (access((const char *) path, F_OK) == 0)
			return 3;
	}
	close(fd);
	return 0;
}
