/* The console and keyboard ioctls (linux/kd.h) on fd -1: values passed by
 * value (tones, LEDs, modes, ports, signals), the ints and chars the
 * kernel writes back, keycodes, repeat rates, and the tables passed as
 * bytes or unsigned shorts, some ending where the mapping ends. */
#include <linux/kd.h>
#include <linux/keyboard.h>
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

	/* Keysyms: named, a char, an unnamed value of a type, an unknown type. */
	static const unsigned short keysyms[] = { K_F1, K_PGDN, K(KT_LATIN, 'q'), K(KT_META, '\\'),
		K(KT_SPEC, 0x7d), K(KT_CONS, 0), K_CAPSSHIFT, 0xf00d };
	struct kbentry *entry = tail(sizeof(*entry));
	for (unsigned i = 0; i < sizeof(keysyms) / sizeof(keysyms[0]); i++) {
		entry->kb_table = i % 2 ? K_ALTTAB : (1 << KG_CTRL) | (1 << KG_SHIFTR);
		entry->kb_index = 10 + i;
		entry->kb_value = keysyms[i];
		call(KDSKBENT, (unsigned long) entry);
	}
	call(KDGKBENT, (unsigned long) entry);
	struct kbentry *half = tail(2);  /* its value unreadable */
	call(KDSKBENT, (unsigned long) half);

	struct kbsentry *sentry = tail(sizeof(*sentry));
	sentry->kb_func = KVAL(K_F5);
	strcpy((char *) sentry->kb_string, "\033[15~");
	call(KDSKBSENT, (unsigned long) sentry);
	call(KDGKBSENT, (unsigned long) sentry);
	memset(sentry->kb_string, 'x', sizeof(sentry->kb_string));
	call(KDSKBSENT, (unsigned long) sentry);  /* no NUL: cut */

	struct kbdiacrs *diacrs = tail(sizeof(diacrs->kb_cnt) + 3 * sizeof(struct kbdiacr));
	static const struct kbdiacr accents[] = { { '`', 'a', 0xe0 }, { '\'', 'e', 0xe9 }, { '\\', '\n', 0 } };
	memcpy(diacrs->kbdiacr, accents, sizeof(accents));
	diacrs->kb_cnt = 3;
	call(KDSKBDIACR, (unsigned long) diacrs);
	diacrs->kb_cnt = 5;  /* more than can be read */
	call(KDSKBDIACR, (unsigned long) diacrs);
	struct kbdiacrsuc *uc = tail(sizeof(*uc));
	uc->kb_cnt = 300;  /* more than the array holds */
	for (int i = 0; i < 256; i++)
		uc->kbdiacruc[i] = (struct kbdiacruc) { 0x300 + i, 'a' + i % 26, 0xe0 + i };
	call(KDSKBDIACRUC, (unsigned long) uc);
	call(KDGKBDIACRUC, (unsigned long) uc);

	struct unipair *pairs = tail(3 * sizeof(*pairs));
	for (int i = 0; i < 3; i++)
		pairs[i] = (struct unipair) { 0x2500 + i, 0xc4 + i };
	struct unimapdesc *desc = tail(sizeof(*desc));
	desc->entry_ct = 3;
	desc->entries = pairs;
	call(PIO_UNIMAP, (unsigned long) desc);
	call(GIO_UNIMAP, (unsigned long) desc);
	desc->entry_ct = 4;  /* the last cannot be read */
	call(PIO_UNIMAP, (unsigned long) desc);
	struct unimapinit *init = tail(sizeof(*init));
	*init = (struct unimapinit) { 256, 3, 1 };
	call(PIO_UNIMAPCLR, (unsigned long) init);

	unsigned char *glyphs = tail(2 * 32);
	memset(glyphs, 0x3c, 2 * 32);
	struct consolefontdesc *fontx = tail(sizeof(*fontx));
	*fontx = (struct consolefontdesc) { 2, 16, (char *) glyphs };
	call(PIO_FONTX, (unsigned long) fontx);
	call(GIO_FONTX, (unsigned long) fontx);
	struct console_font_op *op = tail(sizeof(*op));
	*op = (struct console_font_op) { KD_FONT_OP_SET, KD_FONT_FLAG_DONT_RECALC, 8, 16, 2, glyphs };
	call(KDFONTOP, (unsigned long) op);
	op->op = KD_FONT_OP_GET;
	call(KDFONTOP, (unsigned long) op);
	char *name = tail(8);
	strcpy(name, "lat1-16");
	*op = (struct console_font_op) { KD_FONT_OP_SET_DEFAULT, 0, 8, 16, 0, (unsigned char *) name };
	call(KDFONTOP, (unsigned long) op);
	op->op = KD_FONT_OP_COPY;
	call(KDFONTOP, (unsigned long) op);
	op->op = 9;
	call(KDFONTOP, (unsigned long) op);
	return 0;
}
