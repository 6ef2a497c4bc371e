/* Calls getppid() N times (argv[1]), getpid() 3 times, then prints how many
 * times it was switched out voluntarily (ru_nvcsw). Every ptrace stop is
 * one: the task sleeps in TASK_TRACED until its tracer restarts it. A tight
 * loop of cheap calls that never stops has next to none, so the count tells
 * whether the getppid calls stopped, with no timing involved. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    long sum = 0;
    for (long i = 0; i < n; i++)
        sum += getppid();
    for (int i = 0; i < 3; i++)
        sum += getpid();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("calls %ld nvcsw %ld\n", sum > 0 ? n : -1, ru.ru_nvcsw);
    return 0;
}
