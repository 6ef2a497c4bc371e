/* Socket options and message calls with known arguments, for the
 * differential test against strace (tests/test_diff_strace.py):
 * getsockopt/setsockopt of the common options, sendmsg/recvmsg with a
 * peer address, several iovecs and control messages (SCM_RIGHTS,
 * SCM_CREDENTIALS), and sendmmsg/recvmmsg.  Nothing that differs between
 * runs (ports, pids) is printed except where the test normalises it. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/msg.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

static void options(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int value = 1;
    socklen_t len = sizeof value;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &value, sizeof value);
    setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &value, sizeof value);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &value, sizeof value);
    value = 65536;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &value, sizeof value);
    struct linger linger = {1, 5};
    setsockopt(s, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    struct timeval tv = {3, 500};
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    getsockopt(s, SOL_SOCKET, SO_ERROR, &value, &len);
    len = sizeof value;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &value, &len);
    len = sizeof value;
    getsockopt(s, SOL_SOCKET, SO_REUSEADDR, &value, &len);
    len = sizeof value;
    getsockopt(s, SOL_SOCKET, SO_RCVBUF, &value, &len);
    len = sizeof value;
    getsockopt(s, SOL_SOCKET, SO_DOMAIN, &value, &len);
    len = sizeof value;
    getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &value, &len);
    len = sizeof value;
    getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &value, &len);
    len = sizeof value;
    getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &value, &len);
    len = sizeof value;
    getsockopt(s, IPPROTO_TCP, TCP_MAXSEG, &value, &len);
    len = sizeof linger;
    getsockopt(s, SOL_SOCKET, SO_LINGER, &linger, &len);
    len = sizeof tv;
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, &len);
    len = 2; /* shorter than the value: the kernel cuts it */
    getsockopt(s, SOL_SOCKET, SO_RCVBUF, &value, &len);
    len = sizeof value;
    getsockopt(s, IPPROTO_IP, IP_TTL, &value, &len);
    len = sizeof value;
    getsockopt(s, SOL_SOCKET, 9999, &value, &len); /* unknown option: fails */
    getsockopt(s, SOL_SOCKET, SO_ERROR, NULL, NULL); /* bad address */
    close(s);
}

static void messages(void)
{
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    int one = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof one);
    struct ucred cred;
    socklen_t len = sizeof cred;
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &len);

    /* Two buffers and one fd passed. */
    char a[] = "hello", b[] = " world, a longer buffer cut at thirty-two bytes";
    struct iovec iov[2] = {{a, 5}, {b, sizeof b - 1}};
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(2 * sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {0};
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    msg.msg_control = control.buf;
    msg.msg_controllen = CMSG_SPACE(2 * sizeof(int));
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int fds[2] = {0, 1};
    memcpy(CMSG_DATA(cmsg), fds, sizeof fds);
    sendmsg(sv[0], &msg, MSG_DONTWAIT);

    char r1[4], r2[64];
    struct iovec riov[2] = {{r1, sizeof r1}, {r2, sizeof r2}};
    union {
        struct cmsghdr align;
        char buf[256];
    } rcontrol;
    struct msghdr rmsg = {0};
    rmsg.msg_iov = riov;
    rmsg.msg_iovlen = 2;
    rmsg.msg_control = rcontrol.buf;
    rmsg.msg_controllen = sizeof rcontrol.buf;
    int n = recvmsg(sv[1], &rmsg, MSG_CMSG_CLOEXEC);
    /* Close the fds received (from the SCM_RIGHTS message): numbers are fixed. */
    for (cmsg = CMSG_FIRSTHDR(&rmsg); cmsg != NULL; cmsg = CMSG_NXTHDR(&rmsg, cmsg))
        if (cmsg->cmsg_type == SCM_RIGHTS)
            for (int i = 0; i < (int)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int)); i++)
                close(((int *)CMSG_DATA(cmsg))[i]);
    (void)n;

    /* Credentials. */
    struct {
        struct cmsghdr h;
        struct ucred c;
    } credmsg;
    memset(&credmsg, 0, sizeof credmsg);
    credmsg.h.cmsg_len = CMSG_LEN(sizeof(struct ucred));
    credmsg.h.cmsg_level = SOL_SOCKET;
    credmsg.h.cmsg_type = SCM_CREDENTIALS;
    credmsg.c.pid = getpid();
    credmsg.c.uid = getuid();
    credmsg.c.gid = getgid();
    struct msghdr cmsgh = {0};
    cmsgh.msg_iov = iov;
    cmsgh.msg_iovlen = 1;
    cmsgh.msg_control = &credmsg;
    cmsgh.msg_controllen = sizeof credmsg;
    sendmsg(sv[0], &cmsgh, 0);
    rmsg.msg_controllen = sizeof rcontrol.buf;
    recvmsg(sv[1], &rmsg, 0);

    /* No control data, truncated datagram. */
    struct msghdr plain = {0};
    plain.msg_iov = iov;
    plain.msg_iovlen = 2;
    sendmsg(sv[0], &plain, 0);
    struct iovec small = {r1, sizeof r1};
    rmsg.msg_iov = &small;
    rmsg.msg_iovlen = 1;
    rmsg.msg_control = NULL;
    rmsg.msg_controllen = 0;
    recvmsg(sv[1], &rmsg, 0);
    recvmsg(sv[1], &rmsg, MSG_DONTWAIT); /* nothing left: EAGAIN */

    /* sendmmsg / recvmmsg */
    struct mmsghdr mm[2];
    memset(mm, 0, sizeof mm);
    mm[0].msg_hdr.msg_iov = &iov[0];
    mm[0].msg_hdr.msg_iovlen = 1;
    mm[1].msg_hdr.msg_iov = &iov[1];
    mm[1].msg_hdr.msg_iovlen = 1;
    sendmmsg(sv[0], mm, 2, 0);
    struct mmsghdr rm[2];
    struct iovec rv[2] = {{r2, sizeof r2}, {r1, sizeof r1}};
    memset(rm, 0, sizeof rm);
    rm[0].msg_hdr.msg_iov = &rv[0];
    rm[0].msg_hdr.msg_iovlen = 1;
    rm[1].msg_hdr.msg_iov = &rv[1];
    rm[1].msg_hdr.msg_iovlen = 1;
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, NULL);
    close(sv[0]);
    close(sv[1]);

    /* A datagram with a peer address, over IPv4 loopback. */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(u, (struct sockaddr *)&addr, sizeof addr);
    socklen_t alen = sizeof addr;
    getsockname(u, (struct sockaddr *)&addr, &alen);
    struct msghdr to = {0};
    to.msg_name = &addr;
    to.msg_namelen = sizeof addr;
    to.msg_iov = iov;
    to.msg_iovlen = 1;
    sendmsg(u, &to, 0);
    struct sockaddr_in from;
    struct msghdr fm = {0};
    fm.msg_name = &from;
    fm.msg_namelen = sizeof from + 8;
    fm.msg_iov = riov;
    fm.msg_iovlen = 2;
    recvmsg(u, &fm, 0);
    close(u);
    sendmsg(-1, &to, 0); /* EBADF: the message is still shown */
    recvmsg(-1, &fm, 0);
}

#ifdef __i386__
/* i386's socketcall multiplexer, which older C libraries use for every
 * socket call: strace shows the call it stands for. */
static void socketcalls(void)
{
    int sv[2];
    unsigned long pair[4] = {AF_UNIX, SOCK_DGRAM, 0, (unsigned long)sv};
    syscall(SYS_socketcall, 8, pair); /* socketpair */
    int value = 0;
    socklen_t len = sizeof value;
    unsigned long get[5] = {sv[0], SOL_SOCKET, SO_TYPE, (unsigned long)&value, (unsigned long)&len};
    syscall(SYS_socketcall, 15, get); /* getsockopt */
    value = 1;
    unsigned long set[5] = {sv[1], SOL_SOCKET, SO_PASSCRED, (unsigned long)&value, sizeof value};
    syscall(SYS_socketcall, 14, set); /* setsockopt */
    char a[] = "hello";
    struct iovec iov = {a, 5};
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    int fd = 1;
    memcpy(CMSG_DATA(cmsg), &fd, sizeof fd);
    unsigned long send[3] = {sv[0], (unsigned long)&msg, 0};
    syscall(SYS_socketcall, 16, send); /* sendmsg */
    char r[16];
    struct iovec riov = {r, sizeof r};
    char rcontrol[64];
    struct msghdr rmsg = {0};
    rmsg.msg_iov = &riov;
    rmsg.msg_iovlen = 1;
    rmsg.msg_control = rcontrol;
    rmsg.msg_controllen = sizeof rcontrol;
    unsigned long recv[3] = {sv[1], (unsigned long)&rmsg, 0};
    syscall(SYS_socketcall, 17, recv); /* recvmsg */
    close(sv[0]);
    close(sv[1]);
    close(5); /* the fd received */
}
#endif

/* Struct and mask options: multicast requests on a UDP socket (on lo), the
 * ICMP filter (fd -1: EBADF, nothing needed). */
static void struct_options(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct ip_mreq mreq;
    mreq.imr_multiaddr.s_addr = inet_addr("224.0.0.3");
    mreq.imr_interface.s_addr = inet_addr("127.0.0.1");
    setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof mreq);
    setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mreq, sizeof mreq);
    setsockopt(s, IPPROTO_IP, IP_DROP_MEMBERSHIP, &mreq, sizeof mreq - 1);
    struct group_req greq;
    memset(&greq, 0, sizeof greq);
    greq.gr_interface = 1;
    struct sockaddr_in *group = (struct sockaddr_in *)&greq.gr_group;
    group->sin_family = AF_INET;
    group->sin_addr.s_addr = inet_addr("224.0.0.4");
    setsockopt(s, IPPROTO_IP, MCAST_JOIN_GROUP, &greq, sizeof greq);
    setsockopt(s, IPPROTO_IP, MCAST_LEAVE_GROUP, &greq, sizeof greq);
    close(s);
    unsigned int filter = (1 << 0) | (1 << 8);
    setsockopt(-1, SOL_RAW, 1 /* ICMP_FILTER */, &filter, sizeof filter);
    filter = ~filter;
    setsockopt(-1, SOL_RAW, 1, &filter, sizeof filter);
}

/* SOL_PACKET's structs, System V IPC flags, and an address asked for
 * with less room than the kernel has to fill. */
static void packet_ipc_and_short_names(void)
{
    struct packet_mreq mreq = {.mr_ifindex = 0, .mr_type = 0xffff, .mr_alen = 9};
    memset(mreq.mr_address, 0xff, sizeof mreq.mr_address);
    setsockopt(-1, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof mreq);
    mreq.mr_type = PACKET_MR_PROMISC;
    mreq.mr_alen = 6;
    setsockopt(-1, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &mreq, sizeof mreq);
    struct tpacket_req req = {4096, 2, 2048, 4};
    setsockopt(-1, SOL_PACKET, PACKET_RX_RING, &req, sizeof req);
    setsockopt(-1, SOL_PACKET, -1, NULL, 0);
#ifdef __x86_64__
    /* (i386's libc reaches these through ipc(), which atrace shows as itself.) */
    shmget(0x41747263, 1, 0x2ce0000 | (21 << 26) | 0125);
    shmat(-1, NULL, SHM_RDONLY | SHM_RND);
    msgget(0x41747263, IPC_EXCL | IPC_NOWAIT | 0125);
#endif
    /* An autobound name (6 bytes) asked for with room for the family alone. */
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    bind(s, (struct sockaddr *)&un, sizeof(sa_family_t));
    socklen_t len = sizeof(sa_family_t);
    getsockname(s, (struct sockaddr *)&un, &len);
    int type[2] = {0, 0};
    len = sizeof type[0] + 1;
    getsockopt(s, SOL_SOCKET, SO_TYPE, type, &len);
    close(s);
}

/* Addresses of several families, each passed to connect(-1, ...): EBADF. */
static void address_families(void)
{
    struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = 1,
                             .sll_hatype = 1, .sll_halen = 6, .sll_addr = {1, 2, 3, 4, 5, 6}};
    connect(-1, (struct sockaddr *)&ll, sizeof ll);
    connect(-1, (struct sockaddr *)&ll, sizeof ll - 1);
    struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_pid = 42, .nl_groups = 0xfacefeed};
    connect(-1, (struct sockaddr *)&nl, sizeof nl);
    struct sockaddr_in6 in6 = {.sin6_family = AF_INET6, .sin6_port = htons(80), .sin6_scope_id = 1};
    in6.sin6_addr.s6_addr[0] = 0xfe;
    in6.sin6_addr.s6_addr[1] = 0x80;
    connect(-1, (struct sockaddr *)&in6, sizeof in6);
    /* struct sockaddr_vm and sockaddr_xdp, laid out by hand (no headers needed). */
    unsigned char vm[16] = {40, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 1};
    connect(-1, (struct sockaddr *)vm, sizeof vm);
    unsigned char xdp[16] = {44, 0, 1, 0, 1, 0, 0, 0, 3, 0, 0, 0, 7};
    connect(-1, (struct sockaddr *)xdp, sizeof xdp);
}

#ifdef __x86_64__
/* POSIX message queues and System V messages and semaphores (i386's libc
 * reaches the latter through ipc(), which atrace shows as itself). */
static void queues(void)
{
    char name[] = "/atrace-decode-net-q";
    struct mq_attr attr = {.mq_maxmsg = 2, .mq_msgsize = 16};
    mq_unlink(name);
    mqd_t q = mq_open(name, O_RDWR | O_CREAT | O_NONBLOCK, 0600, &attr);
    mq_getattr(q, &attr);
    mq_send(q, "hello", 5, 3);
    unsigned prio = 0;
    char buf[16];
    mq_receive(q, buf, sizeof buf, &prio);
    struct sigevent event = {.sigev_notify = SIGEV_NONE};
    mq_notify(q, &event);
    mq_close(q);
    mq_unlink(name);
    mq_open(name, O_RDONLY);
    struct sembuf ops[2] = {{0, -1, SEM_UNDO}, {1, 1, IPC_NOWAIT}};
    semop(-1, ops, 2);
    struct {
        long mtype;
        char mtext[8];
    } message = {42, "message"};
    msgsnd(-1, &message, sizeof message.mtext, IPC_NOWAIT);
}
#endif

int main(void)
{
    options();
    messages();
    struct_options();
    packet_ipc_and_short_names();
    address_families();
#ifdef __x86_64__
    queues();
#endif
#ifdef __i386__
    socketcalls();
#endif
    return 0;
}
