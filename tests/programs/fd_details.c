/* -yy and --decode-fds: fds of each kind strace details (a character
 * device, a pidfd, a unix socket, a plain file) and a dup'd fd for -P. */
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <sys/select.h>
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
	/* A connected pair: each shows its peer's inode. */
	int pair[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
	close(pair[0]);
	close(pair[1]);
	/* A netlink socket: its protocol and port once bound. */
	int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	bind(nl, (struct sockaddr *) &addr, sizeof(addr));
	close(nl);
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	close(dir);
	/* -P matches poll and select by the fds they watch. */
	struct pollfd watched[2] = { { .fd = 0, .events = POLLIN }, { .fd = null_fd, .events = POLLIN } };
	poll(watched, 2, 0);
	fd_set readable;
	FD_ZERO(&readable);
	FD_SET(null_fd, &readable);
	struct timeval now = { 0, 0 };
	select(null_fd + 1, &readable, NULL, NULL, &now);
	close(null_fd);
	return 0;
}
