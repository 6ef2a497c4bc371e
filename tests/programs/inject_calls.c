/* Calls for -e inject= / -e fault= and -e read= / -e write= tests.
 *
 * inject_calls MODE: each mode makes a few calls and prints on stdout what
 * it saw (results and errnos), so a test checks both the trace and that the
 * tracee really got the injected results.
 *
 *   chdir N       N chdir("/") calls: "0" or "-1:ERRNO" each
 *   geteuid       geteuid() printed unsigned
 *   signal        chdir(".") with a SIGUSR1 handler: "usr1 N" after
 *   children N    N children, each 3 chdir("/") calls, printing its results
 *   poke          chdir("/nonexistent"), then getcwd: where it went
 *   hold          a child makes chdir("/") (the test holds it), another
 *                 writes "other done" to stdout; the parent waits for both
 *   loop N        N chdir("/") calls 20 ms apart, one result a line
 *   io            write/writev/sendmsg/sendmmsg on fd 1 or a socketpair,
 *                 read/readv/recvmsg/recvmmsg of known bytes
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t usr1;

static void on_usr1(int sig) { (void)sig; usr1++; }

static void print_result(long rc) {
    if (rc < 0)
        printf(" -1:%d", errno);
    else
        printf(" %ld", rc);
}

static void chdirs(int n) {
    for (int i = 0; i < n; i++)
        print_result(syscall(SYS_chdir, "/"));
    printf("\n");
    fflush(stdout);
}

static void io(void) {
    /* Bytes of every value, so the dump's ASCII column has both kinds. */
    unsigned char bytes[40];
    for (unsigned i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 7 + 30);
    char a[] = "abc", b[] = "defgh";
    struct iovec out[2] = {{a, 3}, {bytes, sizeof bytes}};

    if (write(1, bytes, sizeof bytes) != sizeof bytes || writev(1, out, 2) != 3 + sizeof bytes)
        exit(2);

    int pipefd[2];
    if (pipe(pipefd))
        exit(2);
    if (write(pipefd[1], bytes, 20) != 20)
        exit(2);
    char in[64], in2[64];
    if (read(pipefd[0], in, 12) != 12)
        exit(2);
    struct iovec back[2] = {{in, 5}, {in2, 30}};
    if (readv(pipefd[0], back, 2) != 8)
        exit(2);

    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
        exit(2);
    struct iovec msg_iov[2] = {{a, 3}, {b, 5}};
    struct msghdr msg = {.msg_iov = msg_iov, .msg_iovlen = 2};
    if (sendmsg(sv[0], &msg, 0) != 8)
        exit(2);
    char r1[4], r2[16];
    struct iovec rec_iov[2] = {{r1, 4}, {r2, 16}};
    struct msghdr rec = {.msg_iov = rec_iov, .msg_iovlen = 2};
    if (recvmsg(sv[1], &rec, 0) != 8)
        exit(2);

    struct mmsghdr mm[2] = {{.msg_hdr = {.msg_iov = msg_iov, .msg_iovlen = 2}},
                            {.msg_hdr = {.msg_iov = out, .msg_iovlen = 1}}};
    if (sendmmsg(sv[0], mm, 2, 0) != 2)
        exit(2);
    struct iovec r_iov[2] = {{r1, 4}, {r2, 16}}, r_iov2[1] = {{in, 64}};
    struct mmsghdr rm[2] = {{.msg_hdr = {.msg_iov = r_iov, .msg_iovlen = 2}},
                            {.msg_hdr = {.msg_iov = r_iov2, .msg_iovlen = 1}}};
    if (recvmmsg(sv[1], rm, 2, 0, NULL) != 2)
        exit(2);
    /* A failed write is dumped too, a failed read is not. */
    if (write(100, a, 3) != -1 || read(100, in, 3) != -1)
        exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    const char *mode = argv[1];
    if (!strcmp(mode, "chdir")) {
        chdirs(argc > 2 ? atoi(argv[2]) : 1);
    } else if (!strcmp(mode, "geteuid")) {
        printf("%lu\n", (unsigned long)syscall(SYS_geteuid));
    } else if (!strcmp(mode, "signal")) {
        struct sigaction act = {.sa_handler = on_usr1};
        sigaction(SIGUSR1, &act, NULL);
        print_result(syscall(SYS_chdir, "."));
        printf(" usr1 %d\n", (int)usr1);
    } else if (!strcmp(mode, "children")) {
        int n = argc > 2 ? atoi(argv[2]) : 2;
        for (int i = 0; i < n; i++) {
            fflush(stdout);
            pid_t pid = fork();
            if (pid == 0) {
                printf("child:");
                chdirs(3);
                _exit(0);
            }
            waitpid(pid, NULL, 0);
        }
    } else if (!strcmp(mode, "poke")) {
        char where[64] = "";
        print_result(syscall(SYS_chdir, "/nonexistent"));
        if (!getcwd(where, sizeof where))
            return 3;
        printf(" %s\n", where);
    } else if (!strcmp(mode, "hold")) {
        pid_t held = fork();
        if (held == 0) {
            syscall(SYS_chdir, "/");
            _exit(0);
        }
        pid_t other = fork();
        if (other == 0) {
            static const char done[] = "other done\n";
            if (write(1, done, sizeof done - 1) < 0)
                _exit(1);
            _exit(0);
        }
        int status;
        waitpid(other, &status, 0);
        /* The held child is killed by the test; the parent exits then. */
        waitpid(held, &status, 0);
        return WIFSIGNALED(status) ? 0 : 4;
    } else if (!strcmp(mode, "loop")) {
        int n = argc > 2 ? atoi(argv[2]) : 1;
        for (int i = 0; i < n; i++) {
            print_result(syscall(SYS_chdir, "/"));
            printf("\n");
            fflush(stdout);
            usleep(20000);
        }
    } else if (!strcmp(mode, "io")) {
        io();
    } else {
        return 2;
    }
    return 0;
}
