"""Images as arrays, one import for the pages: the public names of the image modules, by concern.

- :mod:`logreg.decoding` -- bytes -> pixels with bounded memory (the accepted types, the caps);
- :mod:`logreg.geometry` -- crop, resize, and the course's flatten (an image per column);
- :mod:`logreg.mnist_style` -- a photo of a digit prepared the way MNIST digits were;
- :mod:`logreg.uploads` -- a zip of class folders (and the course's .h5 files), with caps.

An image is an ndarray of shape (h, w, 3) (RGB) or (h, w) (grey), dtype uint8.
"""

from __future__ import annotations

from .decoding import (
    DECODE_BUDGET_BYTES,
    IMAGE_TYPES,
    MAX_DECODED_SIDE,
    MAX_IMAGE_BYTES,
    MAX_PIXELS,
    ImageError,
    accepted_types_text,
    check_image,
    decode_image,
    decode_image_sized,
    gray_from_rgb,
)
from .geometry import (
    MAX_SIZE,
    center_crop,
    column_to_image,
    columns_to_images,
    fit_within,
    flatten_dataset,
    image_to_column,
    resize_square,
    standardize,
    to_model_input,
    wrong_flatten,
)
from .mnist_style import mnist_preprocess, mnist_stages
from .uploads import (
    MAX_ZIP_BYTES,
    MAX_ZIP_MEMBER_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_PIXELS,
    MAX_ZIP_TOTAL_UNCOMPRESSED,
    ZIP_CPU_SECONDS,
    ClassZip,
    load_class_zip,
    read_capped,
)

__all__ = [
    "DECODE_BUDGET_BYTES", "IMAGE_TYPES", "MAX_DECODED_SIDE", "MAX_IMAGE_BYTES", "MAX_PIXELS", "MAX_SIZE",
    "MAX_ZIP_BYTES", "MAX_ZIP_MEMBER_BYTES", "MAX_ZIP_MEMBERS", "MAX_ZIP_PIXELS", "MAX_ZIP_TOTAL_UNCOMPRESSED",
    "ZIP_CPU_SECONDS", "ClassZip", "ImageError", "accepted_types_text", "center_crop", "check_image",
    "column_to_image", "columns_to_images", "decode_image", "decode_image_sized", "fit_within", "flatten_dataset", "gray_from_rgb",
    "image_to_column", "load_class_zip", "mnist_preprocess", "mnist_stages", "read_capped", "resize_square",
    "standardize", "to_model_input", "wrong_flatten",
]
