/* Calls with fixed results for the command-line tests (test_cli_strace.py):
 * one write to stdout, a close of an fd that is not open, and exit code 3. */
#include <unistd.h>

int main(void)
{
    write(1, "hi\n", 3);
    close(100);
    return 3;
}
