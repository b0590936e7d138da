/* memfile.h — bytes as a file for the fuzz harnesses of file readers: an
 * unlinked temporary file (in /dev/shm when there is one: memory) named
 * /proc/self/fd/N, so the readers run their real code (tg_input). */
#ifndef TG_FUZZ_MEMFILE_H
#define TG_FUZZ_MEMFILE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Writes data into a new unlinked temporary file and its path into path (64 bytes); returns
 * the fd (close it when done) or -1. */
static inline int tg_fuzz_memfile(const void *data, size_t size, const char *name, char *path)
{
    char tmpl[64];
    const char *p = data;
    size_t at = 0;
    int fd;

    snprintf(tmpl, sizeof tmpl, "%s/tg-fuzz-%s-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", name);
    fd = mkstemp(tmpl);
    if (fd < 0)
        return -1;
    unlink(tmpl);
    while (at < size) {
        ssize_t w = write(fd, p + at, size - at);
        if (w <= 0) {
            close(fd);
            return -1;
        }
        at += (size_t)w;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}

#endif
