// The only header that brings libzstd into Swift: FlyVec's Zstd.swift owns every call.
#include <zstd.h>
#include <zstd_errors.h>
