/* ioctl requests that share numbers (FICLONE and its kin, TIOCVHANGUP, an
 * unknown _IOR) and the old termio requests, on a file and on a pty.  For the differential test against strace (tests/test_diff_strace.py);
 * compiled -m64 and -m32.  Values that differ between runs are avoided (or
 * masked by the test). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termio.h>
#include <unistd.h>

static void ioctls(const char *dir)
{
    char path[4096];
    strncpy(path, dir, sizeof path - 16);
    strcat(path, "/clone.src");
    int src = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(src, "data", 4);
    int dst = open("/dev/null", O_WRONLY);
    ioctl(dst, FICLONE, src);
    ioctl(-1, FICLONERANGE, NULL);
    ioctl(-1, FIDEDUPERANGE, NULL);
    ioctl(-1, 0x5437, 0); /* TIOCVHANGUP */
    ioctl(-1, _IOR(0x12, 0x34, int), 0);
    close(dst);
    close(src);
    unlink(path);
}

static void termio_calls(void)
{
    struct termio t;
    memset(&t, 0, sizeof t);
    int fd = open("/dev/null", O_RDWR);
    ioctl(fd, TCGETA, &t); /* ENOTTY */
    ioctl(fd, TCSETA, &t);
    ioctl(fd, TCSETAW, &t);
    ioctl(fd, TCSETAF, &t);
    close(fd);
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0)
        return;
    grantpt(master);
    unlockpt(master);
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    if (slave >= 0) {
        ioctl(slave, TCGETA, &t);
        ioctl(slave, TCSETA, &t);
        ioctl(slave, TCSETAW, &t);
        ioctl(slave, TCSETAF, &t);
        close(slave);
    }
    close(master);
}

int main(int argc, char **argv)
{
    ioctls(argc > 1 ? argv[1] : "/tmp");
    termio_calls();
    return 0;
}
