"""The gridplan Processing provider: plan, rebalance, simulate and render."""
from qgis.core import QgsProcessingProvider

from .algorithms import PlanAlgorithm, RebalanceAlgorithm, RenderAlgorithm, SimulateAlgorithm


class GridplanProvider(QgsProcessingProvider):
    def id(self):
        return "gridplan"

    def name(self):
        return "gridplan"

    def longName(self):  # noqa: N802
        return "gridplan: community governance grids"

    def loadAlgorithms(self):  # noqa: N802
        for alg in (PlanAlgorithm(), RebalanceAlgorithm(), SimulateAlgorithm(), RenderAlgorithm()):
            self.addAlgorithm(alg)
