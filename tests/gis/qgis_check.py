#!/usr/bin/python3
"""Opens gridplan outputs in QGIS offscreen and checks what a GIS user would see.

Usage: qgis_check.py OUT.png (SOURCE|layername=LAYER | postgres:QGIS-PG-URI) ...

For every layer: it is valid, has features, loaded its default style (the renderer is the
rule-based renderer gridplan stores, not QGIS's single-symbol default), and rendering it
alone gives a non-blank image. Then the first two layers (areas over cells) are rendered
together into OUT.png (the screenshot in docs/user/gis.md). Prints one line per layer; exit status 0 only if every
check passed, 77 when QGIS's Python bindings are missing (the caller skips).
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
try:
    from qgis.core import (QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings,
                           QgsRectangle, QgsVectorLayer)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"qgis_check: QGIS Python bindings missing ({e})")
    sys.exit(77)


def render(layers, size, path=None):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    extent = QgsRectangle()
    extent.setMinimal()
    for layer in layers:
        extent.combineExtentWith(layer.extent())
    extent.scale(1.05)
    settings.setExtent(extent)
    settings.setDestinationCrs(layers[0].crs())
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    if path:
        image.save(path, "PNG")
    white = QColor(255, 255, 255).rgb()
    painted = 0
    colours = set()
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            p = image.pixel(x, y)
            if p != white:
                painted += 1
                colours.add(p)
    return painted, len(colours)


def main():
    out_png = sys.argv[1]
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    ok = True
    layers = []
    for uri in sys.argv[2:]:
        if uri.startswith("postgres:"):
            # A QGIS PostgreSQL data source: postgres:dbname=... table="schema"."table" (geom)
            uri = uri[len("postgres:"):]
            name = uri.split("table=")[-1].split()[0].split(".")[-1].strip('"')
            layer = QgsVectorLayer(uri, name, "postgres")
        else:
            name = uri.split("layername=")[-1]
            layer = QgsVectorLayer(uri, name, "ogr")
        problems = []
        if not layer.isValid():
            problems.append("invalid")
        else:
            if layer.featureCount() <= 0:
                problems.append("no features")
            renderer = layer.renderer().type() if layer.renderer() else "none"
            if renderer != "RuleRenderer":
                problems.append(f"default style not loaded (renderer {renderer})")
            painted, colours = render([layer], (400, 300))
            if painted == 0:
                problems.append("renders blank")
            layers.append(layer)
        status = "ok" if not problems else "FAILED: " + ", ".join(problems)
        rules = len(layer.renderer().rootRule().children()) if layer.isValid() and \
            layer.renderer() and layer.renderer().type() == "RuleRenderer" else 0
        print(f"{name}: {layer.featureCount() if layer.isValid() else 0} features, "
              f"{rules} style rules, labels {'on' if layer.isValid() and layer.labelsEnabled() else 'off'}: {status}")
        ok = ok and not problems
    if layers:
        # The screenshot: the first two layers given (areas with labels on top of the cells).
        painted, colours = render(layers[:2], (1000, 750), out_png)
        print(f"map: {painted} painted samples, {colours} colours -> {out_png}")
        ok = ok and painted > 0
    return 0 if ok else 1


if __name__ == "__main__":
    # QGIS 3.22 can crash while tearing down a standalone application (exit 139 after all
    # work is done): leave without running its destructors.
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
