#include "shutdown_signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile int write_end = -1;

// Only async-signal-safe calls: write(2), and errno saved around it.
static void on_signal(int number) {
    int saved = errno;
    unsigned char byte = (unsigned char)number;
    if (write_end >= 0) {
        ssize_t ignored = write(write_end, &byte, 1);
        (void)ignored;
    }
    errno = saved;
}

int shutdown_signals_install(void) {
    int ends[2];
    if (pipe(ends) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(ends[i], F_SETFD, FD_CLOEXEC);
    }
    // A full pipe (hundreds of signals unread) must not block the handler.
    fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK);
    write_end = ends[1];

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    if (sigaction(SIGINT, &action, NULL) != 0 || sigaction(SIGTERM, &action, NULL) != 0) {
        return -1;
    }
    return ends[0];
}
