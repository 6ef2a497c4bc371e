/* ioctls of the character and block device families atrace decodes
 * (input, GPIO, PTP, RTC, loop, block, MTD, UBI, LIRC, counter, NBD, perf,
 * /dev/random),
 * all on fd -1: the kernel fails them with EBADF, the tracer decodes them
 * all the same.  Run also with `-e inject=ioctl:retval=N`, so that the
 * structs the kernel would write are the ones filled in here.  For
 * tests/test_ioctl_families.py (exact lines, and atrace against strace). */
#include <linux/blkpg.h>
#include <linux/counter.h>
#include <linux/fs.h>
#include <linux/gpio.h>
#include <linux/input.h>
#include <linux/lirc.h>
#include <linux/perf_event.h>
#include <linux/loop.h>
#include <linux/nbd.h>
#include <linux/ptp_clock.h>
#include <linux/random.h>
#include <linux/rtc.h>
#include <mtd/mtd-abi.h>
#include <mtd/ubi-user.h>
#include <string.h>
#include <sys/ioctl.h>

static void input(void)
{
    struct input_id id = {.bustype = 3, .vendor = 0x46d, .product = 0xc52b, .version = 0x111};
    unsigned int keycode[2] = {30, 1};
    unsigned long bits[4] = {1 << 1 | 1 << 3 | 1 << 17};
    char name[64] = "AT Translated Set 2 keyboard";
    struct input_absinfo abs = {.value = 5, .minimum = -10, .maximum = 10, .fuzz = 1, .flat = 2, .resolution = 3};
    struct ff_effect effect;
    memset(&effect, 0, sizeof effect);
    effect.type = FF_RUMBLE;
    effect.id = -1;
    effect.u.rumble.strong_magnitude = 0x8000;
    ioctl(-1, EVIOCGID, &id);
    ioctl(-1, EVIOCSKEYCODE, keycode);
    ioctl(-1, EVIOCGBIT(0, sizeof bits), bits);
    ioctl(-1, EVIOCGBIT(EV_KEY, 0), NULL);
    ioctl(-1, EVIOCGNAME(sizeof name), name);
    ioctl(-1, EVIOCGABS(ABS_Y), &abs);
    ioctl(-1, EVIOCSABS(0x3e), &abs);
    ioctl(-1, EVIOCSFF, &effect);
    ioctl(-1, EVIOCGRAB, 1UL);
}

static void gpio(void)
{
    struct gpioline_info info;
    memset(&info, 0, sizeof info);
    info.line_offset = 7;
    info.flags = GPIOLINE_FLAG_IS_OUT | GPIOLINE_FLAG_ACTIVE_LOW;
    strcpy(info.name, "led0");
    struct gpio_v2_line_values values = {.bits = 0x5, .mask = 0xf};
    struct gpioevent_request event;
    memset(&event, 0, sizeof event);
    event.lineoffset = 4;
    event.eventflags = GPIOEVENT_REQUEST_BOTH_EDGES;
    strcpy(event.consumer_label, "button");
    ioctl(-1, GPIO_GET_LINEINFO_IOCTL, &info);
    ioctl(-1, GPIO_V2_LINE_SET_VALUES_IOCTL, &values);
    ioctl(-1, GPIO_GET_LINEEVENT_IOCTL, &event);
}

static void clocks(void)
{
    struct ptp_extts_request extts = {.index = 1, .flags = PTP_ENABLE_FEATURE | PTP_RISING_EDGE};
    struct ptp_perout_request perout;
    memset(&perout, 0, sizeof perout);
    perout.start.sec = 1000000000;
    perout.period.sec = 1;
    perout.flags = PTP_PEROUT_ONE_SHOT;
    struct rtc_time tm = {.tm_sec = 1, .tm_min = 2, .tm_hour = 3, .tm_mday = 4, .tm_mon = 5, .tm_year = 106};
    ioctl(-1, PTP_EXTTS_REQUEST, &extts);
    ioctl(-1, PTP_PEROUT_REQUEST, &perout);
    ioctl(-1, PTP_ENABLE_PPS, 1);
    ioctl(-1, RTC_SET_TIME, &tm);
    ioctl(-1, RTC_RD_TIME, &tm);
    ioctl(-1, RTC_UIE_ON, 0);
}

static void storage(void)
{
    struct loop_info64 info;
    memset(&info, 0, sizeof info);
    info.lo_offset = 0x200;
    info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
    strcpy((char *) info.lo_file_name, "/tmp/disk.img");
    unsigned long long range[2] = {4096, 65536};
    struct blkpg_partition part = {.start = 2048, .length = 1 << 20, .pno = 1};
    struct blkpg_ioctl_arg pg = {.op = BLKPG_ADD_PARTITION, .datalen = sizeof part, .data = &part};
    ioctl(-1, LOOP_SET_STATUS64, &info);
    ioctl(-1, LOOP_CTL_ADD, 3);
    ioctl(-1, LOOP_CLR_FD, 0);
    ioctl(-1, BLKDISCARD, range);
    ioctl(-1, BLKPG, &pg);
    ioctl(-1, BLKRASET, 256UL);
    ioctl(-1, NBD_SET_FLAGS, 0x3UL);
    ioctl(-1, NBD_DISCONNECT, 0);
}

static void flash(void)
{
    struct erase_info_user erase = {.start = 0x10000, .length = 0x2000};
    struct mtd_info_user info = {.type = MTD_NANDFLASH, .flags = MTD_WRITEABLE, .size = 0x100000,
                                 .erasesize = 0x20000, .writesize = 0x800, .oobsize = 64};
    struct ubi_mkvol_req mkvol;
    memset(&mkvol, 0, sizeof mkvol);
    mkvol.vol_id = 1;
    mkvol.bytes = 1 << 20;
    mkvol.vol_type = UBI_DYNAMIC_VOLUME;
    mkvol.name_len = 6;
    strcpy(mkvol.name, "rootfs");
    ioctl(-1, MEMERASE, &erase);
    ioctl(-1, MEMGETINFO, &info);
    ioctl(-1, UBI_IOCMKVOL, &mkvol);
    ioctl(-1, PERF_EVENT_IOC_ENABLE, PERF_IOC_FLAG_GROUP);
    ioctl(-1, PERF_EVENT_IOC_SET_FILTER, "filter");
}

static void others(void)
{
    unsigned int mode = LIRC_MODE_MODE2;
    struct counter_watch watch = {
        .component = {.type = COUNTER_COMPONENT_COUNT, .scope = COUNTER_SCOPE_COUNT, .parent = 1, .id = 2},
        .event = COUNTER_EVENT_OVERFLOW, .channel = 0};
    union {
        struct rand_pool_info info;
        char bytes[sizeof(struct rand_pool_info) + 4];
    } pool;
    pool.info.entropy_count = 32;
    pool.info.buf_size = 4;
    memcpy(pool.info.buf, "seed", 4);
    ioctl(-1, LIRC_SET_REC_MODE, &mode);
    ioctl(-1, COUNTER_ADD_WATCH_IOCTL, &watch);
    ioctl(-1, COUNTER_ENABLE_EVENTS_IOCTL, 0);
    ioctl(-1, RNDADDENTROPY, &pool);
}

int main(void)
{
    input();
    gpio();
    clocks();
    storage();
    flash();
    others();
    return 0;
}
