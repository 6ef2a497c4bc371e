/* An ioctl whose struct holds a pid, in a pid namespace of its own (run
 * under unshare -Urpf): BLKTRACESETUP on fd -1 with the caller's own pid,
 * which --pidns-translation shows as atrace's namespace numbers it. */
#include <linux/blktrace_api.h>
#include <linux/fs.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct blk_user_trace_setup setup;
	memset(&setup, 0, sizeof(setup));
	setup.act_mask = 1;
	setup.buf_size = 4096;
	setup.buf_nr = 2;
	setup.pid = getpid();
	syscall(SYS_ioctl, -1, BLKTRACESETUP, &setup);
	return 0;
}
