<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>gp::viewer_app::MainWindow</name>
    <message>
        <location filename="../app/main_window.cpp" line="225" />
        <source>Not found: %1</source>
        <translation>Not found: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="278" />
        <source>%1 m/pixel</source>
        <translation>%1 m/pixel</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="285" />
        <source>gridplan viewer — %1</source>
        <translation>gridplan viewer — %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="286" />
        <source>gridplan viewer</source>
        <translation>gridplan viewer</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="287" />
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="288" />
        <source>&amp;Open plan or GIS file…</source>
        <translation>&amp;Open plan or GIS file…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="289" />
        <source>&amp;Add layers from file (results, scenarios)…</source>
        <translation>&amp;Add layers from file (results, scenarios)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="290" />
        <source>&amp;Save edited plan as…</source>
        <translation>&amp;Save edited plan as…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="291" />
        <source>&amp;Export map (PNG, PDF, SVG)…</source>
        <translation>&amp;Export map (PNG, PDF, SVG)…</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="292" />
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="293" />
        <source>&amp;Edit</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="294" />
        <source>&amp;Undo</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="295" />
        <source>&amp;Redo</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="296" />
        <source>&amp;Move selected buildings to cell</source>
        <translation>&amp;Move selected buildings to cell</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="297" />
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="298" />
        <source>Zoom to &amp;full extent</source>
        <translation>Zoom to &amp;full extent</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="299" />
        <source>Zoom &amp;in</source>
        <translation>Zoom &amp;in</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="300" />
        <source>Zoom &amp;out</source>
        <translation>Zoom &amp;out</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="301" />
        <source>Zoom to &amp;layer</source>
        <translation>Zoom to &amp;layer</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="302" />
        <source>Zoom to &amp;selection</source>
        <translation>Zoom to &amp;selection</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="303" />
        <source>Show &amp;labels</source>
        <translation>Show &amp;labels</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="304" />
        <source>&amp;Tools</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="305" />
        <source>Pan</source>
        <translation>Pan</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="306" />
        <source>Identify</source>
        <translation>Identify</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="307" />
        <source>Select buildings</source>
        <translation>Select buildings</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="308" />
        <source>Select by rectangle</source>
        <translation>Select by rectangle</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="309" />
        <source>Select by lasso</source>
        <translation>Select by lasso</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="310" />
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="311" />
        <source>Tools</source>
        <translation>Tools</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="312" />
        <source> Colour by: </source>
        <translation> Colour by: </translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="313" />
        <source>Layers</source>
        <translation>Layers</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="314" />
        <source>Up</source>
        <translation>Up</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="315" />
        <source>Down</source>
        <translation>Down</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="316" />
        <source>Opacity</source>
        <translation>Opacity</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="317" />
        <source>Identify and search</source>
        <translation>Identify and search</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="318" />
        <source>Search by code or name, then Enter</source>
        <translation>Search by code or name, then Enter</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="319" />
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="319" />
        <source>Value</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="320" />
        <source>Plan figures and editing</source>
        <translation>Plan figures and editing</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="321" />
        <source>Select buildings (click, rectangle or lasso), choose an adjacent cell and move them. Moves that break contiguity are refused.</source>
        <translation>Select buildings (click, rectangle or lasso), choose an adjacent cell and move them. Moves that break contiguity are refused.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="323" />
        <source>Move selection to this cell</source>
        <translation>Move selection to this cell</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="324" />
        <source>Scenario comparison</source>
        <translation>Scenario comparison</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="377" />
        <source>Opened %1 in %2 ms</source>
        <translation>Opened %1 in %2 ms</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="380" />
        <location filename="../app/main_window.cpp" line="382" />
        <source>Cannot open file</source>
        <translation>Cannot open file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="396" />
        <source>Cannot add file</source>
        <translation>Cannot add file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="426" />
        <source>(plain)</source>
        <translation>(plain)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="454" />
        <source>Cannot colour the map</source>
        <translation>Cannot colour the map</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="459" />
        <source>Not an editable plan (needs cells and units layers with cell_code).</source>
        <translation>Not an editable plan (needs cells and units layers with cell_code).</translation>
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
        <translation>Cells: %1
Within bounds (%2–%3 households): %4 of %1
Households per cell: %5 – %6
Largest deviation from target: %7 %
Cells in more than one piece: %8 (of %13 checked)
Buildings assigned: %9 of %10 (coverage %11 %)
Manual edits: %12</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="493" />
        <source>%1 building(s) selected</source>
        <translation>%1 building(s) selected</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="507" />
        <source>layer</source>
        <translation>layer</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="517" />
        <source>cell (live)</source>
        <translation>cell (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="518" />
        <source>cell households (live)</source>
        <translation>cell households (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="519" />
        <source>cell buildings (live)</source>
        <translation>cell buildings (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="520" />
        <source>deviation from target % (live)</source>
        <translation>deviation from target % (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="521" />
        <source>within bounds (live)</source>
        <translation>within bounds (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="521" />
        <source>yes</source>
        <translation>yes</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="521" />
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="522" />
        <source>pieces (live)</source>
        <translation>pieces (live)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="558" />
        <source>Refused: %1</source>
        <translation>Refused: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="559" />
        <source>Move refused: %1</source>
        <translation>Move refused: %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="574" />
        <source>Moved %1 building(s) to %2 (%3 ms)</source>
        <translation>Moved %1 building(s) to %2 (%3 ms)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="580" />
        <location filename="../app/main_window.cpp" line="592" />
        <source>Cannot save</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="580" />
        <source>Not an editable plan.</source>
        <translation>Not an editable plan.</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="589" />
        <source>Saved %1</source>
        <translation>Saved %1</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="599" />
        <source>Open plan or GIS file</source>
        <translation>Open plan or GIS file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="600" />
        <source>GIS files (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;All files (*)</source>
        <translation>GIS files (*.gpkg *.shp *.geojson *.json *.kml *.gml *.csv);;All files (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="606" />
        <source>Add layers from file</source>
        <translation>Add layers from file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="607" />
        <source>GIS files (*.gpkg *.shp *.geojson);;All files (*)</source>
        <translation>GIS files (*.gpkg *.shp *.geojson);;All files (*)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="612" />
        <source>Save edited plan as a new file</source>
        <translation>Save edited plan as a new file</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="613" />
        <source>GeoPackage (*.gpkg)</source>
        <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="620" />
        <source>Export map</source>
        <translation>Export map</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="621" />
        <source>Maps (*.png *.pdf *.svg)</source>
        <translation>Maps (*.png *.pdf *.svg)</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="629" />
        <source>Cannot export map</source>
        <translation>Cannot export map</translation>
    </message>
    <message>
        <location filename="../app/main_window.cpp" line="635" />
        <source>Move refused</source>
        <translation>Move refused</translation>
    </message>
</context>
</TS>