<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>gp::viewer_app::MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="232" />
        <source>Not found: %1</source>
        <translation>未找到：%1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="314" />
        <source>%1 m/pixel</source>
        <translation>%1 米/像素</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="328" />
        <source>gridplan viewer — %1</source>
        <translation>网格规划查看器 — %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="329" />
        <source>gridplan viewer</source>
        <translation>网格规划查看器</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="330" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="331" />
        <source>&amp;Open plan or GIS file…</source>
        <translation>打开方案或 GIS 文件(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="332" />
        <source>&amp;Add layers from file (results, scenarios)…</source>
        <translation>从文件添加图层（结果、方案）(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="333" />
        <source>&amp;Save edited plan as…</source>
        <translation>编辑后的方案另存为(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="334" />
        <source>&amp;Export map (PNG, PDF, SVG)…</source>
        <translation>导出地图（PNG、PDF、SVG）(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="335" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="336" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="337" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="338" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="339" />
        <source>&amp;Move selected buildings to cell</source>
        <translation>将所选建筑移入网格(&amp;M)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="340" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="341" />
        <source>Zoom to &amp;full extent</source>
        <translation>缩放到全图(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="342" />
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="343" />
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="344" />
        <source>Zoom to &amp;layer</source>
        <translation>缩放到图层(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="345" />
        <source>Zoom to &amp;selection</source>
        <translation>缩放到所选(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="346" />
        <source>Show &amp;labels</source>
        <translation>显示标注(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="347" />
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="348" />
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="349" />
        <source>Identify</source>
        <translation>识别</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="350" />
        <source>Select buildings</source>
        <translation>选择建筑</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="351" />
        <source>Select by rectangle</source>
        <translation>框选</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="352" />
        <source>Select by lasso</source>
        <translation>套索选择</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="353" />
        <source>Paint buildings into a cell</source>
        <translation>涂选建筑并入网格</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="354" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="355" />
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="356" />
        <source> Colour by: </source>
        <translation> 着色字段： </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="357" />
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="358" />
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="359" />
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="360" />
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="361" />
        <source>Identify and search</source>
        <translation>识别与搜索</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="362" />
        <source>Search by code or name, then Enter</source>
        <translation>输入编码或名称后按回车搜索</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="363" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="363" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="364" />
        <source>Plan figures and editing</source>
        <translation>方案指标与编辑</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="365" />
        <source>Select buildings (click, rectangle or lasso), choose an adjacent cell and move them. Moves that break contiguity are refused.</source>
        <translation>选择建筑（点击、框选或套索），选择相邻网格后移入。破坏网格连通性的移动将被拒绝。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="367" />
        <source>Move selection to this cell</source>
        <translation>将所选移入此网格</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="368" />
        <source>Violations (click one to show it):</source>
        <translation>违规项（点击查看）：</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="369" />
        <source>Paint: choose the target cell (or right-click a cell with the paint tool), then drag over buildings.</source>
        <translation>涂选：先选择目标网格（或用涂选工具右键点击网格），再拖过建筑。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="371" />
        <source>Simulation results</source>
        <translation>模拟结果</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="564" />
        <source>Not an editable plan (needs the plan's cells and units layers).</source>
        <translation>不是可编辑的方案（需要方案的 cells 与 units 图层）。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="567" />
        <source>Cells: %1
Within bounds: %2 of %1 (%3 %)
Contiguous: %4 of %1 (%5 %)
%6 per cell: %7 – %8 (mean %9)
Mean compactness (Polsby-Popper): %10
Cut adjacency edges: %11
Compounds split: %12
Unassigned buildings: %13
Manual edits: %14</source>
        <translation>网格数：%1
在范围内：%2 / %1（%3 %）
连通：%4 / %1（%5 %）
每格%6：%7 – %8（平均 %9）
平均紧凑度（Polsby-Popper）：%10
被切断的邻接边：%11
被拆分的小区：%12
未分配建筑：%13
手工调整：%14 次</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="671" />
        <source>bounds</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="428" />
        <source>Opened %1 in %2 ms</source>
        <translation>已打开 %1，用时 %2 毫秒</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="433" />
        <location filename="../app/main_window.cpp" line="435" />
        <source>Cannot open file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="462" />
        <source>Cannot add file</source>
        <translation>无法添加文件</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="533" />
        <source>(plain)</source>
        <translation>（不着色）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="559" />
        <source>Cannot colour the map</source>
        <translation>无法为地图着色</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="630" />
        <source>%1 building(s) selected</source>
        <translation>已选择 %1 栋建筑</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="653" />
        <source>layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="668" />
        <source>cell (live)</source>
        <translation>网格（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="669" />
        <source>cell households (live)</source>
        <translation>网格户数（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="670" />
        <source>cell buildings (live)</source>
        <translation>网格建筑数（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="672" />
        <source>within bounds (live)</source>
        <translation>户数在范围内（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="672" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="672" />
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="673" />
        <source>pieces (live)</source>
        <translation>连通块数（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="674" />
        <source>compactness (live)</source>
        <translation>紧凑度（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="730" />
        <source>Split a compound?</source>
        <translation>拆分小区？</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="731" />
        <source>This move puts compound(s) %1 into more cells. Compounds (小区) are normally kept whole. Move anyway? The move is recorded as splitting them.</source>
        <translation>此次移动会使小区 %1 分属更多网格。小区通常应保持完整。仍要移动吗？此次移动将被记录为拆分小区。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="741" />
        <location filename="../app/main_window.cpp" line="774" />
        <source>Refused: %1</source>
        <translation>已拒绝：%1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="742" />
        <source>Move refused: %1</source>
        <translation>移动被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="759" />
        <source>Moved %1 building(s) to %2 (%3 ms)</source>
        <translation>已将 %1 栋建筑移入 %2（%3 毫秒）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="788" />
        <location filename="../app/main_window.cpp" line="800" />
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="788" />
        <source>Not an editable plan.</source>
        <translation>不是可编辑的方案。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="797" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="835" />
        <source>Open plan or GIS file</source>
        <translation>打开方案或 GIS 文件</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="836" />
        <source>GIS files (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;All files (*)</source>
        <translation>GIS 文件 (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="842" />
        <source>Add layers from file</source>
        <translation>从文件添加图层</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="843" />
        <source>GIS files (*.gpkg *.shp *.geojson);;All files (*)</source>
        <translation>GIS 文件 (*.gpkg *.shp *.geojson);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="848" />
        <source>Save edited plan as a new file</source>
        <translation>将编辑后的方案另存为新文件</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="849" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="856" />
        <source>Export map</source>
        <translation>导出地图</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="857" />
        <source>Maps (*.png *.pdf *.svg)</source>
        <translation>地图 (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="865" />
        <source>Cannot export map</source>
        <translation>无法导出地图</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="871" />
        <source>Move refused</source>
        <translation>移动被拒绝</translation>
    </message>
</context>
</TS>