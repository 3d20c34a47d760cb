"""Pascal VOC writer, read back with xml.etree (no database)."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

from datadam.kinds.exporting import ExportContext, ExportOptions
from datadam.kinds.imaging import voc


def archive(kind, config, records, **options) -> zipfile.ZipFile:
    context = ExportContext(project_id=1, name="P", kind=kind, config=config,
                            options=ExportOptions(**options))
    return zipfile.ZipFile(io.BytesIO(b"".join(voc.write(context, records))))


def record(item_id, result, image, size=(640, 480)):
    data = {"image": image}
    if size:
        data.update(width=size[0], height=size[1])
    return {"item_id": item_id, "external_id": "", "data": data, "result": result,
            "answers": []}


def objects(zf, name):
    root = ET.fromstring(zf.read(name))
    out = []
    for obj in root.findall("object"):
        bb = obj.find("bndbox")
        box = [float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax")]
        out.append((obj.find("name").text, box, obj))
    return root, out


def test_boxes_as_bndbox_with_size_imagesets_and_labelmap():
    config = {"labels": ["car", "a<b & c"], "colors": {"car": "#ff0000"}}
    zf = archive("bounding_box", config, [
        record(1, {"boxes": [{"label": "car", "box": [10.5, 20.0, 100.0, 50.25]},
                             {"label": "a<b & c", "box": [0, 0, 5, 5]}]},
               "https://img.test/x/photo.jpg?sig=1"),
        record(2, None, "https://img.test/x/none.jpg"),
        record(3, {"boxes": []}, "https://img.test/y/photo.jpg", size=None),
    ])
    root, objs = objects(zf, "Annotations/photo.xml")
    assert root.find("filename").text == "photo.jpg"
    assert root.find("path").text == "https://img.test/x/photo.jpg?sig=1"
    assert (root.find("size/width").text, root.find("size/height").text) == ("640", "480")
    assert [(n, b) for n, b, _ in objs] == [("car", [10.5, 20.0, 110.5, 70.25]),
                                            ("a<b & c", [0, 0, 5, 5])]
    assert objs[0][2].find("difficult").text == "0"
    second, none = objects(zf, "Annotations/photo_3.xml")
    assert none == [] and second.find("size") is None
    assert zf.read("ImageSets/Main/default.txt").decode().splitlines() == ["photo", "photo_3"]
    assert zf.read("labelmap.txt").decode().splitlines()[1:] == [
        "background:0,0,0::", "car:255,0,0::", "a<b & c:0,128,0::"]
    assert zf.read("skipped.txt").decode().startswith("2\t")


def test_polygons_are_bounding_boxes_with_a_polygon_child():
    pts = [[10.0, 10.0], [50.5, 12.0], [30.0, 40.25]]
    zf = archive("polygon", {"labels": ["road"]}, [record(1, {"shapes": [
        {"label": "road", "type": "polygon", "points": pts}]}, "im/a.png")])
    root, ((name, box, obj),) = objects(zf, "Annotations/a.xml")
    assert box == [10.0, 10.0, 50.5, 40.25]
    poly = obj.find("polygon")
    back = [[float(poly.find(f"x{i}").text), float(poly.find(f"y{i}").text)]
            for i in range(1, 4)]
    assert back == pts
    assert root.find("segmented").text == "1"


def test_ocr_text_is_an_attribute():
    zf = archive("ocr", {"languages": ["ko"]}, [record(1, {"regions": [
        {"box": [1, 2, 3, 4], "text": "안녕 \x01<hi>"}]}, "t/sign.jpg")])
    _, ((name, box, obj),) = objects(zf, "Annotations/sign.xml")
    assert name == "text" and box == [1, 2, 4, 6]
    assert obj.find("attributes/attribute/name").text == "text"
    assert obj.find("attributes/attribute/value").text == "안녕 <hi>"
