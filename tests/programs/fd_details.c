/* -yy and --decode-fds: fds of each kind strace details (a character
 * device, a pidfd, a unix socket, a plain file) and a dup'd fd for -P. */
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	int null_fd = open("/dev/null", O_RDONLY);
	int copy = dup(null_fd);
	close(copy);
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	close(pidfd);
	int sock = socket(AF_UNIX, SOCK_STREAM, 0);
	close(sock);
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	close(dir);
	close(null_fd);
	return 0;
}
