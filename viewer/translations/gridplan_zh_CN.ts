<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>gp::viewer_app::MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="225" />
        <source>Not found: %1</source>
        <translation>未找到：%1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="278" />
        <source>%1 m/pixel</source>
        <translation>%1 米/像素</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="285" />
        <source>gridplan viewer — %1</source>
        <translation>网格规划查看器 — %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="286" />
        <source>gridplan viewer</source>
        <translation>网格规划查看器</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="287" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="288" />
        <source>&amp;Open plan or GIS file…</source>
        <translation>打开方案或 GIS 文件(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="289" />
        <source>&amp;Add layers from file (results, scenarios)…</source>
        <translation>从文件添加图层（结果、方案）(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="290" />
        <source>&amp;Save edited plan as…</source>
        <translation>编辑后的方案另存为(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="291" />
        <source>&amp;Export map (PNG, PDF, SVG)…</source>
        <translation>导出地图（PNG、PDF、SVG）(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="292" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="293" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="294" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="295" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="296" />
        <source>&amp;Move selected buildings to cell</source>
        <translation>将所选建筑移入网格(&amp;M)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="297" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="298" />
        <source>Zoom to &amp;full extent</source>
        <translation>缩放到全图(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="299" />
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="300" />
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="301" />
        <source>Zoom to &amp;layer</source>
        <translation>缩放到图层(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="302" />
        <source>Zoom to &amp;selection</source>
        <translation>缩放到所选(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="303" />
        <source>Show &amp;labels</source>
        <translation>显示标注(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="304" />
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="305" />
        <source>Pan</source>
        <translation>平移</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="306" />
        <source>Identify</source>
        <translation>识别</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="307" />
        <source>Select buildings</source>
        <translation>选择建筑</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="308" />
        <source>Select by rectangle</source>
        <translation>框选</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="309" />
        <source>Select by lasso</source>
        <translation>套索选择</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="310" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="311" />
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="312" />
        <source> Colour by: </source>
        <translation> 着色字段： </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="313" />
        <source>Layers</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="314" />
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="315" />
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="316" />
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="317" />
        <source>Identify and search</source>
        <translation>识别与搜索</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="318" />
        <source>Search by code or name, then Enter</source>
        <translation>输入编码或名称后按回车搜索</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="319" />
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="319" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="320" />
        <source>Plan figures and editing</source>
        <translation>方案指标与编辑</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="321" />
        <source>Select buildings (click, rectangle or lasso), choose an adjacent cell and move them. Moves that break contiguity are refused.</source>
        <translation>选择建筑（点击、框选或套索），选择相邻网格后移入。破坏网格连通性的移动将被拒绝。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="323" />
        <source>Move selection to this cell</source>
        <translation>将所选移入此网格</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="324" />
        <source>Scenario comparison</source>
        <translation>方案比较</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="377" />
        <source>Opened %1 in %2 ms</source>
        <translation>已打开 %1，用时 %2 毫秒</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="380" />
        <location filename="../app/main_window.cpp" line="382" />
        <source>Cannot open file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="396" />
        <source>Cannot add file</source>
        <translation>无法添加文件</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="426" />
        <source>(plain)</source>
        <translation>（不着色）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="454" />
        <source>Cannot colour the map</source>
        <translation>无法为地图着色</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="459" />
        <source>Not an editable plan (needs cells and units layers with cell_code).</source>
        <translation>不是可编辑的方案（需要含 cell_code 的 cells 与 units 图层）。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="461" />
        <source>Cells: %1
Within bounds (%2–%3 households): %4 of %1
Households per cell: %5 – %6
Largest deviation from target: %7 %
Cells in more than one piece: %8 (of %13 checked)
Buildings assigned: %9 of %10 (coverage %11 %)
Manual edits: %12</source>
        <translation>网格数：%1
户数在范围内（%2–%3 户）：%4 / %1
每格户数：%5 – %6
与目标最大偏差：%7 %
不连通的网格：%8（已检查 %13 个）
已分配建筑：%9 / %10（覆盖率 %11 %）
手工调整：%12 次</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="493" />
        <source>%1 building(s) selected</source>
        <translation>已选择 %1 栋建筑</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="507" />
        <source>layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="517" />
        <source>cell (live)</source>
        <translation>网格（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="518" />
        <source>cell households (live)</source>
        <translation>网格户数（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="519" />
        <source>cell buildings (live)</source>
        <translation>网格建筑数（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="520" />
        <source>deviation from target % (live)</source>
        <translation>与目标偏差 %（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="521" />
        <source>within bounds (live)</source>
        <translation>户数在范围内（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="521" />
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="521" />
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="522" />
        <source>pieces (live)</source>
        <translation>连通块数（实时）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="558" />
        <source>Refused: %1</source>
        <translation>已拒绝：%1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="559" />
        <source>Move refused: %1</source>
        <translation>移动被拒绝：%1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="574" />
        <source>Moved %1 building(s) to %2 (%3 ms)</source>
        <translation>已将 %1 栋建筑移入 %2（%3 毫秒）</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="580" />
        <location filename="../app/main_window.cpp" line="592" />
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="580" />
        <source>Not an editable plan.</source>
        <translation>不是可编辑的方案。</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="589" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="599" />
        <source>Open plan or GIS file</source>
        <translation>打开方案或 GIS 文件</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="600" />
        <source>GIS files (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;All files (*)</source>
        <translation>GIS 文件 (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="606" />
        <source>Add layers from file</source>
        <translation>从文件添加图层</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="607" />
        <source>GIS files (*.gpkg *.shp *.geojson);;All files (*)</source>
        <translation>GIS 文件 (*.gpkg *.shp *.geojson);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="612" />
        <source>Save edited plan as a new file</source>
        <translation>将编辑后的方案另存为新文件</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="613" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="620" />
        <source>Export map</source>
        <translation>导出地图</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="621" />
        <source>Maps (*.png *.pdf *.svg)</source>
        <translation>地图 (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="629" />
        <source>Cannot export map</source>
        <translation>无法导出地图</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="635" />
        <source>Move refused</source>
        <translation>移动被拒绝</translation>
    </message>
</context>
</TS>