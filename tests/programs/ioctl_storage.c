/* ioctl requests of storage and filesystem families (HDIO_*, FS_IOC_*,
 * FIFREEZE...), on fd -1: strace decodes the argument all the same, and
 * with an injected success (tests/test_ioctl_families.py) what the kernel
 * would have written back too.  Every pointer given points to static
 * data, so no address is printed where strace decodes the memory. */
#include <linux/hdreg.h>
#include <string.h>
#include <sys/ioctl.h>

static struct hd_geometry geometry = {.heads = 0xca, .sectors = 0xfe, .cylinders = 0xbabe, .start = 12345};
static unsigned char drive_cmd[4 + 40] = {0xca, 0xff, 0xee, 0};
static unsigned long value = 0xfacefeedded1ffffUL;
static int three[3] = {(int)0xdeadbeef, 0x11, 0};
static char identity[512] = "IDENTITY\n\x01";

static void hdio(void)
{
    ioctl(-1, HDIO_GET_QDMA, 0);
    ioctl(-1, HDIO_SET_XFER, 0xbadc0dedUL);
    ioctl(-1, HDIO_GETGEO, 0);
    ioctl(-1, HDIO_GETGEO, &geometry);
    ioctl(-1, HDIO_DRIVE_CMD, drive_cmd);
    drive_cmd[0] = 0x80;
    drive_cmd[3] = 1;
    memset(drive_cmd + 4, 'x', sizeof drive_cmd - 4);
    ioctl(-1, HDIO_DRIVE_CMD, drive_cmd);
    ioctl(-1, HDIO_DRIVE_RESET, three);
    ioctl(-1, HDIO_GET_32BIT, &value);
    ioctl(-1, HDIO_SET_DMA, 77UL);
    ioctl(-1, HDIO_GET_NICE, &value);
    ioctl(-1, HDIO_SET_NICE, 5UL);
    ioctl(-1, HDIO_SET_BUSSTATE, 1UL);
    ioctl(-1, HDIO_SET_BUSSTATE, 7UL);
    ioctl(-1, HDIO_GET_IDENTITY, identity);
}

int main(void)
{
    hdio();
    return 0;
}
