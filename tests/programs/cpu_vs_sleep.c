/* Calls that burn system time (reading 4 MiB of /dev/zero, the kernel
 * zeroes each page) against one that only waits (nanosleep): -c must rank
 * read first by system time, -c -w nanosleep first by wall-clock time. */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int fd = open("/dev/zero", O_RDONLY);
    char *buffer = malloc(4 << 20);
    if (fd < 0 || buffer == NULL)
        return 1;
    for (int i = 0; i < 40; i++)
        if (read(fd, buffer, 4 << 20) < 0)
            return 1;
    struct timespec pause = {0, 400 * 1000 * 1000};
    nanosleep(&pause, NULL);
    return 0;
}
