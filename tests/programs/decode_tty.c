/* Terminal ioctls with known arguments, for the differential test against
 * strace (tests/test_diff_strace.py).  The program opens a pseudo-terminal
 * of its own, so it needs no terminal to run; the pty number it gets is
 * masked by the test.  Also the usual failures: a terminal request on a
 * file that is not a terminal (ENOTTY) and a bad address (EFAULT). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    grantpt(master);
    unlockpt(master);
    int fd = open(ptsname(master), O_RDWR | O_NOCTTY);

    struct termios t;
    ioctl(fd, TCGETS, &t);
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    ioctl(fd, TCSETS, &t);
    ioctl(fd, TCSETSW, &t);
    t.c_iflag |= IXOFF;
    t.c_cflag = (t.c_cflag & ~CBAUD) | B9600;
    ioctl(fd, TCSETSF, &t);
    ioctl(fd, TCGETS, &t);

    struct winsize ws = {25, 100, 640, 480};
    ioctl(fd, TIOCSWINSZ, &ws);
    ioctl(fd, TIOCGWINSZ, &ws);
    write(master, "abc", 3);
    /* The pty moves the bytes to the other side in the background: wait. */
    struct pollfd pfd = {fd, POLLIN, 0};
    poll(&pfd, 1, 5000);
    int n = 0;
    ioctl(fd, FIONREAD, &n);
    ioctl(fd, TIOCOUTQ, &n);
    int on = 1;
    ioctl(fd, FIONBIO, &on);
    on = 0;
    ioctl(fd, FIONBIO, &on);
    ioctl(fd, TCFLSH, TCIFLUSH);
    ioctl(fd, TCXONC, TCOON);
    ioctl(fd, TCSBRK, 1);
    ioctl(fd, TIOCEXCL);
    ioctl(fd, TIOCNXCL);
    ioctl(fd, FIOCLEX);
    ioctl(fd, FIONCLEX);
    int pgrp = 0;
    ioctl(fd, TIOCGPGRP, &pgrp); /* not our controlling terminal: ENOTTY */
    ioctl(fd, TIOCSPGRP, &pgrp);
    ioctl(fd, TIOCGSID, &pgrp);
    int lock = 0;
    ioctl(master, TIOCSPTLCK, &lock);
    ioctl(master, TIOCGPTN, &n);

    /* Failures: not a terminal, bad address. */
    int null = open("/dev/null", O_RDONLY);
    ioctl(null, TCGETS, &t);
    ioctl(null, TIOCGWINSZ, &ws);
    ioctl(null, TCSETS, &t);
    ioctl(fd, TCGETS, NULL);
    ioctl(fd, TIOCGWINSZ, (void *)8);
    int p[2];
    pipe(p);
    write(p[1], "hello", 5);
    ioctl(p[0], FIONREAD, &n);
    close(p[0]);
    close(p[1]);
    close(null);
    close(fd);
    close(master);
    return 0;
}
