/* ioctl requests strace names without decoding them: HID requests whose
 * size field the caller sets, ZFS on Linux's (which no Linux header
 * defines), BLKZNAME and KSTAT_IOC_*.  Every call is on fd -1; the
 * argument is a plain word (0 or 0x...), shown as a hex word. */
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void call(unsigned long request, unsigned long arg)
{
	syscall(SYS_ioctl, -1, request, arg);
}

int main(void)
{
	call(_IOC(_IOC_READ, 'H', 0x12, 8), 0);          /* HIDIOCGPHYS(8) */
	call(_IOC(_IOC_READ, 'H', 0x04, 64), 0x1000);    /* HIDIOCGRAWNAME(64) */
	call(_IOC(_IOC_READ | _IOC_WRITE, 'H', 0x07, 16), 0);  /* HIDIOCGFEATURE(16) */
	call(_IOC(_IOC_READ | _IOC_WRITE, 'H', 0x06, 16), 0);  /* HIDIOCSFEATURE(16) */
	call(_IOC(_IOC_WRITE, 'H', 0x12, 8), 0);         /* not named */
	call('Z' << 8, 0);                                /* ZFS_IOC_POOL_CREATE */
	call('Z' << 8 | 'A', 0x2000);                     /* ZFS_IOC_SEND_SPACE */
	call(('Z' << 8) + 0x88, 0);                       /* ZFS_IOC_GET_BOOTENV */
	call(('Z' << 8) + 0x7f, 0);                       /* not named */
	call(_IOC(_IOC_READ, 0x12, 125, 256), 0);         /* BLKZNAME */
	call(('K' << 8) + 1, 0);                          /* KSTAT_IOC_CHAIN_ID */
	call(('K' << 8) + 3, 0);                          /* KSTAT_IOC_WRITE */
	return 0;
}
