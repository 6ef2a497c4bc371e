/* The console and keyboard ioctls (linux/kd.h) on fd -1: values passed by
 * value (tones, LEDs, modes, ports, signals), the ints and chars the
 * kernel writes back, keycodes, repeat rates, and the tables passed as
 * bytes or unsigned shorts, some ending where the mapping ends. */
#include <linux/kd.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static void call(unsigned long request, unsigned long arg)
{
	syscall(SYS_ioctl, -1, request, arg);
}

/* `size` bytes that end where the mapping ends (the next page is unmapped). */
static void *tail(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p + 3 * page, page);
	return p + 3 * page - size;
}

int main(void)
{
	static const unsigned long values[] = { 0, 1, 440, 1193182, 1193183, 0x10001, 0xdead0000fafaUL };
	for (unsigned i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		call(KIOCSOUND, values[i]);
		call(KDMKTONE, values[i]);
	}
	call(KDSETLED, LED_SCR | LED_CAP);
	call(KDSETLED, 0xf0);
	call(KDSKBLED, K_NUMLOCK | (K_CAPSLOCK << 4) | 0x80);
	call(KDADDIO, 0x3b3);
	call(KDDELIO, 0x3c0);
	call(KDSETMODE, KD_GRAPHICS);
	call(KDSETMODE, 7);
	call(KDSKBMODE, K_UNICODE);
	call(KDSKBMODE, -5UL);
	call(KDSKBMETA, K_ESCPREFIX);
	call(KDSKBMETA, 1);
	call(KDSIGACCEPT, SIGUSR2);
	call(KDSIGACCEPT, 200);
	call(KDENABIO, 0);
	call(PIO_FONTRESET, 0);

	int *mode = tail(sizeof(*mode));
	*mode = K_MEDIUMRAW;
	call(KDGKBMODE, (unsigned long) mode);
	char *leds = tail(1);
	*leds = LED_NUM | 0x20;
	call(KDGETLED, (unsigned long) leds);
	call(KDGKBLED, (unsigned long) leds);

	struct kbkeycode *keycode = tail(sizeof(*keycode));
	keycode->scancode = 0x1c;
	keycode->keycode = 28;
	call(KDGETKEYCODE, (unsigned long) keycode);
	call(KDSETKEYCODE, (unsigned long) keycode);
	struct kbd_repeat *rep = tail(sizeof(*rep));
	rep->delay = 250;
	rep->period = -1;
	call(KDKBDREP, (unsigned long) rep);

	unsigned char *map = tail(E_TABSZ);
	for (int i = 0; i < E_TABSZ; i++)
		map[i] = i;
	call(PIO_SCRNMAP, (unsigned long) map);
	call(GIO_SCRNMAP, (unsigned long) map);
	call(PIO_SCRNMAP, (unsigned long) (map + E_TABSZ - 33));  /* -s and one more */
	call(PIO_SCRNMAP, (unsigned long) (map + E_TABSZ - 32));  /* not enough: the address */
	unsigned char *cmap = tail(48);
	memset(cmap, 0x7f, 48);
	call(PIO_CMAP, (unsigned long) cmap);
	uint16_t *unimap = tail(E_TABSZ * sizeof(*unimap));
	for (int i = 0; i < E_TABSZ; i++)
		unimap[i] = 0xefe0 + 3 * i;
	call(PIO_UNISCRNMAP, (unsigned long) unimap);
	call(PIO_UNISCRNMAP, (unsigned long) (unimap + E_TABSZ - 32));  /* the next one unreadable */
	return 0;
}
