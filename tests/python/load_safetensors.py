#!/usr/bin/python3
"""Independent reader of a safetensors file, written from the format's published description
(8-byte little-endian header length, JSON header, raw little-endian data), using numpy only.
Uses Hugging Face's `safetensors` package instead when it is installed. Prints one JSON object:
{"metadata": {...}, "tensors": {name: {"shape": [...], "sum": float, "first": float}}}."""
import json
import struct
import sys

import numpy as np


def load(path):
    try:
        from safetensors.numpy import load_file, safe_open  # noqa: F401
        with safe_open(path, framework="np") as f:
            metadata = f.metadata() or {}
        return metadata, load_file(path)
    except ImportError:
        pass
    with open(path, "rb") as f:
        blob = f.read()
    (header_len,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + header_len])
    data = blob[8 + header_len :]
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, entry in header.items():
        assert entry["dtype"] == "F32", f"{name}: unexpected dtype {entry['dtype']}"
        begin, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[begin:end], dtype="<f4").reshape(entry["shape"])
    return metadata, tensors


def main():
    metadata, tensors = load(sys.argv[1])
    out = {
        "metadata": metadata,
        "tensors": {
            name: {
                "shape": list(t.shape),
                "sum": float(np.sum(t, dtype=np.float64)),
                "first": float(t.reshape(-1)[0]) if t.size else 0.0,
            }
            for name, t in tensors.items()
        },
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
