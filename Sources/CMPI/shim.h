// The only code that sees MPI's headers: Open MPI's handles (MPI_COMM_WORLD, MPI_BYTE, ...) are
// macros over addresses of globals, which Swift cannot import, so each call FlyVec makes is a
// small function here. Every function returns the MPI error code (MPI_SUCCESS is 0).
#ifndef FLYVEC_CMPI_SHIM_H
#define FLYVEC_CMPI_SHIM_H
#include <mpi.h>
#include <stdint.h>
#include <time.h>

// Initialises MPI for a process whose MPI calls all come from one thread (the one that called
// this). Errors return codes instead of aborting, so that FlyVec can report them.
static inline int flyvec_mpi_init(int *rank, int *size) {
    int provided = 0;
    int rc = MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    if (rc != MPI_SUCCESS) return rc;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    rc = MPI_Comm_rank(MPI_COMM_WORLD, rank);
    if (rc != MPI_SUCCESS) return rc;
    return MPI_Comm_size(MPI_COMM_WORLD, size);
}

static inline int flyvec_mpi_finalize(void) { return MPI_Finalize(); }

static inline void flyvec_mpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

// Every rank's `count` bytes at `send`, concatenated in rank order into `receive`; `counts` and
// `displacements` (per rank, in bytes) say where each lands.
static inline int flyvec_mpi_allgatherv(const void *send, int count, void *receive,
                                        const int *counts, const int *displacements) {
    return MPI_Allgatherv(send, count, MPI_BYTE, receive, counts, displacements, MPI_BYTE, MPI_COMM_WORLD);
}

// Rank 0 receives every rank's bytes (gatherv); the others' `receive` is ignored.
static inline int flyvec_mpi_gatherv(const void *send, int count, void *receive,
                                     const int *counts, const int *displacements) {
    return MPI_Gatherv(send, count, MPI_BYTE, receive, counts, displacements, MPI_BYTE, 0, MPI_COMM_WORLD);
}

static inline int flyvec_mpi_allgather_int64(const int64_t *send, int64_t *receive, int count) {
    return MPI_Allgather(send, count, MPI_INT64_T, receive, count, MPI_INT64_T, MPI_COMM_WORLD);
}

static inline int flyvec_mpi_allreduce_max_int64(int64_t *values, int count) {
    return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_INT64_T, MPI_MAX, MPI_COMM_WORLD);
}

static inline int flyvec_mpi_bcast(void *bytes, int count, int root) {
    return MPI_Bcast(bytes, count, MPI_BYTE, root, MPI_COMM_WORLD);
}

// A barrier that sleeps while it waits (a millisecond between polls) instead of spinning as
// Open MPI's blocking calls do: a rank that is done leaves its core to those still working.
static inline int flyvec_mpi_sleeping_barrier(void) {
    MPI_Request request;
    int rc = MPI_Ibarrier(MPI_COMM_WORLD, &request);
    if (rc != MPI_SUCCESS) return rc;
    int done = 0;
    while (!done) {
        rc = MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS) return rc;
        if (!done) {
            struct timespec pause = {0, 1000000};
            nanosleep(&pause, NULL);
        }
    }
    return MPI_SUCCESS;
}

// One line for an error code.
static inline void flyvec_mpi_error_string(int code, char *text, int capacity) {
    int length = 0;
    char buffer[MPI_MAX_ERROR_STRING];
    if (MPI_Error_string(code, buffer, &length) != MPI_SUCCESS) length = 0;
    int n = length < capacity - 1 ? length : capacity - 1;
    for (int i = 0; i < n; i++) text[i] = buffer[i];
    if (capacity > 0) text[n] = 0;
}
#endif
