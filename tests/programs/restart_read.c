/*
 * restart_read: a blocking read() interrupted by a signal whose handler was
 * installed with SA_RESTART must be restarted transparently.
 *
 * The program blocks in read() on an empty pipe.  A timer delivers SIGALRM
 * after 200 ms; the kernel aborts the read with ERESTARTSYS, runs the
 * handler (which counts the signal and writes one byte "x" into the pipe),
 * and restarts the read, which now returns that byte.  A tracer sees the
 * read exit with -512 and then the read entered again.  The program must
 * never see EINTR.
 *
 * Prints "read 1 byte(s) after N signal(s)".
 * Exit codes: 51 success; 1 setup failed; 2 read failed with EINTR;
 * 3 read failed otherwise or returned the wrong data; 4 the handler did not
 * run exactly once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static int fds[2];
static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
    write(fds[1], "x", 1);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    if (pipe(fds) < 0 || sigaction(SIGALRM, &sa, NULL) < 0)
        return 1;
    struct itimerval it = {{0, 0}, {0, 200000}};
    if (setitimer(ITIMER_REAL, &it, NULL) < 0)
        return 1;
    char c = 0;
    ssize_t n = read(fds[0], &c, 1);
    if (n < 0 && errno == EINTR) {
        fprintf(stderr, "restart_read: read saw EINTR\n");
        return 2;
    }
    if (n != 1 || c != 'x') {
        fprintf(stderr, "restart_read: read returned %zd\n", n);
        return 3;
    }
    printf("read %zd byte(s) after %d signal(s)\n", n, (int)alarms);
    return alarms == 1 ? 51 : 4;
}
