#!/usr/bin/python3
"""Runs the gridplan Processing provider (qgis/gridplan_processing) headless in QGIS.

Usage: qgis_processing_check.py REPO_DIR GRIDPLAN_BIN CITY.gpkg OUT_DIR

Registers the provider, runs `gridplan:plan` on CITY with Processing's own runner, and
checks: the algorithm succeeded, its output opens as a valid styled layer with cells, the
QGIS progress bar received gridplan's progress (several increasing values below 100, then
100). Exit 0 when all hold, 77 when QGIS's Python bindings are missing.
"""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp")
try:
    from qgis.core import QgsApplication, QgsProcessingFeedback, QgsVectorLayer
except ImportError as e:  # pragma: no cover
    print(f"qgis_processing_check: QGIS Python bindings missing ({e})")
    sys.exit(77)


class Recorder(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.values = []
        self.errors = []
        self.progressChanged.connect(self.values.append)

    def reportError(self, error, fatalError=False):  # noqa: N802
        self.errors.append(error)


def main():
    repo, binary, city, out_dir = sys.argv[1:5]
    os.environ["GRIDPLAN_BIN"] = binary
    app = QgsApplication([], False)
    app.setPrefixPath("/usr", True)
    app.initQgis()
    sys.path.insert(0, "/usr/share/qgis/python/plugins")
    from processing.core.Processing import Processing
    import processing
    Processing.initialize()
    sys.path.insert(0, os.path.join(repo, "qgis"))
    from gridplan_processing.provider import GridplanProvider
    provider = GridplanProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    names = sorted(a.id() for a in provider.algorithms())
    print("algorithms:", ", ".join(names))
    ok = names == ["gridplan:plan", "gridplan:rebalance", "gridplan:render", "gridplan:simulate"]
    feedback = Recorder()
    out = os.path.join(out_dir, "processing-plan.gpkg")
    result = processing.run("gridplan:plan", {"CITY": city, "MIN": 300, "MAX": 500, "SEED": 1,
                                              "OUTPUT": out}, feedback=feedback)
    layer = QgsVectorLayer(result["OUTPUT"] + "|layername=cells", "cells", "ogr")
    styled = layer.isValid() and layer.renderer().type() == "RuleRenderer"
    partial = [v for v in feedback.values if 0 < v < 100]
    print(f"plan: {result['OUTPUT']}, valid {layer.isValid()}, {layer.featureCount()} cells, "
          f"styled {styled}; progress values {len(feedback.values)}, "
          f"{len(partial)} between 0 and 100, last {feedback.values[-1] if feedback.values else None}")
    ok = ok and layer.isValid() and layer.featureCount() > 0 and styled
    ok = ok and len(partial) >= 2 and partial == sorted(partial) and feedback.values[-1] == 100
    ok = ok and not feedback.errors
    if feedback.errors:
        print("errors:", feedback.errors)
    return 0 if ok else 1


if __name__ == "__main__":
    # QGIS 3.22 can crash while tearing down a standalone application (exit 139 after all
    # work is done): leave without running its destructors.
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
