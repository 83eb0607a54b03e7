"""QGIS plugin entry point: registers the gridplan Processing provider."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    from .plugin import GridplanPlugin
    return GridplanPlugin(iface)
