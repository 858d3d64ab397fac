"""Files a visitor uploads for training, read with caps: a zip of class folders, the course's cat .h5 files.

Every limit is checked on what the file *declares* before the allocation it implies
(entry counts, unpacked sizes, pixels, dataset shapes and their products, string
lengths), and again while reading where a declaration can lie. Nothing is written to
disk and nothing outside the uploaded bytes is ever opened: an ``.h5`` whose data lives
in another file (external storage, a virtual dataset, an external or soft link) is
refused, because HDF5 would otherwise read that file from the server.
"""

from .cat_h5 import (
    MAX_H5_BYTES,
    MAX_H5_CHUNKS,
    MAX_H5_EXAMPLES,
    MAX_H5_PIXELS,
    MAX_H5_READ_BYTES,
    h5_dataset,
    load_cat_h5,
)
from .class_zip import (
    MAX_ZIP_BYTES,
    MAX_ZIP_MEMBER_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_PIXELS,
    MAX_ZIP_TOTAL_UNCOMPRESSED,
    NEGATIVE_PREFIXES,
    ZIP_CPU_SECONDS,
    ClassZip,
    load_class_zip,
    read_capped,
)

__all__ = [
    "MAX_H5_BYTES", "MAX_H5_CHUNKS", "MAX_H5_EXAMPLES", "MAX_H5_PIXELS", "MAX_H5_READ_BYTES", "MAX_ZIP_BYTES", "MAX_ZIP_MEMBER_BYTES",
    "MAX_ZIP_MEMBERS", "MAX_ZIP_PIXELS", "MAX_ZIP_TOTAL_UNCOMPRESSED", "NEGATIVE_PREFIXES", "ZIP_CPU_SECONDS",
    "ClassZip", "h5_dataset", "load_cat_h5", "load_class_zip", "read_capped",
]
