/* Netlink messages sent on netlink sockets of several protocols, for the
 * netlink decoding tests (tests/test_netlink.py).  Nothing here changes the
 * system: every message but the RTM_GETLINK dump lacks NLM_F_REQUEST, so
 * the kernel ignores it, and the dump only reads.
 *
 * Without arguments: the messages, then a fork whose child sends on a dup
 * of the socket, then an exec of this program with "inherited FD", which
 * sends on the socket it inherited.  The traced output shows that the
 * protocol is found for every fd that names the socket, however it came. */
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int nl_socket(int protocol)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, protocol);
	if (fd < 0) {
		perror("socket");
		exit(77);
	}
	return fd;
}

static void send_noop(int fd, unsigned seq)
{
	struct nlmsghdr h = { .nlmsg_len = sizeof(h), .nlmsg_type = NLMSG_NOOP, .nlmsg_seq = seq };
	sendto(fd, &h, sizeof(h), MSG_DONTWAIT, NULL, 0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "inherited") == 0) {
		send_noop(atoi(argv[2]), 3);
		return 0;
	}
	int route = nl_socket(NETLINK_ROUTE);
	int diag = nl_socket(NETLINK_SOCK_DIAG);
	/* strace 6.1 learns a socket's protocol from its second message on:
	 * a first message each, so that the comparison covers the others. */
	int nf = nl_socket(NETLINK_NETFILTER);
	int generic = nl_socket(NETLINK_GENERIC);
	send_noop(route, 0);
	send_noop(diag, 0);
	send_noop(nf, 0);
	send_noop(generic, 0);

	/* nftables' table query with one attribute, and a generic netlink
	 * control message (neither with NLM_F_REQUEST: ignored). */
	struct {
		struct nlmsghdr h;
		struct nfgenmsg g;
		struct nlattr a;
		char name[4];
	} table = {
		{ sizeof(table), NFNL_SUBSYS_NFTABLES << 8 | 1 /* NFT_MSG_GETTABLE */, NLM_F_DUMP, 9, 0 },
		{ AF_INET, NFNETLINK_V0, __builtin_bswap16(NFNL_SUBSYS_NFTABLES) },
		{ 8, 1 }, "abc",
	};
	sendto(nf, &table, sizeof(table), MSG_DONTWAIT, NULL, 0);
	struct { struct nlmsghdr h; unsigned char cmd[4]; } ctrl = {
		{ sizeof(ctrl), 0x10 /* GENL_ID_CTRL */, 0, 10, 0 }, { 3, 1, 0, 0 },
	};
	sendto(generic, &ctrl, sizeof(ctrl), MSG_DONTWAIT, NULL, 0);

	/* A link message with two attributes (no NLM_F_REQUEST: ignored). */
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr a1;
		char name[4];
		struct rtattr a2;
		unsigned mtu;
	} link = {
		{ sizeof(link), RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 1, 0 },
		{ AF_UNSPEC, 0, 1 /* ARPHRD_ETHER */, 0, 1 /* IFF_UP */, 0 },
		{ 8, IFLA_IFNAME }, "ab\0",
		{ 8, IFLA_MTU }, 1500,
	};
	sendto(route, &link, sizeof(link), MSG_DONTWAIT, NULL, 0);

	/* An address message cut short: its struct is not whole. */
	struct { struct nlmsghdr h; unsigned char family[4]; } addr = {
		{ sizeof(addr), RTM_GETADDR, NLM_F_DUMP, 2, 0 }, { AF_INET6 },
	};
	sendto(route, &addr, sizeof(addr), MSG_DONTWAIT, NULL, 0);

	/* Two messages in one buffer, the second an NLMSG_DONE with an int. */
	struct {
		struct nlmsghdr h1;
		struct nlmsghdr h2;
		int value;
	} two = {
		{ sizeof(struct nlmsghdr), NLMSG_NOOP, NLM_F_MULTI, 4, 0 },
		{ sizeof(struct nlmsghdr) + 4, NLMSG_DONE, NLM_F_MULTI, 4, 0 },
		-7,
	};
	sendto(route, &two, sizeof(two), MSG_DONTWAIT, NULL, 0);

	/* An error message quoting a request (sock_diag protocol). */
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} err = {
		{ sizeof(err), NLMSG_ERROR, 0, 5, 0 },
		{ -13, { sizeof(struct nlmsghdr), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 6, 0 } },
	};
	sendto(diag, &err, sizeof(err), MSG_DONTWAIT, NULL, 0);

	/* A message whose second half lies in an unmapped page. */
	char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(pages + 4096, 4096);
	struct nlmsghdr *edge = (struct nlmsghdr *) (pages + 4096 - 24);
	*edge = (struct nlmsghdr) { 24, NLMSG_NOOP, 0, 7, 0 };
	sendto(route, edge, 48, MSG_DONTWAIT, NULL, 0);

	/* The read-only dump, and its first answer. */
	struct { struct nlmsghdr h; struct rtgenmsg g; } dump = {
		{ sizeof(dump), RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 8, 0 }, { AF_UNSPEC },
	};
	sendto(route, &dump, sizeof(dump), 0, NULL, 0);
	static char answer[65536];
	recvfrom(route, answer, sizeof(answer), 0, NULL, NULL);

	/* sendmsg to the kernel's address (ignored: no NLM_F_REQUEST), and
	 * the rest of the dump with recvmsg: both iovecs decoded. */
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr noop = { sizeof(noop), NLMSG_NOOP, 0, 11, 0 };
	struct iovec iov = { &noop, sizeof(noop) };
	struct msghdr msg = { &kernel, sizeof(kernel), &iov, 1, NULL, 0, 0 };
	sendmsg(route, &msg, MSG_DONTWAIT);
	struct iovec answer_iov = { answer, sizeof(answer) };
	struct msghdr reply = { &kernel, sizeof(kernel), &answer_iov, 1, NULL, 0, 0 };
	recvmsg(route, &reply, 0);

	/* A child's dup of the socket, then an exec that inherits it. */
	pid_t child = fork();
	if (child == 0) {
		int copy = dup2(diag, 9);
		send_noop(copy, 2);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	char fd_text[16];
	snprintf(fd_text, sizeof(fd_text), "%d", diag);
	execl("/proc/self/exe", argv[0], "inherited", fd_text, (char *) NULL);
	return 1;
}
