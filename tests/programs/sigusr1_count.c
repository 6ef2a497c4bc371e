/*
 * sigusr1_count: sends itself SIGUSR1 100 times with kill(getpid(), ...)
 * and counts the deliveries in a handler.
 *
 * kill() to oneself delivers the signal before the syscall returns, so each
 * signal is handled before the next is sent: none can be merged, and all
 * 100 must reach the handler even under a tracer (which sees 100 signal
 * delivery stops and must inject each signal back).
 *
 * Prints "handled N".  Exit codes: 41 success (N == 100); 2 otherwise.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NSIGNALS 100

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
    (void)sig;
    handled++;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    for (int i = 0; i < NSIGNALS; i++)
        kill(getpid(), SIGUSR1);
    printf("handled %d\n", (int)handled);
    return handled == NSIGNALS ? 41 : 2;
}
