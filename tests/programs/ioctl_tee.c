/* TEE (linux/tee.h) ioctls on fd -1: the structs passed in, and the
 * argument buffers a struct tee_ioctl_buf_data points to (an invoke, an
 * open-session of each login, the supplicant's receive and send), shown
 * only when buf_len matches their num_params; otherwise as the raw
 * buf_len and buf_ptr. */
#include <fcntl.h>
#include <linux/tee.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PARAMS 3

static void call(unsigned long request, const void *arg)
{
	syscall(SYS_ioctl, -1, request, arg);
}

static void params(struct tee_ioctl_param *p)
{
	static const uint64_t attrs[PARAMS] = {
		TEE_IOCTL_PARAM_ATTR_TYPE_NONE,
		TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT | TEE_IOCTL_PARAM_ATTR_META,
		TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
	};
	for (int i = 0; i < PARAMS; i++) {
		p[i].attr = attrs[i];
		p[i].a = 0x1000 + i;
		p[i].b = 0x20;
		p[i].c = 7;
	}
}

int main(void)
{
	struct tee_ioctl_cancel_arg cancel = { .cancel_id = 42, .session = 0xbeef };
	struct tee_ioctl_close_session_arg close_session = { .session = 0xfeed };
	struct tee_ioctl_shm_alloc_data alloc = { .size = 0x4000, .flags = 3 | 0x80 };
	struct tee_ioctl_shm_register_data reg = { .addr = 0x7000, .length = 0x2000, .flags = 0 };
	struct tee_ioctl_buf_data buf;
	struct {
		struct tee_ioctl_invoke_arg head;
		struct tee_ioctl_param p[PARAMS];
	} invoke = { .head = { .func = 9, .session = 0xabc, .cancel_id = 1, .num_params = PARAMS } };
	struct {
		struct tee_ioctl_open_session_arg head;
		struct tee_ioctl_param p[PARAMS];
	} session = { .head = { .cancel_id = 5, .num_params = PARAMS } };
	struct {
		struct tee_iocl_supp_recv_arg head;
		struct tee_ioctl_param p[PARAMS];
	} recv = { .head = { .func = 3, .num_params = PARAMS } };
	struct {
		struct tee_iocl_supp_send_arg head;
		struct tee_ioctl_param p[PARAMS];
	} send = { .head = { .ret = 1, .num_params = PARAMS } };
	static const uint32_t logins[] = { TEE_IOCTL_LOGIN_PUBLIC, TEE_IOCTL_LOGIN_GROUP,
		TEE_IOCTL_LOGIN_USER_APPLICATION, 0x80000000, 0x33 };
	uint32_t gid = 1234;

	call(TEE_IOC_CANCEL, NULL);
	call(TEE_IOC_CANCEL, &cancel);
	call(TEE_IOC_CLOSE_SESSION, &close_session);
	call(TEE_IOC_SHM_ALLOC, &alloc);
	call(TEE_IOC_SHM_REGISTER, &reg);
	call(TEE_IOC_VERSION, NULL);
	struct tee_ioctl_version_data version = { .impl_id = 1, .impl_caps = 1, .gen_caps = 0x15 };
	call(TEE_IOC_VERSION, &version);
	/* Not in mainline Linux: s64 fd, u64 size, u32 flags, u32 id, padded. */
	struct { int64_t fd; uint64_t size; uint32_t flags, pad, id, pad2; } register_fd = {
		.fd = open("/dev/null", O_RDONLY), .size = 0x10, .flags = 2 };
	call(_IOWR(0xa4, 8, register_fd), &register_fd);

	params(invoke.p);
	buf.buf_ptr = (uintptr_t) &invoke;
	buf.buf_len = sizeof(invoke);
	call(TEE_IOC_INVOKE, &buf);
	buf.buf_len = sizeof(invoke) - 1;           /* does not match num_params */
	call(TEE_IOC_INVOKE, &buf);
	buf.buf_len = 1ULL << 40;                   /* more than the kernel takes */
	call(TEE_IOC_INVOKE, &buf);

	params(session.p);
	memcpy(session.head.uuid, "\x01\x23\x45\x67\x89\xab\xcd\xef\xfe\xdc\xba\x98\x76\x54\x32\x10", 16);
	memset(session.head.clnt_uuid, 0xa5, sizeof(session.head.clnt_uuid));
	memcpy(session.head.clnt_uuid, &gid, sizeof(gid));
	buf.buf_ptr = (uintptr_t) &session;
	buf.buf_len = sizeof(session);
	for (unsigned i = 0; i < sizeof(logins) / sizeof(logins[0]); i++) {
		session.head.clnt_login = logins[i];
		call(TEE_IOC_OPEN_SESSION, &buf);
	}

	params(recv.p);
	buf.buf_ptr = (uintptr_t) &recv;
	buf.buf_len = sizeof(recv);
	call(TEE_IOC_SUPPL_RECV, &buf);
	params(send.p);
	buf.buf_ptr = (uintptr_t) &send;
	buf.buf_len = sizeof(send);
	call(TEE_IOC_SUPPL_SEND, &buf);
	buf.buf_ptr = 0xdead0000;                   /* unreadable */
	call(TEE_IOC_SUPPL_SEND, &buf);
	return 0;
}
