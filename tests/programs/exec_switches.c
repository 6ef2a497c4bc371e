/* Execs itself once, then prints how many times the exec switched it out
 * voluntarily (ru_nvcsw after it, in the new program, minus before it; the
 * count survives the exec, as the task does). Every ptrace stop is one:
 * under seccomp-bpf with -e trace=execve the exec's stops are its entry and
 * its exec event, and nothing else in between sleeps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (argc > 2 && strcmp(argv[1], "after") == 0) {
        printf("exec nvcsw %ld\n", ru.ru_nvcsw - atol(argv[2]));
        return 0;
    }
    char before[32];
    snprintf(before, sizeof before, "%ld", ru.ru_nvcsw);
    execl("/proc/self/exe", argv[0], "after", before, (char *)NULL);
    perror("execl");
    return 1;
}
