"""The sections of a FlyVec model file (docs/FORMAT.md), for the measuring scripts beside it."""
import json, struct, subprocess, sys
from dataclasses import dataclass

import numpy as np


@dataclass
class Model:
    meta: dict
    words: list
    counts: list
    stop_words: list
    units: int
    inputs: int
    payload: bytes
    synapses_at: int  # payload offset of the synapses

    @property
    def synapse_bytes(self):
        return 2 if self.meta.get('precision') == 'float16' else 4

    def synapses(self):
        """inputs × K true weights, as float32 (input-major, as stored)."""
        kind = np.float16 if self.synapse_bytes == 2 else np.float32
        count = self.inputs * self.units
        return np.frombuffer(self.payload, dtype=kind, count=count, offset=self.synapses_at).reshape(self.inputs, self.units).astype(np.float32)

    @property
    def after_synapses(self):
        """Payload offset of what follows the synapses (the usage profile, when stored)."""
        return self.synapses_at + self.inputs * self.units * self.synapse_bytes


def read(path):
    """The model at `path`: its payload decompressed (the zstd frame after the 16-byte envelope) and
    its sections up to the synapses."""
    with open(path, 'rb') as f:
        if f.read(16)[:8] != b'FLYVECM\0':
            sys.exit(f'{path}: not a FlyVec model')
        b = subprocess.run(['zstd', '-dq'], input=f.read(), capture_output=True, check=True).stdout
    at = 0

    def blob():
        nonlocal at
        n = struct.unpack_from('<Q', b, at)[0]
        at += 8 + n
        return b[at - n:at]

    meta = json.loads(blob())
    entries = [line.split('\t') for line in blob().decode().split('\n') if line]
    stops = [w for w in blob().decode().split('\n') if w]
    units, inputs = struct.unpack_from('<II', b, at)
    return Model(meta, [e[0] for e in entries], [int(e[1]) if len(e) > 1 and e[1].isdigit() else 0 for e in entries],
                 stops, units, inputs, b, at + 8)
