/* A child that atrace did not ask for, as strace's clone_ptrace and
 * clone_parent tests make one.  argv[1]:
 *   ptrace: clone(CLONE_PTRACE) a child that waits; kill it with SIGUSR1 and
 *           check that it died of it (it must not stay stopped or traced);
 *   parent: clone(CLONE_PARENT) a child that exits 42 at once: atrace, not
 *           this program, is its parent and reaps it; wait until it is gone.
 * Prints the child's pid on stdout; exits 0 when all went as expected. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char stack[64 * 1024];

static int waiter(void *arg)
{
	(void) arg;
	for (;;)
		pause();
	return 0;
}

static int quitter(void *arg)
{
	(void) arg;
	return 42;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	if (strcmp(argv[1], "ptrace") == 0) {
		pid_t pid = clone(waiter, stack + sizeof(stack), CLONE_PTRACE | SIGCHLD, NULL);
		if (pid < 0)
			return perror("clone"), 3;
		printf("%d\n", pid);
		fflush(stdout);
		kill(pid, SIGUSR1);
		int status;
		while (waitpid(pid, &status, 0) != pid)
			if (errno != EINTR)
				return perror("waitpid"), 4;
		return WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1 ? 0 : 5;
	}
	pid_t pid = clone(quitter, stack + sizeof(stack), CLONE_PARENT | SIGCHLD, NULL);
	if (pid < 0)
		return perror("clone"), 3;
	printf("%d\n", pid);
	fflush(stdout);
	if (wait(NULL) >= 0)
		return 6;  /* not our child: there is nothing to wait for */
	while (kill(pid, 0) == 0)
		usleep(1000);
	return errno == ESRCH ? 0 : 7;
}
