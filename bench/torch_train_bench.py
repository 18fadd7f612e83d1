#!/usr/bin/python3
"""Training throughput of emlab against PyTorch on the CPU, side by side in one run.

Runs `emlab bench train --json` for the standard shapes (tiny, small, medium, and the text shapes
text-64, text-128, text-256 with a 4096-token vocabulary), then trains the same GPT (the shapes
emlab's JSON names, batch, tied embeddings, tanh-GELU, AdamW with decay on matrices, gradient
clipping) with Debian's python3-torch on the same number of threads, and prints both throughputs
and their ratio. It also trains each shape as a second, independent reference built from PyTorch's
stock modules rather than written to mirror emlab: nn.TransformerEncoderLayer (pre-norm, no
dropout, tanh-GELU, PyTorch's own multi-head attention with a causal mask) under the same
embeddings, tied output layer, loss and optimiser.

    bench/torch_train_bench.py [--emlab build/release/emlab] [--threads 2] [--seconds 5]

OPENBLAS_CORETYPE is set to Haswell for both when unset: Debian's OpenBLAS 0.3.21 does not
recognise this Xeon and would otherwise fall back to SSE3 kernels (for PyTorch too, if its BLAS is
OpenBLAS)."""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Block(nn.Module):
    def __init__(self, width, heads, mlp_width):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.ln_2 = nn.LayerNorm(width)
        self.fc = nn.Linear(width, mlp_width)
        self.fc_proj = nn.Linear(mlp_width, width)

    def forward(self, x, mask):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(C // self.heads))
        att = att.masked_fill(mask[:T, :T] == 0, float("-inf")).softmax(dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        x = x + self.proj(y)
        return x + self.fc_proj(F.gelu(self.fc(self.ln_2(x)), approximate="tanh"))


class Gpt(nn.Module):
    def __init__(self, vocab, context, width, layers, heads, mlp_width):
        super().__init__()
        self.wte = nn.Embedding(vocab, width)
        self.wpe = nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads, mlp_width) for _ in range(layers))
        self.ln_f = nn.LayerNorm(width)
        self.register_buffer("mask", torch.tril(torch.ones(context, context)))

    def forward(self, tokens, targets):
        T = tokens.shape[1]
        x = self.wte(tokens) + self.wpe(torch.arange(T))
        for block in self.blocks:
            x = block(x, self.mask)
        logits = self.ln_f(x) @ self.wte.weight.t()  # tied output embedding
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1))


class StockGpt(nn.Module):
    """The same GPT from PyTorch's stock transformer layers: nothing here follows emlab's code."""

    def __init__(self, vocab, context, width, layers, heads, mlp_width):
        super().__init__()
        self.wte = nn.Embedding(vocab, width)
        self.wpe = nn.Embedding(context, width)
        layer = nn.TransformerEncoderLayer(
            width, heads, mlp_width, dropout=0.0, batch_first=True, norm_first=True,
            activation=lambda x: F.gelu(x, approximate="tanh"))
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.ln_f = nn.LayerNorm(width)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(context))

    def forward(self, tokens, targets):
        T = tokens.shape[1]
        x = self.wte(tokens) + self.wpe(torch.arange(T))
        x = self.encoder(x, mask=self.mask[:T, :T])
        logits = self.ln_f(x) @ self.wte.weight.t()  # tied output embedding
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1))


def torch_tokens_per_second(shape, seconds, model_class=Gpt, warmup=3):
    torch.manual_seed(0)
    model = model_class(shape["vocab"], shape["context"], shape["width"], shape["layers"],
                        shape["heads"], shape["mlp_width"])
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                                   {"params": no_decay, "weight_decay": 0.0}],
                                  lr=1e-4, betas=(0.9, 0.95), eps=1e-8)
    B, T = shape["batch_size"], shape["context"]
    tokens = torch.randint(0, shape["vocab"], (B, T))
    targets = torch.randint(0, shape["vocab"], (B, T))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = model(tokens, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    for _ in range(warmup):
        step()
    steps, start = 0, time.perf_counter()
    while steps < 3 or time.perf_counter() - start < seconds:
        step()
        steps += 1
    return steps * B * T / (time.perf_counter() - start)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--emlab", default=os.path.join(here, "..", "build", "release", "emlab"))
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--shapes", default="tiny,small,medium,text-64,text-128,text-256")
    args = parser.parse_args()
    names = args.shapes.split(",")

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "emlab.json")
        subprocess.run([args.emlab, "bench", "train", "--threads", str(args.threads), "--seconds",
                        str(args.seconds), "--shapes", args.shapes, "--json", out],
                       check=True, stdout=sys.stderr)
        with open(out) as f:
            emlab = json.load(f)
    torch.set_num_threads(args.threads)
    print(f"\nthreads {args.threads}; torch {torch.__version__}; "
          f"sgemm {emlab['sgemm_gflops']['best']:.0f} GFLOP/s (best n=1024 or 512, emlab's BLAS)")
    print(f"{'shape':<9} {'emlab tok/s':>12} {'torch tok/s':>12} {'ratio':>7} "
          f"{'stock tok/s':>12} {'ratio':>7} {'emlab MFU':>10}")
    for result in emlab["results"]:
        name = result["shape"]
        if name not in names:
            continue
        ours = result["tokens_per_second"]
        torch_tps = torch_tokens_per_second(result, args.seconds)  # the shape emlab ran
        stock_tps = torch_tokens_per_second(result, args.seconds, StockGpt)
        print(f"{name:<9} {ours:>12.0f} {torch_tps:>12.0f} {ours / torch_tps:>6.2f}x "
              f"{stock_tps:>12.0f} {ours / stock_tps:>6.2f}x {100 * result['mfu_vs_sgemm']:>9.1f}%",
              flush=True)


if __name__ == "__main__":
    main()
