#!/usr/bin/env python3
"""Fills the Chinese translations of gridplan_zh_CN.ts (and marks the English file's
entries as identical) after `lupdate`. Run: python3 viewer/translations/fill_zh.py"""
import os
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ZH = {
    "Not found: %1": "未找到：%1",
    "%1 m/pixel": "%1 米/像素",
    "gridplan viewer — %1": "网格规划查看器 — %1",
    "gridplan viewer": "网格规划查看器",
    "&File": "文件(&F)",
    "&Open plan or GIS file…": "打开方案或 GIS 文件(&O)…",
    "&Add layers from file (results, scenarios)…": "从文件添加图层（结果、方案）(&A)…",
    "&Save edited plan as…": "编辑后的方案另存为(&S)…",
    "&Export map (PNG, PDF, SVG)…": "导出地图（PNG、PDF、SVG）(&E)…",
    "&Quit": "退出(&Q)",
    "&Edit": "编辑(&E)",
    "&Undo": "撤销(&U)",
    "&Redo": "重做(&R)",
    "&Move selected buildings to cell": "将所选建筑移入网格(&M)",
    "&View": "视图(&V)",
    "Zoom to &full extent": "缩放到全图(&F)",
    "Zoom &in": "放大(&I)",
    "Zoom &out": "缩小(&O)",
    "Zoom to &layer": "缩放到图层(&L)",
    "Zoom to &selection": "缩放到所选(&S)",
    "Show &labels": "显示标注(&L)",
    "&Tools": "工具(&T)",
    "Pan": "平移",
    "Identify": "识别",
    "Select buildings": "选择建筑",
    "Select by rectangle": "框选",
    "Select by lasso": "套索选择",
    "&Language": "语言(&L)",
    "Tools": "工具",
    " Colour by: ": " 着色字段： ",
    "Layers": "图层",
    "Up": "上移",
    "Down": "下移",
    "Opacity": "不透明度",
    "Identify and search": "识别与搜索",
    "Search by code or name, then Enter": "输入编码或名称后按回车搜索",
    "Field": "字段",
    "Value": "值",
    "Plan figures and editing": "方案指标与编辑",
    "Select buildings (click, rectangle or lasso), choose an adjacent cell and move them. "
    "Moves that break contiguity are refused.":
        "选择建筑（点击、框选或套索），选择相邻网格后移入。破坏网格连通性的移动将被拒绝。",
    "Move selection to this cell": "将所选移入此网格",
    "Scenario comparison": "方案比较",
    "Opened %1 in %2 ms": "已打开 %1，用时 %2 毫秒",
    "Cannot open file": "无法打开文件",
    "Cannot add file": "无法添加文件",
    "(plain)": "（不着色）",
    "Cannot colour the map": "无法为地图着色",
    "Not an editable plan (needs cells and units layers with cell_code).":
        "不是可编辑的方案（需要含 cell_code 的 cells 与 units 图层）。",
    "Cells: %1\nWithin bounds (%2–%3 households): %4 of %1\nHouseholds per cell: %5 – %6\n"
    "Largest deviation from target: %7 %\nCells in more than one piece: %8 (of %13 checked)\n"
    "Buildings assigned: %9 of %10 (coverage %11 %)\nManual edits: %12":
        "网格数：%1\n户数在范围内（%2–%3 户）：%4 / %1\n每格户数：%5 – %6\n"
        "与目标最大偏差：%7 %\n不连通的网格：%8（已检查 %13 个）\n已分配建筑：%9 / %10（覆盖率 %11 %）\n手工调整：%12 次",
    "%1 building(s) selected": "已选择 %1 栋建筑",
    "layer": "图层",
    "cell (live)": "网格（实时）",
    "cell households (live)": "网格户数（实时）",
    "cell buildings (live)": "网格建筑数（实时）",
    "deviation from target % (live)": "与目标偏差 %（实时）",
    "within bounds (live)": "户数在范围内（实时）",
    "yes": "是",
    "no": "否",
    "pieces (live)": "连通块数（实时）",
    "Refused: %1": "已拒绝：%1",
    "Move refused: %1": "移动被拒绝：%1",
    "Moved %1 building(s) to %2 (%3 ms)": "已将 %1 栋建筑移入 %2（%3 毫秒）",
    "Cannot save": "无法保存",
    "Not an editable plan.": "不是可编辑的方案。",
    "Saved %1": "已保存 %1",
    "Open plan or GIS file": "打开方案或 GIS 文件",
    "GIS files (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;All files (*)":
        "GIS 文件 (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;所有文件 (*)",
    "Add layers from file": "从文件添加图层",
    "GIS files (*.gpkg *.shp *.geojson);;All files (*)":
        "GIS 文件 (*.gpkg *.shp *.geojson);;所有文件 (*)",
    "Save edited plan as a new file": "将编辑后的方案另存为新文件",
    "GeoPackage (*.gpkg)": "GeoPackage (*.gpkg)",
    "Export map": "导出地图",
    "Maps (*.png *.pdf *.svg)": "地图 (*.png *.pdf *.svg)",
    "Cannot export map": "无法导出地图",
    "Move refused": "移动被拒绝",
    "Paint buildings into a cell": "涂选建筑并入网格",
    "Violations (click one to show it):": "违规项（点击查看）：",
    "Paint: choose the target cell (or right-click a cell with the paint tool), then drag over "
    "buildings.": "涂选：先选择目标网格（或用涂选工具右键点击网格），再拖过建筑。",
    "Simulation results": "模拟结果",
    "Not an editable plan (needs the plan's cells and units layers).":
        "不是可编辑的方案（需要方案的 cells 与 units 图层）。",
    "Cells: %1\nWithin bounds: %2 of %1 (%3 %)\nContiguous: %4 of %1 (%5 %)\n"
    "%6 per cell: %7 – %8 (mean %9)\nMean compactness (Polsby-Popper): %10\n"
    "Cut adjacency edges: %11\nCompounds split: %12\nUnassigned buildings: %13\n"
    "Manual edits: %14":
        "网格数：%1\n在范围内：%2 / %1（%3 %）\n连通：%4 / %1（%5 %）\n"
        "每格%6：%7 – %8（平均 %9）\n平均紧凑度（Polsby-Popper）：%10\n"
        "被切断的邻接边：%11\n被拆分的小区：%12\n未分配建筑：%13\n"
        "手工调整：%14 次",
    "bounds": "范围",
    "compactness (live)": "紧凑度（实时）",
    "Split a compound?": "拆分小区？",
    "This move puts compound(s) %1 into more cells. Compounds (小区) are normally kept whole. "
    "Move anyway? The move is recorded as splitting them.":
        "此次移动会使小区 %1 分属更多网格。小区通常应保持完整。仍要移动吗？此次移动将被记录为拆分小区。",
}


def fill(name, table):
    path = os.path.join(HERE, name)
    tree = ET.parse(path)
    missing = []
    for msg in tree.iter("message"):
        src = msg.find("source").text or ""
        tr = msg.find("translation")
        text = table.get(src) if table is not None else src
        if text is None:
            missing.append(src)
            continue
        tr.text = text
        tr.attrib.pop("type", None)
    with open(path, "wb") as f:
        f.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(f, encoding="utf-8", xml_declaration=False)
    return missing


missing = fill("gridplan_zh_CN.ts", ZH)
fill("gridplan_en.ts", None)
if missing:
    raise SystemExit("untranslated: " + repr(missing))
