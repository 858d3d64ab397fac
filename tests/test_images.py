"""logreg.images: safe decoding, resizing, the course's flatten, MNIST preprocessing, zips of class folders.

Every test image is generated here (no downloads)."""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
import zlib

import numpy as np
import pytest
from PIL import Image

from logreg import images
from logreg.datasets import load_digits_subset
from logreg.images import ImageError


def encode(img: Image.Image, fmt="PNG", **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that *declares* width x height (a decompression bomb's header)."""

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


RED = (255, 0, 0)
BLUE = (0, 0, 255)


# --------------------------------------------------------------------------- decode_image: modes


def test_rgb_png_roundtrip_exact():
    arr = np.random.default_rng(0).integers(0, 256, (7, 9, 3), dtype=np.uint8)
    out = images.decode_image(encode(Image.fromarray(arr)))
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, arr)


def test_mode_L_uses_luma_and_RGB_repeats_grey():
    red = encode(Image.new("RGB", (4, 3), RED))
    grey = images.decode_image(red, mode="L")
    assert grey.shape == (3, 4)
    assert np.all(grey == 76)  # 0.299 * 255
    g = encode(Image.new("L", (4, 3), 200))
    rgb = images.decode_image(g)
    assert rgb.shape == (3, 4, 3) and np.all(rgb == 200)


def test_exif_orientation_is_applied():
    # 40 wide x 20 tall, left half red, right half blue; EXIF 6 = "rotate 90 degrees clockwise to display".
    arr = np.zeros((20, 40, 3), np.uint8)
    arr[:, :20] = RED
    arr[:, 20:] = BLUE
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(Image.fromarray(arr), "JPEG", exif=exif, quality=95)
    out = images.decode_image(data)
    assert out.shape == (40, 20, 3)  # portrait now
    top, bottom = out[:15].mean(axis=(0, 1)), out[25:].mean(axis=(0, 1))
    assert top[0] > 200 and top[2] < 60  # the left (red) side is now on top
    assert bottom[2] > 200 and bottom[0] < 60


def test_palette_png_with_transparency_composited_on_white():
    img = Image.new("P", (4, 2), 0)
    img.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    img.putpixel((0, 0), 1)  # one blue pixel; the rest is index 0, which is transparent
    data = encode(img, transparency=0)
    out = images.decode_image(data)
    np.testing.assert_array_equal(out[0, 0], BLUE)
    np.testing.assert_array_equal(out[1, 3], (255, 255, 255))  # transparent red -> white, not red


def test_rgba_half_transparent_black_is_mid_grey():
    out = images.decode_image(encode(Image.new("RGBA", (3, 3), (0, 0, 0, 128))))
    assert np.all(np.abs(out.astype(int) - 127) <= 1)


def test_la_and_pa_modes():
    la = images.decode_image(encode(Image.new("LA", (2, 2), (0, 0))), mode="L")
    assert np.all(la == 255)  # fully transparent black -> white
    pa = Image.new("PA", (2, 2))
    pa.putpalette([10, 20, 30] * 256)
    out = images.decode_image(encode(pa.convert("RGBA")))
    assert out.shape == (2, 2, 3)


def test_16_bit_png_is_scaled_not_clipped():
    vals = np.array([[0, 256, 32896, 65535]], dtype=np.uint16)
    data = encode(Image.fromarray(vals))
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    out = images.decode_image(data, mode="L")
    np.testing.assert_array_equal(out, [[0, 1, 128, 255]])


def test_one_bit_image():
    img = Image.new("1", (4, 1), 0)
    img.putpixel((1, 0), 1)
    out = images.decode_image(encode(img), mode="L")
    np.testing.assert_array_equal(out, [[0, 255, 0, 0]])


@pytest.mark.parametrize("fmt", ["TIFF", "ICO", "PPM", "TGA"])
def test_types_outside_the_one_list_are_refused(fmt):
    # TIFF (libtiff) and Pillow's other plugins never see an upload: only images.IMAGE_TYPES are opened
    data = encode(Image.new("RGB", (16, 16), RED), fmt)
    assert Image.open(io.BytesIO(data)).format  # Pillow itself would read it
    with pytest.raises(ImageError, match="PNG, JPG, JPEG, WEBP, BMP or GIF"):
        images.decode_image(data)


def test_cmyk_jpeg_becomes_rgb():
    data = encode(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG", quality=95)
    out = images.decode_image(data)
    assert out.shape == (8, 8, 3)
    r, g, b = out.reshape(-1, 3).mean(axis=0)
    assert r > 200 and g < 60 and b < 60


def test_animated_gif_gives_first_frame():
    frames = [Image.new("RGB", (6, 6), RED), Image.new("RGB", (6, 6), BLUE)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(buf.getvalue())).n_frames == 2
    out = images.decode_image(buf.getvalue())
    assert np.all(out == RED)


def test_draft_size_shrinks_big_jpeg_but_not_below_request():
    data = encode(Image.new("RGB", (800, 600), (10, 200, 30)), "JPEG")
    out = images.decode_image(data, draft_size=64)
    assert 64 <= min(out.shape[:2]) < 600


# --------------------------------------------------------------------------- decode_image: shrinking before conversion


def test_band_wise_shrink_equals_reducing_the_whole_picture():
    from logreg import decoding

    arr = np.random.default_rng(3).integers(0, 256, (1100, 2500, 3), dtype=np.uint8)  # 2.75 M pixels: 3 bands
    img = Image.fromarray(arr)
    assert img.width * img.height > decoding.BAND_PIXELS
    np.testing.assert_array_equal(np.asarray(decoding.shrink_integer(img, 3)), np.asarray(img.reduce(3)))


def test_large_palette_picture_keeps_its_transparency_in_every_band():
    img = Image.new("P", (2400, 1800), 0)  # 4.3 M pixels, index 0 transparent
    img.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    img.paste(1, (0, 1500, 400, 1800))  # a blue block in the last band, bottom left
    out = images.decode_image(encode(img, transparency=0), max_side=240)
    assert out.shape == (180, 240, 3)
    np.testing.assert_array_equal(out[0, -1], (255, 255, 255))  # transparent red -> white, not red
    np.testing.assert_array_equal(out[-1, 0], BLUE)


def test_large_16_bit_grey_is_scaled_band_by_band():
    vals = np.full((1500, 1500), 65535, np.uint16)
    vals[:, :750] = 32896
    out = images.decode_image(encode(Image.fromarray(vals)), mode="L", max_side=150)
    assert out.shape == (150, 150)
    assert np.all(out[:, :70] == 128) and np.all(out[:, 80:] == 255)


def test_longest_side_is_capped_and_exif_applies_after_shrinking():
    arr = np.zeros((1000, 3000, 3), np.uint8)
    arr[:, :1500] = RED
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    out = images.decode_image(encode(Image.fromarray(arr), "JPEG", exif=exif, quality=95), max_side=300)
    assert max(out.shape[:2]) <= 300 and out.shape[0] > out.shape[1]  # portrait, small
    assert out[5, out.shape[1] // 2, 0] > 200  # the red left half is on top


def test_phone_jpeg_with_a_multi_picture_index_is_a_jpeg():
    # Pillow names such files "MPO"; they get the JPEG draft (decoded at 1/8 here) and the first picture
    pics = [Image.new("RGB", (3000, 2000), RED), Image.new("RGB", (3000, 2000), BLUE)]
    data = encode(pics[0], "MPO", save_all=True, append_images=pics[1:])
    assert Image.open(io.BytesIO(data)).format == "MPO"
    from logreg.decoding import decoded_pixels

    assert decoded_pixels(data, 64) == 375 * 250
    out = images.decode_image(data, draft_size=64)
    assert min(out.shape[:2]) >= 64 and out[0, 0, 0] > 200 and out[0, 0, 2] < 60


def test_memory_estimate_refuses_before_decoding():
    data = encode(Image.new("RGBA", (1000, 1000)), "PNG")  # 4 MB in Pillow
    with pytest.raises(ImageError, match="about 4 MB of memory; at most 3 MB"):
        images.decode_image(data, budget=3 * 2**20)
    assert images.decode_image(data, budget=4 * 2**20).shape == (1000, 1000, 3)


# --------------------------------------------------------------------------- decode_image: refusals


def test_empty_bytes_refused():
    with pytest.raises(ImageError, match="empty"):
        images.decode_image(b"")


def test_not_an_image_refused():
    with pytest.raises(ImageError, match="not a picture this app reads"):
        images.decode_image(b"hello, this is a text file, not a picture")


def test_non_bytes_refused():
    with pytest.raises(ImageError, match="bytes"):
        images.decode_image("picture.png")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_file_refused(fmt):
    arr = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    data = encode(Image.fromarray(arr), fmt)
    with pytest.raises(ImageError, match="truncated or corrupt"):
        images.decode_image(data[: len(data) // 2])


def test_byte_cap():
    data = encode(Image.new("RGB", (10, 10)))
    with pytest.raises(ImageError, match="MB"):
        images.decode_image(data, max_bytes=len(data) - 1)


def test_pixel_cap_checked_before_decoding():
    data = encode(Image.new("L", (300, 300)))  # 90 000 pixels, a few hundred bytes
    with pytest.raises(ImageError, match="300 x 300"):
        images.decode_image(data, max_pixels=50_000)
    assert images.decode_image(data, max_pixels=90_000).shape == (300, 300, 3)


def test_declared_huge_png_refused_by_our_cap():
    # 7000 x 7000 = 49 M pixels: under Pillow's own limit, over ours.
    with pytest.raises(ImageError, match="pixels"):
        images.decode_image(png_header_only(7000, 7000))


def test_bomb_beyond_pillows_limit_refused_without_global_changes():
    limit_before = Image.MAX_IMAGE_PIXELS
    filters_before = list(warnings.filters)
    with pytest.raises(ImageError):
        images.decode_image(png_header_only(20000, 20000))  # 400 M pixels: Pillow's DecompressionBombError
    with pytest.raises(ImageError):
        # even when the caller allows more than Pillow does, Pillow's warning becomes an error
        images.decode_image(png_header_only(10000, 10000), max_pixels=10**9)
    assert Image.MAX_IMAGE_PIXELS == limit_before
    assert warnings.filters == filters_before


# --------------------------------------------------------------------------- resizing


def test_resize_square_center_crops():
    # 10 tall x 30 wide: black | white | black thirds. The centred 10 x 10 square is all white.
    arr = np.zeros((10, 30, 3), np.uint8)
    arr[:, 10:20] = 255
    out = images.resize_square(arr, 5)
    assert out.shape == (5, 5, 3)
    assert np.all(out == 255)
    tall = np.zeros((30, 10), np.uint8)
    tall[10:20] = 200
    assert np.all(images.resize_square(tall, 10) == 200)


def test_to_model_input_channels():
    grey = np.full((20, 20), 90, np.uint8)
    rgb = images.to_model_input(grey, 8, 3)
    assert rgb.shape == (8, 8, 3) and np.all(rgb == 90)
    red = np.zeros((12, 16, 3), np.uint8)
    red[..., 0] = 255
    g = images.to_model_input(red, 8, 1)
    assert g.shape == (8, 8, 1) and np.all(g == 76)
    with pytest.raises(ValueError, match="channels"):
        images.to_model_input(red, 8, 2)
    with pytest.raises(ValueError, match="size"):
        images.to_model_input(red, 0, 3)


# --------------------------------------------------------------------------- flattening


def test_lecture_example_64_100_3_to_19200_1_and_back():
    img = np.random.default_rng(2).integers(0, 256, (64, 100, 3), dtype=np.uint8)
    col = images.image_to_column(img)
    assert col.shape == (19200, 1)
    np.testing.assert_array_equal(col[:3, 0], img[0, 0])  # C order: pixel (0, 0)'s R, G, B first
    np.testing.assert_array_equal(images.column_to_image(col, img.shape), img)
    with pytest.raises(ValueError, match="cannot be reshaped"):
        images.column_to_image(col, (64, 64, 3))


def test_course_flatten_keeps_images_in_columns_and_wrong_one_scrambles():
    imgs = np.random.default_rng(3).integers(0, 256, (4, 5, 6, 3), dtype=np.uint8)
    X = images.flatten_dataset(imgs)
    W = images.wrong_flatten(imgs)
    assert X.shape == W.shape == (90, 4)
    for j in range(4):
        np.testing.assert_array_equal(X[:, j], imgs[j].ravel())
        assert not np.array_equal(W[:, j], imgs[j].ravel())
    np.testing.assert_array_equal(images.columns_to_images(X, imgs.shape[1:]), imgs)
    # the wrong column 0 takes every 4th value of the images laid end to end
    np.testing.assert_array_equal(W[:, 0], imgs.ravel()[::4])


def test_wrong_flatten_mixes_images():
    # Image j is filled with the value j: in the right flatten each column is constant,
    # in the wrong one every column contains values from several images.
    imgs = np.stack([np.full((3, 3, 3), j, np.uint8) for j in range(5)])
    X = images.flatten_dataset(imgs)
    W = images.wrong_flatten(imgs)
    assert all(len(np.unique(X[:, j])) == 1 for j in range(5))
    assert all(len(np.unique(W[:, j])) > 1 for j in range(5))


def test_standardize():
    X = np.array([[0, 51, 255]], np.uint8)
    out = images.standardize(X)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, [[0.0, 0.2, 1.0]])


# --------------------------------------------------------------------------- MNIST preprocessing


def _photo_of_digit(digit_img, *, scale=5, canvas=(220, 180), at=(20, 30)):
    """A 'photo': the digit dark on light paper, enlarged, placed off-centre, a little noise."""
    rng = np.random.default_rng(4)
    big = np.kron(digit_img, np.ones((scale, scale), np.uint8))
    paper = np.full(canvas, 225.0) + rng.normal(0, 4, canvas)
    r, c = at
    patch = paper[r : r + big.shape[0], c : c + big.shape[1]]
    paper[r : r + big.shape[0], c : c + big.shape[1]] = patch - big * (200 / 255)
    rgb = np.clip(np.stack([paper] * 3, axis=2), 0, 255).astype(np.uint8)
    return rgb


def test_mnist_preprocess_recovers_mnist_digits_from_photos():
    imgs, _ = load_digits_subset()
    corrs = []
    for i in range(0, 5000, 500):
        out = images.mnist_preprocess(_photo_of_digit(imgs[i]))
        assert out.shape == (28, 28) and out.dtype == np.uint8
        corrs.append(np.corrcoef(out.ravel(), imgs[i].ravel())[0, 1])
    assert np.median(corrs) > 0.9, corrs


def test_mnist_stages_invert_only_light_backgrounds():
    imgs, _ = load_digits_subset()
    light = images.mnist_stages(_photo_of_digit(imgs[0]))
    dark = images.mnist_stages(imgs[0])
    assert light[1][0].startswith("inverted") and not dark[1][0].startswith("inverted")
    final = light[-1][1]
    assert final[0].max() == 0 and final[:, 0].max() == 0  # background black at the border
    cy, cx = np.argwhere(final > 0).mean(axis=0)
    assert abs(cy - 14) < 3 and abs(cx - 14) < 3
    names = [n for n, _ in light]
    assert any("20 x 20" in n for n in names)
    assert all(a.dtype == np.uint8 for _, a in light)


def test_mnist_preprocess_uniform_image_refused():
    with pytest.raises(ImageError, match="no digit"):
        images.mnist_preprocess(np.full((50, 50), 240, np.uint8))


# --------------------------------------------------------------------------- zip of class folders


def _png(color, size=(20, 12)):
    return encode(Image.new("RGB", size, color))


def make_zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_load_class_zip_labels_skips_and_ignores():
    data = make_zip(
        {
            "my_data/cats/1.png": _png(RED),
            "my_data/cats/2.png": _png(RED),
            "my_data/cats/sub/3.jpg": encode(Image.new("RGB", (30, 30), RED), "JPEG"),
            "my_data/cats/bad.jpg": b"not really a jpeg",
            "my_data/not_cats/a.png": _png(BLUE),
            "my_data/not_cats/b.png": _png(BLUE),
            "my_data/readme.txt": b"hello",
            "__MACOSX/my_data/cats/._1.png": b"resource fork",
            "my_data/cats/.DS_Store": b"junk",
        }
    )
    ds = images.load_class_zip(data, size=16)
    assert ds.class_names == ("not_cats", "cats")  # "not..." is the negative class
    assert ds.X.shape == (5, 16, 16, 3) and ds.X.dtype == np.uint8
    np.testing.assert_array_equal(ds.Y, [[0, 0, 1, 1, 1]])
    assert np.all(ds.X[ds.Y[0] == 1][..., 0] > 200)  # cats are red
    assert np.all(ds.X[ds.Y[0] == 0][..., 2] > 200)  # not_cats are blue
    skipped = dict(ds.skipped)
    assert "not a picture this app reads" in skipped["my_data/cats/bad.jpg"]
    assert "class folder" in skipped["my_data/readme.txt"]
    assert not any("MACOSX" in m or "DS_Store" in m for m in skipped)
    assert len(ds.members) == 5


def test_load_class_zip_positive_choice_and_grey():
    data = make_zip({"a/1.png": _png(RED), "b/1.png": _png(BLUE), "b/2.png": _png(BLUE)})
    ds = images.load_class_zip(data, size=8)
    assert ds.class_names == ("a", "b")  # sorted, second is positive
    np.testing.assert_array_equal(ds.Y, [[0, 1, 1]])
    ds = images.load_class_zip(data, size=8, channels=1, positive="a")
    assert ds.class_names == ("b", "a") and ds.X.shape == (3, 8, 8, 1)
    np.testing.assert_array_equal(ds.Y, [[0, 0, 1]])
    with pytest.raises(ImageError, match="not one of"):
        images.load_class_zip(data, positive="dogs")


@pytest.mark.parametrize(
    "entries, message",
    [
        ({"cats/1.png": _png(RED)}, "exactly two class folders"),
        ({"a/1.png": _png(RED), "b/1.png": _png(RED), "c/1.png": _png(RED)}, "found 3"),
        ({"readme.txt": b"x"}, "no class folders"),
        ({"cats/1.png": _png(RED), "dogs/1.png": b"broken"}, "'dogs' has no readable images"),
    ],
)
def test_load_class_zip_structure_errors(entries, message):
    with pytest.raises(ImageError, match=message):
        images.load_class_zip(make_zip(entries))


def test_load_class_zip_not_a_zip_or_empty():
    with pytest.raises(ImageError, match="not a zip"):
        images.load_class_zip(b"plain text")
    with pytest.raises(ImageError, match="empty"):
        images.load_class_zip(b"")


def test_load_class_zip_caps():
    entries = {f"a/{i}.png": _png(RED) for i in range(3)} | {f"b/{i}.png": _png(BLUE) for i in range(3)}
    data = make_zip(entries)
    with pytest.raises(ImageError, match="entries"):
        images.load_class_zip(data, max_members=5)
    with pytest.raises(ImageError, match="MB"):
        images.load_class_zip(data, max_bytes=100)
    # a zip bomb: 50 MB of zeros compresses to ~50 kB; the declared size gives it away
    bomb = make_zip({"a/1.png": _png(RED), "b/1.png": _png(BLUE), "b/zeros.png": b"\0" * 50_000_000})
    assert len(bomb) < 200_000
    with pytest.raises(ImageError, match="unpacks to"):
        images.load_class_zip(bomb, max_total_uncompressed=10_000_000)
    ds = images.load_class_zip(bomb, max_member_bytes=1_000_000)
    assert "larger than" in dict(ds.skipped)["b/zeros.png"]
    assert ds.X.shape[0] == 2


def test_read_capped_stops_at_cap_even_if_declared_size_lies():
    data = make_zip({"a/1.bin": b"x" * 5000})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.infolist()[0]
        with pytest.raises(ImageError, match="larger than"):
            images.read_capped(zf, info, 1000)
        assert images.read_capped(zf, info, 5000) == b"x" * 5000


def test_fit_within_keeps_aspect_and_never_enlarges():
    img = np.zeros((600, 300, 3), np.uint8)
    assert images.fit_within(img, 128).shape == (128, 64, 3)
    small = np.zeros((20, 10), np.uint8)
    assert images.fit_within(small, 128).shape == (20, 10)


def test_one_list_of_accepted_types_everywhere():
    # pages (and the ui/ modules that draw their uploaders) take picture types from images.IMAGE_TYPES:
    # an uploader's literal list of types may only hold other kinds of file (.zip, .h5, .npz)
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    uses = 0
    for path in [*root.glob("pages/*.py"), *root.glob("ui/*.py")]:
        src = path.read_text()
        assert '"jpeg"' not in src and "'jpeg'" not in src, path.name
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "file_uploader":
                for kw in node.keywords:
                    if kw.arg == "type" and isinstance(kw.value, ast.List):
                        literal = {e.value for e in kw.value.elts if isinstance(e, ast.Constant)}
                        assert not literal & set(images.IMAGE_TYPES), (path.name, literal)
                    uses += kw.arg == "type" and "IMAGE_TYPES" in ast.unparse(kw.value)
    assert uses >= 3  # Train's per-class uploads, Classify and Images read it
    assert set(images.IMAGE_TYPES) == {"png", "jpg", "jpeg", "webp", "bmp", "gif"}
