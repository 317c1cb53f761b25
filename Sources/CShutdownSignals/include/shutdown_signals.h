#ifndef SHUTDOWN_SIGNALS_H
#define SHUTDOWN_SIGNALS_H

/// Installs a handler for SIGINT and SIGTERM that writes the signal's number as one byte
/// to a pipe, and returns the pipe's read end (-1 on failure, errno set). The handler
/// is installed synchronously with sigaction: from the moment this returns, a signal is
/// never the default action (death) nor lost; it waits in the pipe until read.
/// Call once per process.
int shutdown_signals_install(void);

#endif
