/* ioctl requests of storage, filesystem and seccomp families (HDIO_*,
 * FS_IOC_*, FIFREEZE, SECCOMP_IOCTL_NOTIF_*, TCSETS2, SG_*, UFFDIO_*, SIOC*, DM_*...), on fd -1: strace decodes the argument all the same, and
 * with an injected success (tests/test_ioctl_families.py) what the kernel
 * would have written back too.  Every pointer given points to static
 * data, so no address is printed where strace decodes the memory. */
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <sys/socket.h>
#include <linux/dm-ioctl.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <linux/userfaultfd.h>
#include <scsi/sg.h>
#include <asm/termbits.h>
#include <linux/seccomp.h>
#include <fcntl.h>
#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
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

static struct fstrim_range range = {.start = 0x1000, .len = 4096, .minlen = 512};
static struct fsxattr xattr = {.fsx_xflags = 0x80000009, .fsx_extsize = 7, .fsx_nextents = 3, .fsx_projid = 0x2a};
static unsigned int inode_flags = 0x10 | 0x4000000;
static struct {
    struct fiemap map;
    struct fiemap_extent extents[2];
} fiemap = {.map = {.fm_start = 0, .fm_length = 65536, .fm_flags = 1, .fm_mapped_extents = 2, .fm_extent_count = 2},
            .extents = {{.fe_logical = 0, .fe_physical = 4096, .fe_length = 8192, .fe_flags = 0x800},
                        {.fe_logical = 8192, .fe_physical = 65536, .fe_length = 4096, .fe_flags = 0x1 | 0x40}}};

static void filesystems(void)
{
    ioctl(-1, FIFREEZE, 0);
    ioctl(-1, FITHAW, 0xbadc0dedUL);
    ioctl(-1, FITRIM, &range);
    ioctl(-1, FS_IOC_FSGETXATTR, &xattr);
    ioctl(-1, FS_IOC_FSSETXATTR, &xattr);
    ioctl(-1, FS_IOC_GETFLAGS, &inode_flags);
    ioctl(-1, FS_IOC32_SETFLAGS, &inode_flags);
    ioctl(-1, FS_IOC_FIEMAP, &fiemap);
    ioctl(-1, _IO('f', 0xff), 0);
}

static struct seccomp_notif notif;
static struct seccomp_notif_resp resp = {.id = 7, .val = -1, .error = -ENOSR, .flags = 1};
static unsigned long long notif_id = 0xdecaffedfacefeedULL;
static struct seccomp_notif_addfd addfd = {.id = 1, .flags = 1, .srcfd = 0, .newfd = 9, .newfd_flags = O_CLOEXEC};

static void seccomp_notify(void)
{
    ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, &notif); /* all zero: shown once, as the kernel fills it */
    notif.id = 5;
    notif.data.nr = SYS_gettid;
    notif.data.arch = 0xc000003e; /* AUDIT_ARCH_X86_64 */
    notif.data.args[0] = 0xbad;
    ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, &notif);
    notif.data.nr = 224;
    notif.data.arch = 0x40000003; /* AUDIT_ARCH_I386 */
    ioctl(-1, SECCOMP_IOCTL_NOTIF_RECV, &notif);
    ioctl(-1, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    ioctl(-1, SECCOMP_IOCTL_NOTIF_ID_VALID, &notif_id);
    ioctl(-1, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
    ioctl(-1, SECCOMP_IOCTL_NOTIF_ADDFD, NULL);
}

static struct termios2 tio2 = {.c_iflag = 0x100, .c_cflag = 0xbd, .c_line = 0x90, .c_ispeed = 9600, .c_ospeed = 4800};

static void terminals(void)
{
    ioctl(-1, TCSETS2, &tio2); /* c_line beyond the known disciplines */
    ioctl(-1, TCGETS2, &tio2);
}

static int sg_value = -5;
static unsigned int sg_reset = 0x100 | 1; /* SG_SCSI_RESET_NO_ESCALATE|SG_SCSI_RESET_DEVICE */
static struct uffdio_api uffd_api = {.api = 0xaa, .features = 0};
static struct uffdio_register uffd_register = {.range = {.start = 0x10000, .len = 0x1000}, .mode = 1};
static struct uffdio_copy uffd_copy = {.dst = 0x10000, .src = 0x20000, .len = 0x1000, .mode = 1, .copy = 0x1000};

static void scsi_and_uffd(void)
{
    ioctl(-1, SG_GET_TIMEOUT, 0xdeadbeefUL);
    ioctl(-1, SG_SET_TRANSFORM, 0xdeadbeeffacefeedUL);
    ioctl(-1, SG_SET_TIMEOUT, &sg_value);
    ioctl(-1, SG_GET_PACK_ID, &sg_value);
    ioctl(-1, SG_SCSI_RESET, &sg_reset);
    ioctl(-1, UFFDIO_API, &uffd_api);
    ioctl(-1, UFFDIO_REGISTER, &uffd_register);
    ioctl(-1, UFFDIO_COPY, &uffd_copy);
    ioctl(-1, UFFDIO_WAKE, &uffd_register.range);
}

static struct ifreq ifr = {.ifr_name = "lo"};
static int owner = 77;

static void sockets(void)
{
    ioctl(-1, SIOCGIFINDEX, &ifr);
    ifr.ifr_flags = IFF_UP | IFF_LOOPBACK;
    ioctl(-1, SIOCSIFFLAGS, &ifr);
    ifr.ifr_mtu = 1500;
    ioctl(-1, SIOCSIFMTU, &ifr);
    ioctl(-1, SIOCBRADDBR, "br0");
    ioctl(-1, FIOSETOWN, &owner);
}

static struct {
    struct dm_ioctl ioc;
    struct dm_target_spec spec;
    char params[8];
} dm = {.ioc = {.version = {4, 1, 2}, .data_size = sizeof dm, .data_start = sizeof(struct dm_ioctl),
                .target_count = 1, .name = "vol", .flags = 1},
        .spec = {.sector_start = 0, .length = 8, .next = 0, .target_type = "linear"},
        .params = "/dev/x 0"};

static void device_mapper(void)
{
    ioctl(-1, DM_DEV_STATUS, &dm);
    ioctl(-1, DM_TABLE_LOAD, &dm);
}

/* With an argument: SIOCGIFCONF on a real socket, not injected (the
 * kernel lists the interfaces, loopback first). */
static int list_interfaces(void)
{
    struct ifreq list[4];
    struct ifconf conf = {.ifc_len = sizeof list, .ifc_req = list};
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    return ioctl(fd, SIOCGIFCONF, &conf) < 0;
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return list_interfaces();
    hdio();
    filesystems();
    seccomp_notify();
    terminals();
    scsi_and_uffd();
    sockets();
    device_mapper();
    return 0;
}
