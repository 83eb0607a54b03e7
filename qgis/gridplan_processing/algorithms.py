"""Processing algorithms that run the gridplan binary.

Each algorithm builds a gridplan command line, runs it with GRIDPLAN_PROGRESS=lines so that
gridplan reports progress as "progress: 42.0% label" lines on stderr, forwards those to the
Processing feedback (the QGIS progress bar) and cancels the process when the user does.
Outputs are GeoPackages carrying their default styles, so the layers load styled.
"""
import os
import re
import shutil
import subprocess

from qgis.core import (QgsProcessingAlgorithm, QgsProcessingContext, QgsProcessingException,
                       QgsProcessingParameterBoolean, QgsProcessingParameterFile,
                       QgsProcessingParameterFileDestination, QgsProcessingParameterNumber,
                       QgsProcessingParameterString, QgsProcessingParameterVectorDestination,
                       QgsVectorLayer)

PROGRESS = re.compile(r"progress:\s*([0-9.]+)%\s*(.*)")


def gridplan_binary():
    """$GRIDPLAN_BIN, else `gridplan` on PATH."""
    path = os.environ.get("GRIDPLAN_BIN") or shutil.which("gridplan")
    if not path:
        raise QgsProcessingException(
            "gridplan not found: put it on PATH or set GRIDPLAN_BIN to the binary")
    return path


def run_gridplan(args, feedback):
    """Runs gridplan ARGS, streaming its progress into `feedback`. Raises on failure."""
    cmd = [gridplan_binary()] + [str(a) for a in args]
    feedback.pushCommandInfo(" ".join(cmd))
    env = dict(os.environ, GRIDPLAN_PROGRESS="lines")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            text=True, bufsize=1)
    errors = []
    for line in proc.stderr:
        match = PROGRESS.match(line.strip())
        if match:
            feedback.setProgress(float(match.group(1)))
            feedback.setProgressText(match.group(2))
        elif line.strip():
            errors.append(line.strip())
            feedback.reportError(line.strip())
        if feedback.isCanceled():
            proc.terminate()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
            raise QgsProcessingException("cancelled")
    out = proc.stdout.read()
    code = proc.wait()
    proc.stdout.close()
    proc.stderr.close()
    if out:
        feedback.pushInfo(out)
    if code != 0:
        raise QgsProcessingException(errors[-1] if errors else f"gridplan exited with {code}")
    feedback.setProgress(100)
    return out


def load_layers(path, names, context, label):
    """Adds the named layers of a GeoPackage to the project when the algorithm finishes."""
    for name in names:
        layer = QgsVectorLayer(f"{path}|layername={name}", f"{label} {name}", "ogr")
        if layer.isValid():
            context.temporaryLayerStore().addMapLayer(layer)
            context.addLayerToLoadOnCompletion(
                layer.id(), QgsProcessingContext.LayerDetails(f"{label} {name}", context.project(),
                                                              "LAYER"))


class GridplanAlgorithm(QgsProcessingAlgorithm):
    def group(self):
        return "gridplan"

    def groupId(self):  # noqa: N802
        return "gridplan"

    def createInstance(self):  # noqa: N802
        return type(self)()


class PlanAlgorithm(GridplanAlgorithm):
    def name(self):
        return "plan"

    def displayName(self):  # noqa: N802
        return "Plan grid cells"

    def shortHelpString(self):  # noqa: N802
        return ("Divides every community into balanced, contiguous grid cells of MIN-MAX "
                "households (gridplan plan). The input is a city GeoPackage with layers units, "
                "areas, compounds, barriers (gridplan generate writes one) or any units source.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("CITY", "City (GeoPackage or other source)"))
        self.addParameter(QgsProcessingParameterNumber("MIN", "Minimum households per cell",
                                                       QgsProcessingParameterNumber.Double, 300))
        self.addParameter(QgsProcessingParameterNumber("MAX", "Maximum households per cell",
                                                       QgsProcessingParameterNumber.Double, 500))
        self.addParameter(QgsProcessingParameterNumber("SEED", "Random seed",
                                                       QgsProcessingParameterNumber.Integer, 1))
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", "Plan"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        city = self.parameterAsFile(parameters, "CITY", context)
        out = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        if not out.lower().endswith(".gpkg"):
            out = os.path.splitext(out)[0] + ".gpkg"
        run_gridplan(["plan", "--city", city, "--out", out, "--overwrite",
                      "--min", self.parameterAsDouble(parameters, "MIN", context),
                      "--max", self.parameterAsDouble(parameters, "MAX", context),
                      "--seed", self.parameterAsInt(parameters, "SEED", context)], feedback)
        load_layers(out, ["areas", "cells", "units"], context, "plan")
        return {"OUTPUT": out}


class RebalanceAlgorithm(GridplanAlgorithm):
    def name(self):
        return "rebalance"

    def displayName(self):  # noqa: N802
        return "Rebalance existing grid cells"

    def shortHelpString(self):  # noqa: N802
        return "Redraws existing grid cells with the fewest moves (gridplan rebalance)."

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("CITY", "City (GeoPackage or other source)"))
        self.addParameter(QgsProcessingParameterFile("EXISTING", "Existing grid (plan or cells)"))
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", "Rebalanced plan"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        if not out.lower().endswith(".gpkg"):
            out = os.path.splitext(out)[0] + ".gpkg"
        run_gridplan(["rebalance", "--city", self.parameterAsFile(parameters, "CITY", context),
                      "--existing", self.parameterAsFile(parameters, "EXISTING", context),
                      "--out", out, "--overwrite"], feedback)
        load_layers(out, ["areas", "cells", "retired_cells"], context, "rebalanced")
        return {"OUTPUT": out}


class SimulateAlgorithm(GridplanAlgorithm):
    def name(self):
        return "simulate"

    def displayName(self):  # noqa: N802
        return "Simulate requests and grid workers"

    def shortHelpString(self):  # noqa: N802
        return ("Simulates residents' requests, grid workers and dispatch over a plan "
                "(gridplan simulate); the result layer is coloured by on-time share.")

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("PLAN", "Plan (GeoPackage)"))
        self.addParameter(QgsProcessingParameterFile("SCENARIO", "Scenario (TOML)", optional=True,
                                                     extension="toml"))
        self.addParameter(QgsProcessingParameterNumber("DAYS", "Days",
                                                       QgsProcessingParameterNumber.Double, 365))
        self.addParameter(QgsProcessingParameterNumber("REPLICATIONS", "Replications",
                                                       QgsProcessingParameterNumber.Integer, 20))
        self.addParameter(QgsProcessingParameterVectorDestination("OUTPUT", "Results"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out = self.parameterAsOutputLayer(parameters, "OUTPUT", context)
        if not out.lower().endswith(".gpkg"):
            out = os.path.splitext(out)[0] + ".gpkg"
        args = ["simulate", self.parameterAsFile(parameters, "PLAN", context), "--out", out,
                "--overwrite", "--days", self.parameterAsDouble(parameters, "DAYS", context),
                "--replications", self.parameterAsInt(parameters, "REPLICATIONS", context)]
        scenario = self.parameterAsFile(parameters, "SCENARIO", context)
        if scenario:
            args += ["--scenario", scenario]
        run_gridplan(args, feedback)
        load_layers(out, ["cells"], context, "simulation")
        return {"OUTPUT": out}


class RenderAlgorithm(GridplanAlgorithm):
    def name(self):
        return "render"

    def displayName(self):  # noqa: N802
        return "Render a plan map (PNG/PDF/SVG)"

    def shortHelpString(self):  # noqa: N802
        return "Draws a plan as a map image without a display (gridplan render)."

    def initAlgorithm(self, config=None):  # noqa: N802
        self.addParameter(QgsProcessingParameterFile("PLAN", "Plan (GeoPackage)"))
        self.addParameter(QgsProcessingParameterString("COLOR_BY", "Colour cells by",
                                                       defaultValue="households"))
        self.addParameter(QgsProcessingParameterBoolean("LABELS", "Label cells", True))
        self.addParameter(QgsProcessingParameterFileDestination(
            "OUTPUT", "Map", fileFilter="PNG (*.png);;PDF (*.pdf);;SVG (*.svg)"))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802
        out = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        args = ["render", self.parameterAsFile(parameters, "PLAN", context), "--out", out,
                "--overwrite", "--color-by", self.parameterAsString(parameters, "COLOR_BY", context)]
        if not self.parameterAsBool(parameters, "LABELS", context):
            args.append("--no-labels")
        run_gridplan(args, feedback)
        return {"OUTPUT": out}
